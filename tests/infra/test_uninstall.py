"""Uninstalling: `app_uninstalled` and `tokens_revoked` stop every delivery of the workspace at
once, in either order and however often; its data is kept for the retention period, so a
reinstall resumes where it was; after it the ticker's upkeep purges the workspace."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.scheduling.planning import Kind, PlannedMessage
from bot.workspaces.service import register_workspace
from storage.models import OutboxMessage, Workspace
from tests.conftest import NOW, RunningBot
from tests.support.seed import WORKSPACE, seed_person, seed_workspace
from tests.support.ticking import deliver_now, upkeep_at

BOT_USER = "U0BOT"
RETRO = (
    "retro",
    {
        "tour_id": 1,
        "host_team": "Payments",
        "opening_title": "Ledger",
        "starts_on": "2026-03-02",
        "ends_on": "2026-03-27",
    },
)
EVENTS = {
    "app_uninstalled": {"type": "app_uninstalled"},
    "tokens_revoked": {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [BOT_USER]}},
}


@pytest.fixture
def planned(bot: RunningBot) -> None:
    """The workspace as the bot registered it, someone's profile and a message due now."""
    with bot.deps.uow() as uow:
        seed_workspace(uow)
        seed_person(uow, "U0VISITOR")
        uow.outbox.upsert(
            WORKSPACE, [PlannedMessage("test:0", Kind.RETRO, "U0VISITOR", NOW, *RETRO)]
        )
        uow.commit()


def workspace(bot: RunningBot) -> Workspace | None:
    with bot.deps.uow() as uow:
        row = uow.session.get(Workspace, WORKSPACE)
        if row is not None:
            uow.session.expunge(row)
        return row


def send(bot: RunningBot, name: str, event_id: str) -> None:
    assert bot.requests.event(EVENTS[name], event_id=event_id).status == 200


def wait_for_audit(bot: RunningBot, count: int) -> None:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with bot.deps.uow() as uow:
            if len(uow.audit.actions(WORKSPACE)) >= count:  # type: ignore[attr-defined]
                return
        time.sleep(0.05)
    raise AssertionError("the events were not processed")


@pytest.mark.parametrize(
    "order", [("app_uninstalled", "tokens_revoked"), ("tokens_revoked", "app_uninstalled")]
)
def test_uninstalling_stops_deliveries_in_either_order_and_a_reinstall_resumes(
    bot: RunningBot, planned: None, order: tuple[str, str]
):
    for number, name in enumerate(order):
        send(bot, name, f"Ev{number}")
    wait_for_audit(bot, 2)
    first = workspace(bot)
    assert first is not None and first.uninstalled_at == NOW
    # Slack repeating them later (new event ids) moves nothing: the retention runs from the first.
    bot.clock.move_to(NOW + timedelta(hours=1))  # type: ignore[attr-defined]
    for number, name in enumerate(order):
        send(bot, name, f"EvAgain{number}")
    wait_for_audit(bot, 4)
    again = workspace(bot)
    assert again is not None and again.uninstalled_at == NOW

    deliver_now(bot)
    assert bot.slack.calls("chat.postMessage") == []
    with bot.deps.uow() as uow:
        assert uow.session.scalars(select(OutboxMessage.status)).all() == ["pending"]

    # Installed again (a start with the new token registers the workspace): it goes out.
    register_workspace(bot.deps.uow, WORKSPACE, name="Acme", bot_user_id=BOT_USER, now=NOW)
    deliver_now(bot)
    assert len(bot.slack.messages("U0VISITOR")) == 1


def test_the_upkeep_purges_a_workspace_uninstalled_longer_than_the_retention(
    bot: RunningBot, planned: None
):
    retention = timedelta(days=bot.deps.settings.uninstall_retention_days)
    send(bot, "app_uninstalled", "Ev0")
    wait_for_audit(bot, 1)
    upkeep_at(bot, NOW + retention - timedelta(hours=1))
    assert workspace(bot) is not None
    upkeep_at(bot, NOW + retention)
    assert workspace(bot) is None
    with bot.deps.reader() as uow:
        assert uow.forgetting.workspace_rows(WORKSPACE) == {}


def test_a_reinstall_within_the_retention_keeps_the_data(bot: RunningBot, planned: None):
    send(bot, "app_uninstalled", "Ev0")
    wait_for_audit(bot, 1)
    register_workspace(bot.deps.uow, WORKSPACE, name="Acme", bot_user_id=BOT_USER, now=NOW)
    upkeep_at(bot, NOW + timedelta(days=bot.deps.settings.uninstall_retention_days + 1))
    with bot.deps.reader() as uow:
        assert uow.forgetting.workspace_rows(WORKSPACE)["people"] == 1
