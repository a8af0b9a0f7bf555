from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.applications.model import Role, Status, Step, StepNotAllowedError, check_step
from bot.core.approval.reminders import WaitingDecision, nudges_due, working_days_between

TODAY = date(2026, 11, 23)  # a Monday


def test_a_stale_button_is_refused_with_the_current_state():
    with pytest.raises(StepNotAllowedError, match="already waiting for your home team lead"):
        check_step(Step(Status.HOST_ACCEPTED, Status.HOST_ACCEPTED, frozenset({Role.HOST_LEAD})))


def test_nothing_moves_an_ended_application():
    with pytest.raises(StepNotAllowedError, match="already withdrawn"):
        check_step(Step(Status.WITHDRAWN, Status.CANCELLED, frozenset({Role.ORGANISER})))


def test_a_buddy_cannot_cancel():
    with pytest.raises(StepNotAllowedError):
        check_step(Step(Status.CONFIRMED, Status.CANCELLED, frozenset({Role.BUDDY})))


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
