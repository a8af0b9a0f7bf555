"""The retro's rules: reading the modal, the highlight decision, the session and the follow-up."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.retros.model import (
    FollowUp,
    HighlightStep,
    LengthVerdict,
    RetroAnswers,
    RetroInput,
    highlight_step,
    mark_stuck,
    plan_follow_up,
    read_retro,
    validate_session,
)


def form(**changes) -> RetroInput:
    values = {
        "learned": "Event sourcing",
        "bring_back": "  Outbox pattern \n\n Contract tests ",
        "rating": "5",
        "length": "too_short",
        "shareable": True,
    }
    return RetroInput(**(values | changes))


def test_a_valid_retro_keeps_one_action_item_a_line():
    assert read_retro(form()) == RetroAnswers(
        learned="Event sourcing",
        action_items=("Outbox pattern", "Contract tests"),
        rating=5,
        length=LengthVerdict.TOO_SHORT,
        shareable=True,
    )


def test_the_limits_are_inclusive():
    answers = read_retro(form(learned="x" * 3000, bring_back="\n".join(["y" * 300] * 20)))
    assert isinstance(answers, RetroAnswers) and len(answers.action_items) == 20


def test_every_problem_is_reported_at_once():
    errors = read_retro(form(learned="", bring_back="z" * 301, rating="0", length=None))
    assert isinstance(errors, dict)
    assert set(errors) == {"learned", "bring_back", "rating", "length"}


@pytest.mark.parametrize(
    ("shareable", "posted", "configured", "step"),
    [
        (False, False, True, HighlightStep.NONE),
        (False, True, True, HighlightStep.REMOVE),
        (True, False, True, HighlightStep.POST),
        (True, True, True, HighlightStep.UPDATE),
        (True, False, False, HighlightStep.NOT_CONFIGURED),
        (False, False, False, HighlightStep.NONE),
    ],
)
def test_the_channel_shows_only_what_the_visitor_consented_to(shareable, posted, configured, step):
    assert highlight_step(shareable=shareable, posted=posted, channel_configured=configured) is step


def test_a_session_is_today_or_later_in_a_channel():
    today = date(2026, 12, 1)
    assert validate_session(today, "C1", today) == {}
    assert set(validate_session(date(2026, 11, 30), "C1", today)) == {"day"}
    assert set(validate_session(None, None, today)) == {"day", "channel"}


def test_the_follow_up_goes_out_90_days_later_on_a_working_morning():
    follow_up = FollowUp(
        tour_id=7,
        visitor="U1",
        host_team="Payments",
        opening_title="Ledger",
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 1, 30),  # + 90 days = Thu 30 Apr
        action_items=("Outbox",),
    )
    planned = plan_follow_up(follow_up, ZoneInfo("America/New_York"))
    assert planned.unique_key == "tour:7:retro_follow_up"
    assert planned.due_at == datetime(2026, 4, 30, 14, 0, tzinfo=UTC)  # 10:00 EDT
    weekend = plan_follow_up(
        FollowUp(**{**follow_up.__dict__, "ends_on": date(2026, 2, 1)}), ZoneInfo("UTC")
    )
    assert weekend.due_at == datetime(2026, 5, 4, 10, 0, tzinfo=UTC)  # Sat 2 May → Monday


def test_stuck_items_keep_the_retros_order_and_ignore_unknown_ones():
    items = ("a", "b", "c")
    assert mark_stuck(items, ("c",), 0) == ("a", "c")
    assert mark_stuck(items, ("a",), 0) == ("a",)
    assert mark_stuck(items, (), 3) == ()
