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


def test_a_claim_left_by_a_dead_process_is_taken_over_later(uow_factory):
    claim = {"workspace_id": "T1", "event_type": "x"}
    with uow_factory() as uow:
        assert uow.inbox.claim("Ev3", **claim, now=NOW)
        uow.commit()
    soon, later = NOW + timedelta(seconds=30), NOW + timedelta(minutes=5)
    with uow_factory() as uow:
        assert not uow.inbox.claim("Ev3", **claim, now=soon, stale_before=NOW)
        assert uow.inbox.claim("Ev3", **claim, now=later, stale_before=later - timedelta(minutes=2))
        uow.inbox.complete("Ev3", now=later)
        uow.commit()
    with uow_factory() as uow:
        far = later + timedelta(days=1)
        assert not uow.inbox.claim("Ev3", **claim, now=far, stale_before=far)


def test_a_released_claim_can_be_claimed_again(uow_factory):
    with uow_factory() as uow:
        assert uow.inbox.claim("Ev4", workspace_id="T1", event_type="x", now=NOW)
        uow.commit()
    with uow_factory() as uow:
        uow.inbox.release("Ev4")
        uow.commit()
    with uow_factory() as uow:
        assert uow.inbox.claim("Ev4", workspace_id="T1", event_type="x", now=NOW)
