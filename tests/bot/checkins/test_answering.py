"""Who may answer a weekly check-in, and once: every refusal on in-memory fakes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.checkins.model import (
    Alert,
    AlertKind,
    CheckinRef,
    Mood,
    Question,
    plan_alert,
)
from bot.checkins.service import ask_for_help, log_shipped, prepare, record_answer
from tests.bot.applications.fakes import NOW, ORGANISER, context
from tests.bot.checkins.fakes import (
    BUDDY,
    HOME_LEAD,
    HOST_LEAD,
    STRANGER,
    TOUR,
    VISIT,
    VISITOR,
    FakeUnitOfWork,
)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


WEEK_1 = CheckinRef(TOUR, 1)


def test_the_visitor_answers_each_question_once(uow):
    outcome = record_answer(uow, context(VISITOR), WEEK_1, Question.MOOD, "going_well")
    assert outcome.ok and outcome.state.answer.mood is Mood.GOING_WELL and uow.commits == 1
    again = record_answer(uow, context(VISITOR), WEEK_1, Question.MOOD, "so_so")
    assert "first answer stands" in again.refusal and uow.commits == 1
    assert uow.checkins.rows[1].mood == "going_well"


@pytest.mark.parametrize("who", [BUDDY, HOST_LEAD, STRANGER, ORGANISER])
def test_only_the_visitor_answers(uow, who):
    refusal = record_answer(uow, context(who), WEEK_1, Question.MOOD, "going_well").refusal
    assert "Only the visitor" in refusal
    assert "Only the visitor" in prepare(uow, context(who), WEEK_1).refusal
    assert "Only the visitor" in ask_for_help(uow, context(who), WEEK_1, "Stuck").refusal
    assert "Only the visitor" in log_shipped(uow, context(who), WEEK_1, "A fix").refusal
    assert uow.checkins.rows == {} and uow.checkins.shipped_items == [] and uow.commits == 0


@pytest.mark.parametrize("week, allowed", [(0, False), (1, True), (4, True), (5, False)])
def test_only_the_weeks_of_the_visit_are_answered(uow, week, allowed):
    outcome = record_answer(uow, context(VISITOR), CheckinRef(TOUR, week), Question.MOOD, "so_so")
    assert outcome.ok is allowed
    assert (week in uow.checkins.rows) is allowed


def test_a_check_in_of_a_visit_gone_or_an_answer_not_offered_is_refused(uow):
    gone = record_answer(uow, context(VISITOR), CheckinRef(999, 1), Question.MOOD, "so_so")
    assert "no longer exists" in gone.refusal
    for raw in ("great", "need_help"):
        offered = record_answer(uow, context(VISITOR), WEEK_1, Question.MOOD, raw)
        assert "not one of the answers" in offered.refusal
    assert uow.checkins.rows == {} and uow.commits == 0


def test_help_is_asked_once_and_reaches_the_buddy_and_host_lead(uow):
    assert "details" in ask_for_help(uow, context(VISITOR), WEEK_1, "").errors
    outcome = ask_for_help(uow, context(VISITOR), WEEK_1, "Stuck on access")
    assert outcome.ok and uow.checkins.rows[1].mood == "need_help" and uow.commits == 1
    assert uow.checkins.rows[1].details == "Stuck on access"
    assert uow.planned
    again = ask_for_help(uow, context(VISITOR), WEEK_1, "Still stuck")
    assert "first answer stands" in again.refusal and uow.commits == 1


def test_a_modal_for_a_question_already_answered_is_not_opened(uow):
    record_answer(uow, context(VISITOR), WEEK_1, Question.MOOD, "so_so")
    assert "first answer stands" in prepare(uow, context(VISITOR), WEEK_1, Question.MOOD).refusal
    state = prepare(uow, context(VISITOR), WEEK_1, Question.MEETINGS)
    assert state.answer.mood is Mood.SO_SO


def test_shipped_items_are_logged_by_the_visitor(uow):
    assert "items" in log_shipped(uow, context(VISITOR), WEEK_1, "  ").errors
    outcome = log_shipped(uow, context(VISITOR), WEEK_1, "A fix\nA doc")
    assert outcome.ok and uow.checkins.shipped_items == ["A fix", "A doc"] and uow.commits == 1
    assert outcome.state.shipped == ("A fix", "A doc")
    shipped = ("shipped_logged", f"tour:{TOUR}", {"week": 1, "items": 2})
    assert uow.audited == [shipped]


@pytest.mark.parametrize(
    ("question", "raw", "told"),
    [
        (Question.MOOD, "so_so", {BUDDY, HOST_LEAD}),
        (Question.MOOD, "going_well", set()),
        (Question.MEETINGS, "over_half", {HOST_LEAD}),
        (Question.MEETINGS, "half", set()),
        (Question.PULLED_BACK, "often", {HOME_LEAD}),
        (Question.PULLED_BACK, "once_or_twice", set()),
    ],
)
def test_each_signal_goes_to_whoever_can_act_on_it(uow, question, raw, told):
    assert record_answer(uow, context(VISITOR), WEEK_1, question, raw).ok
    assert {message.recipient for message in uow.planned} == told


def test_a_repeated_signal_copies_the_organisers(uow):
    for week in (1, 2):
        record_answer(uow, context(VISITOR), CheckinRef(TOUR, week), Question.PULLED_BACK, "often")
    assert [m.recipient for m in uow.planned] == [HOME_LEAD, HOME_LEAD, ORGANISER]
    assert uow.planned[-1].payload["alert"] == "pulls"


def test_answers_lock_the_visit_and_a_look_before_a_modal_only_reads(uow):
    prepare(uow, context(VISITOR), WEEK_1)
    assert uow.checkins.locks == [False]
    record_answer(uow, context(VISITOR), WEEK_1, Question.MOOD, "so_so")
    answered = {"week": 1, "question": "mood", "answer": "so_so"}
    assert uow.checkins.locks == [False, True]
    assert uow.audited == [("checkin_answered", f"tour:{TOUR}", answered)]


def alerts(uow: FakeUnitOfWork, week: int, *alerts: Alert) -> list[Any]:
    state = prepare(uow, context(VISITOR), CheckinRef(TOUR, week))
    return [message for alert in alerts for message in plan_alert(alert, state, NOW)]


def test_help_is_told_to_the_buddy_and_host_lead_with_the_details(uow):
    ask_for_help(uow, context(VISITOR), WEEK_1, "Stuck on access")
    told = Alert(AlertKind.HELP, (1,), (BUDDY, HOST_LEAD), "Stuck on access")
    assert uow.planned == alerts(uow, 1, told)
    answered = {"week": 1, "question": "mood", "answer": "need_help"}
    assert uow.audited == [("checkin_answered", f"tour:{TOUR}", answered)]


def test_help_of_a_visit_without_buddy_or_other_lead_is_told_to_the_organisers(uow):
    uow.checkins.tour = replace(VISIT, buddy=None, host_leads=(VISITOR,))
    ask_for_help(uow, context(VISITOR), WEEK_1, "Stuck")
    stand_in = Alert(AlertKind.HELP, (1,), (ORGANISER,), "Stuck", stand_in=True)
    assert uow.planned == alerts(uow, 1, stand_in)


def test_two_low_moods_in_a_row_tell_the_organisers_once(uow):
    """Each so-so week goes to the buddy and host lead; a second in a row to the organisers too."""
    record_answer(uow, context(VISITOR), WEEK_1, Question.MOOD, "so_so")
    assert uow.planned == alerts(uow, 1, Alert(AlertKind.SO_SO, (1,), (BUDDY, HOST_LEAD)))
    del uow.planned[:]
    record_answer(uow, context(VISITOR), CheckinRef(TOUR, 2), Question.MOOD, "so_so")
    so_so = Alert(AlertKind.SO_SO, (2,), (BUDDY, HOST_LEAD))
    low = Alert(AlertKind.LOW_MOOD, (1, 2), (ORGANISER,))
    told = alerts(uow, 2, so_so, low)
    assert uow.planned == told and uow.checkins.claims == [(2, "low_mood", NOW)]
    assert uow.audited[-1] == (
        "checkin_alert",
        f"tour:{TOUR}",
        {"week": 2, "kind": "low_mood", "weeks": (1, 2)},
    )
    record_answer(uow, context(VISITOR), CheckinRef(TOUR, 2), Question.MEETINGS, "quarter")
    assert uow.planned == told and uow.commits == 3
