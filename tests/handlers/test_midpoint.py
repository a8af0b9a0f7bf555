"""The host lead's mid-visit message through signed HTTP: Going fine / Concerns…, only a lead of
the host team may answer, and the answer reaches the buddy (concerns: the organisers too)."""

from __future__ import annotations

import pytest

from bot.checkins import views
from infra.fake_slack.requests import plain
from storage.models import OutboxMessage
from tests.conftest import ORGANISER, RunningBot
from tests.handlers.test_checkins import (
    BUDDY,
    HOME_LEAD,
    LEAD,
    STRANGER,
    VISITOR,
    deliver_due,
    dms_to,
    seed_visit,
)

HALFWAY = "Your visitor is halfway through the visit"
FINE = "The host lead says the visit is going fine"
CONCERNS = "The host lead has concerns about a visit"
DM = f"D{LEAD}"


@pytest.fixture
def midpoint(bot: RunningBot) -> dict:
    """The mid-visit message, sent to the host lead by the real deliverer."""
    seed_visit(bot)
    with bot.deps.uow() as uow:
        [row] = uow.session.query(OutboxMessage).filter_by(content_key="midpoint").all()
        due_at = row.due_at
    bot.clock.move_to(due_at)  # type: ignore[attr-defined]
    deliver_due(bot)
    [message] = dms_to(bot, LEAD, HALFWAY)
    return message


def value_of(message: dict, action_id: str) -> str:
    [value] = [
        element["value"]
        for block in message["blocks"]
        for element in block.get("elements", [])
        if element.get("action_id") == action_id
    ]
    return value


def click(bot: RunningBot, message: dict, action_id: str, user: str = LEAD) -> None:
    bot.requests.block_action(
        user_id=user,
        action_id=action_id,
        value=value_of(message, action_id),
        channel_id=DM,
        message=message,
    )


def current(bot: RunningBot, message: dict) -> dict:
    [now] = [m for m in bot.slack.messages(LEAD) if m["ts"] == message["ts"]]
    return now


def answer_rows(bot: RunningBot) -> list[str]:
    with bot.deps.uow() as uow:
        rows = uow.session.query(OutboxMessage).filter_by(content_key="midpoint_answer")
        return sorted(row.recipient for row in rows)


def concerns_modal(bot: RunningBot, message: dict) -> dict:
    opened = len(bot.slack.calls("views.open"))
    click(bot, message, views.MIDPOINT_CONCERNS)
    return bot.slack.wait_for("views.open", count=opened + 1)[-1].params["view"]


def submit_concerns(bot: RunningBot, modal: dict, note: str, user: str = LEAD):
    return bot.requests.view_submission(
        user_id=user,
        callback_id=views.MIDPOINT_MODAL,
        private_metadata=modal["private_metadata"],
        values={"note": {"note": plain(note)}},
    )


def test_going_fine_reaches_the_buddy(bot: RunningBot, midpoint: dict):
    assert "How is it going from your side?" in str(midpoint["blocks"])
    click(bot, midpoint, views.MIDPOINT_FINE)
    bot.slack.wait_for("chat.update")
    shown = str(current(bot, midpoint)["blocks"])
    assert f"You answered *Going fine*. I am passing it on to <@{BUDDY}>." in shown
    assert views.MIDPOINT_CONCERNS not in shown
    deliver_due(bot)
    assert len(dms_to(bot, BUDDY, FINE)) == 1
    assert f"<@{LEAD}>, who leads the host team, says <@{VISITOR}>'s visit" in str(
        dms_to(bot, BUDDY, FINE)[0]["blocks"]
    )
    assert dms_to(bot, ORGANISER, FINE) == []


def test_concerns_ask_for_a_note_and_reach_the_buddy_and_organisers(bot, midpoint: dict):
    modal = concerns_modal(bot, midpoint)
    assert modal["callback_id"] == views.MIDPOINT_MODAL
    empty = submit_concerns(bot, modal, "").json()
    assert empty["response_action"] == "errors" and "what worries you" in empty["errors"]["note"]
    assert answer_rows(bot) == []

    response = submit_concerns(bot, modal, "No pairing <!channel> & <@U123>\nat all")
    assert response.status == 200 and response.body == b""
    bot.slack.wait_for("chat.update")
    assert "You answered *Concerns*." in str(current(bot, midpoint)["blocks"])
    deliver_due(bot)
    for person in (BUDDY, ORGANISER):
        [told] = dms_to(bot, person, CONCERNS)
        text = str(told["blocks"])
        assert ">No pairing &lt;!channel&gt; &amp; &lt;@U123&gt;" in text and ">at all" in text
    assert dms_to(bot, VISITOR, CONCERNS) == [] and dms_to(bot, HOME_LEAD, CONCERNS) == []


@pytest.mark.parametrize("who", [VISITOR, BUDDY, HOME_LEAD, STRANGER, ORGANISER])
def test_only_a_lead_of_the_host_team_answers(bot: RunningBot, midpoint: dict, who: str):
    click(bot, midpoint, views.MIDPOINT_FINE, user=who)
    refusal = bot.slack.wait_for("response_url")[-1].params["text"]
    assert refusal.startswith("Only a lead of the host team answers")
    click(bot, midpoint, views.MIDPOINT_CONCERNS, user=who)
    bot.slack.wait_for("response_url", count=2)
    assert bot.slack.calls("views.open") == []

    modal = concerns_modal(bot, midpoint)  # opened by the lead, submitted by someone else
    response = submit_concerns(bot, modal, "pretending", user=who).json()
    assert "Only a lead of" in str(response["view"])
    assert answer_rows(bot) == [] and bot.slack.calls("chat.update") == []
