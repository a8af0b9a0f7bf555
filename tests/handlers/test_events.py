import time

import pytest

from storage.repositories import AuditRepository, WorkspaceRepository
from tests.conftest import NOW, RunningBot

HOME_OPENED = {"type": "app_home_opened", "user": "U0ALICE", "channel": "D0ALICE", "tab": "home"}


def settle(seconds: float = 0.3) -> None:
    """Event listeners run after the ack; give a wrongly repeated one time to show up."""
    time.sleep(seconds)


def test_home_tab_is_published_when_opened(bot: RunningBot):
    assert bot.requests.event(HOME_OPENED).status == 200
    [call] = bot.slack.wait_for("views.publish")
    assert call.params["user_id"] == "U0ALICE"
    assert call.params["view"]["type"] == "home"
    assert len(call.params["view"]["blocks"]) <= 100


def test_a_redelivered_event_is_handled_once(bot: RunningBot):
    bot.requests.event(HOME_OPENED, event_id="Ev0001")
    bot.slack.wait_for("views.publish")
    assert bot.requests.event(HOME_OPENED, event_id="Ev0001", retry_num=1).status == 200
    assert bot.requests.event(HOME_OPENED, event_id="Ev0001", retry_num=2).status == 200
    settle()
    assert len(bot.slack.calls("views.publish")) == 1


def test_a_retry_of_an_event_that_failed_is_processed_once(bot: RunningBot):
    bot.slack.inject("views.publish", error="invalid_arguments")
    bot.requests.event(HOME_OPENED, event_id="Ev0002")
    bot.slack.wait_for("views.publish")
    settle()
    bot.requests.event(HOME_OPENED, event_id="Ev0002", retry_num=1)
    bot.slack.wait_for("views.publish", count=2)
    bot.requests.event(HOME_OPENED, event_id="Ev0002", retry_num=2)
    settle()
    assert len(bot.slack.calls("views.publish")) == 2


def test_messages_tab_opening_publishes_nothing(bot: RunningBot):
    bot.requests.event({**HOME_OPENED, "tab": "messages"})
    settle()
    assert bot.slack.calls("views.publish") == []


def test_uninstall_is_recorded_once(bot: RunningBot):
    with bot.deps.uow() as uow:
        uow.workspaces.upsert(bot.slack.team_id, name="Acme", bot_user_id="U0BOT", now=NOW)
        uow.commit()
    for retry in (None, 1):
        bot.requests.event({"type": "app_uninstalled"}, event_id="Ev0003", retry_num=retry)
    settle()
    with bot.deps.uow() as uow:
        assert isinstance(uow.workspaces, WorkspaceRepository)
        assert uow.workspaces.get(bot.slack.team_id).uninstalled_at == NOW
        assert isinstance(uow.audit, AuditRepository)
        assert uow.audit.actions(bot.slack.team_id) == ["app_uninstalled"]


def test_revoked_bot_token_is_recorded(bot: RunningBot):
    with bot.deps.uow() as uow:
        uow.workspaces.upsert(bot.slack.team_id, name="Acme", bot_user_id="U0BOT", now=NOW)
        uow.commit()
    bot.requests.event({"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0BOT"]}})
    settle()
    with bot.deps.uow() as uow:
        assert uow.workspaces.get(bot.slack.team_id).tokens_revoked_at == NOW


@pytest.mark.parametrize(
    "stuck",
    [{"retry_after": 5}, {"delay": 6.0}],
    ids=["rate-limited", "slow"],
)
def test_others_are_answered_while_a_home_publish_is_stuck(bot: RunningBot, stuck):
    """The publish runs outside any transaction: nobody waits for Slack to answer it."""
    bot.slack.inject("views.publish", **stuck)
    bot.requests.event(HOME_OPENED, event_id="Ev0005")
    bot.slack.wait_for("views.publish")
    for command in ("host", "openings"):
        started = time.monotonic()
        response = bot.requests.slash_command(command, user_id="U0BOB")
        assert response.status == 200
        assert time.monotonic() - started < 2.0, f"/tourism {command} waited for the publish"
    # Slack's redelivery while the publish is under way does nothing; the publish completes.
    assert bot.requests.event(HOME_OPENED, event_id="Ev0005", retry_num=1).status == 200
    publishes = 1 + ("retry_after" in stuck)  # a 429 is tried again after Retry-After
    bot.slack.wait_for("views.publish", count=publishes, timeout=10)
    settle()
    assert len(bot.slack.calls("views.publish")) == publishes
