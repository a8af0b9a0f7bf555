"""The home team's lead hears about the visits of her team through signed HTTP and the real
deliverer: when one starts and ends, and what the visitor will bring back."""

from __future__ import annotations

import pytest

from bot.retros import views as retro_views
from infra.fake_slack.requests import plain
from storage.models import OutboxMessage
from tests.conftest import RunningBot
from tests.handlers.test_checkins import (
    BUDDY,
    ESCAPED_TITLE,
    HOME_LEAD,
    LEAD,
    VISITOR,
    deliver_due,
    dms_to,
    seed_visit,
)
from tests.handlers.test_retros import retro_values

STARTS = "Someone from your team starts a visit today"
ENDS = "Someone from your team comes back from a visit"
BRINGS = "What your visitor will bring back to your team"


@pytest.fixture
def tour_id(bot: RunningBot) -> int:
    return seed_visit(bot)


def deliver_row(bot: RunningBot, content_key: str) -> None:
    with bot.deps.uow() as uow:
        [row] = uow.session.query(OutboxMessage).filter_by(content_key=content_key).all()
        assert row.recipient == HOME_LEAD
        due_at = row.due_at
    bot.clock.move_to(due_at)  # type: ignore[attr-defined]
    deliver_due(bot)


def test_the_home_lead_hears_when_the_visit_starts_and_ends(bot: RunningBot, tour_id: int):
    deliver_row(bot, "home_visit_starts")
    [started] = dms_to(bot, HOME_LEAD, STARTS)
    assert f"<@{VISITOR}> starts their visit to *{ESCAPED_TITLE}*" in str(started["blocks"])
    assert [user for user in (VISITOR, BUDDY, LEAD) if dms_to(bot, user, STARTS)] == []
    assert dms_to(bot, HOME_LEAD, ENDS) == []

    deliver_row(bot, "home_visit_ends")
    [ended] = dms_to(bot, HOME_LEAD, ENDS)
    assert "ends today: they are back with your team on Mon 30 Nov" in str(ended["blocks"])


def test_the_retro_shares_what_the_visitor_brings_back_with_the_home_lead(bot, tour_id: int):
    response = bot.requests.view_submission(
        user_id=VISITOR,
        callback_id=retro_views.RETRO_MODAL,
        private_metadata=str(tour_id),
        values=retro_values(bring_back="Idempotency keys\n<!here> reconcile & report"),
    )
    assert response.status == 200
    deliver_due(bot)
    [shared] = dms_to(bot, HOME_LEAD, BRINGS)
    text = str(shared["blocks"])
    assert "• Idempotency keys" in text and "• &lt;!here&gt; reconcile &amp; report" in text
    assert [user for user in (VISITOR, BUDDY, LEAD) if dms_to(bot, user, BRINGS)] == []


def test_a_retro_without_anything_to_bring_back_tells_the_home_lead_nothing(bot, tour_id: int):
    bot.requests.view_submission(
        user_id=VISITOR,
        callback_id=retro_views.RETRO_MODAL,
        private_metadata=str(tour_id),
        values={**retro_values(), "bring_back": {"bring_back": plain("")}},
    )
    deliver_due(bot)
    assert dms_to(bot, HOME_LEAD, BRINGS) == []
