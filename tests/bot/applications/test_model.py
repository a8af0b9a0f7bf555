from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.applications.model import Role, Status, Step, StepNotAllowedError, check_step
from bot.core.calendar import (
    Period,
    SprintCadence,
    check_absence,
    most_away_on_one_day,
    suggest_start,
    visit_period,
)
from bot.core.reminders import WaitingDecision, nudges_due, working_days_between

TODAY = date(2026, 11, 23)  # a Monday


def test_host_lead_accepts_a_submitted_application():
    check_step(Step(Status.SUBMITTED, Status.HOST_ACCEPTED, frozenset({Role.HOST_LEAD})))


def test_the_visitor_cannot_accept_their_own_application():
    with pytest.raises(StepNotAllowedError, match="Nobody decides on their own visit"):
        check_step(Step(Status.SUBMITTED, Status.HOST_ACCEPTED, frozenset({Role.VISITOR})))


def test_organiser_stands_in_for_the_home_lead():
    check_step(Step(Status.HOST_ACCEPTED, Status.HOME_AGREED, frozenset({Role.ORGANISER})))


def test_a_stale_button_is_refused_with_the_current_state():
    with pytest.raises(StepNotAllowedError, match="already waiting for your home team lead"):
        check_step(Step(Status.HOST_ACCEPTED, Status.HOST_ACCEPTED, frozenset({Role.HOST_LEAD})))


def test_nothing_moves_an_ended_application():
    with pytest.raises(StepNotAllowedError, match="already withdrawn"):
        check_step(Step(Status.WITHDRAWN, Status.CANCELLED, frozenset({Role.ORGANISER})))


def test_a_buddy_cannot_cancel():
    with pytest.raises(StepNotAllowedError):
        check_step(Step(Status.CONFIRMED, Status.CANCELLED, frozenset({Role.BUDDY})))


def test_visit_period_is_whole_weeks():
    assert visit_period(date(2027, 1, 4), 4) == Period(date(2027, 1, 4), date(2027, 1, 31))


def test_suggested_start_is_the_first_monday_that_fits():
    window = Period(date(2026, 12, 2), date(2027, 2, 28))
    assert suggest_start(window=window, weeks=4, today=TODAY) == date(2026, 12, 7)


def test_suggested_start_respects_availability_and_blackouts():
    window = Period(date(2026, 12, 1), date(2027, 3, 31))
    start = suggest_start(
        window=window,
        weeks=2,
        today=TODAY,
        availability=Period(date(2027, 1, 1), date(2027, 2, 28)),
        blackouts=[Period(date(2027, 1, 4), date(2027, 1, 8))],
    )
    assert start == date(2027, 1, 11)


def test_suggested_start_prefers_a_host_sprint_start():
    window = Period(date(2026, 12, 1), date(2027, 3, 31))
    sprints = SprintCadence(first_start=date(2026, 11, 18), weeks=2)  # Wednesdays
    assert suggest_start(window=window, weeks=2, today=TODAY, host_sprints=sprints) == date(
        2026, 12, 2
    )


def test_no_start_when_the_window_is_too_short():
    window = Period(date(2026, 12, 1), date(2026, 12, 20))
    assert suggest_start(window=window, weeks=4, today=TODAY) is None


def test_absence_check_counts_the_worst_day_and_blackouts():
    visit = Period(date(2027, 1, 4), date(2027, 1, 31))
    absences = [
        Period(date(2026, 12, 20), date(2027, 1, 5)),
        Period(date(2027, 1, 20), date(2027, 2, 10)),
        Period(date(2027, 1, 25), date(2027, 1, 26)),
    ]
    check = check_absence(
        visit, absences=absences, cap=2, blackouts=[Period(date(2027, 1, 30), date(2027, 2, 2))]
    )
    assert check.away_already == 2
    assert check.exceeds_cap
    assert check.blackout_conflicts == (Period(date(2027, 1, 30), date(2027, 2, 2)),)
    assert check.needs_override


periods = st.builds(
    lambda start, length: Period(
        date(2027, 1, 1) + timedelta(days=start), date(2027, 1, 1) + timedelta(days=start + length)
    ),
    st.integers(0, 60),
    st.integers(0, 30),
)


@given(visit=periods, absences=st.lists(periods, max_size=8))
def test_most_away_matches_a_day_by_day_count(visit, absences):
    brute = max(sum(a.contains(day) for a in absences) for day in visit.days())
    assert most_away_on_one_day(visit, absences) == brute


def test_working_days_skip_weekends():
    friday = date(2026, 11, 27)
    assert working_days_between(friday, friday + timedelta(days=3)) == 1  # to Monday
    assert working_days_between(friday, friday + timedelta(days=14)) == 10
    assert working_days_between(friday, friday) == 0


@given(start=st.dates(date(2026, 1, 1), date(2027, 12, 31)), length=st.integers(0, 60))
def test_working_days_match_a_day_by_day_count(start, length):
    end = start + timedelta(days=length)
    brute = sum((start + timedelta(days=n)).weekday() < 5 for n in range(1, length + 1))
    assert working_days_between(start, end) == brute


def waiting(since: date) -> WaitingDecision:
    return WaitingDecision(7, "submitted", since, ("U0LEAD",), ("U0ORG",), "U0VIS", "Kafka")


def test_the_approver_is_reminded_after_three_working_days_and_organisers_after_seven():
    monday = date(2026, 11, 23)
    assert nudges_due(waiting(monday), monday + timedelta(days=2)) == []
    [reminder] = nudges_due(waiting(monday), monday + timedelta(days=3))
    assert (reminder.recipient, reminder.escalation) == ("U0LEAD", False)
    assert reminder.unique_key == "application:7:submitted:reminder:U0LEAD"
    nine_days = nudges_due(waiting(monday), monday + timedelta(days=9))
    assert [(n.recipient, n.escalation) for n in nine_days] == [("U0LEAD", False), ("U0ORG", True)]
