from datetime import timedelta

from tests.conftest import NOW


def test_datetimes_come_back_aware_in_utc(uow_factory):
    with uow_factory() as uow:
        uow.workspaces.upsert("T1", name="Acme", bot_user_id="U0BOT", now=NOW + timedelta(hours=1))
        uow.commit()
    with uow_factory() as uow:
        installed = uow.workspaces.get("T1").installed_at
    assert installed == NOW + timedelta(hours=1)
    assert installed.utcoffset() == timedelta(0)


def test_an_event_is_claimed_once(uow_factory):
    with uow_factory() as uow:
        assert uow.inbox.claim("Ev1", workspace_id="T1", event_type="x", now=NOW)
        assert not uow.inbox.claim("Ev1", workspace_id="T1", event_type="x", now=NOW)
        uow.commit()
    with uow_factory() as uow:
        assert not uow.inbox.claim("Ev1", workspace_id="T1", event_type="x", now=NOW)


def test_uncommitted_work_is_rolled_back(uow_factory):
    with uow_factory() as uow:
        uow.inbox.claim("Ev2", workspace_id="T1", event_type="x", now=NOW)
    with uow_factory() as uow:
        assert uow.inbox.claim("Ev2", workspace_id="T1", event_type="x", now=NOW)
