"""Changing a visit once agreed: who may move its dates, and the rules of asking for more time."""

from datetime import date

from bot.applications.changes import (
    WORDING,
    ExtensionSnapshot,
    ExtensionStatus,
    extra_period,
    is_running,
    validate_extension,
    weeks_on_offer,
    why_not_reschedule,
)
from bot.applications.model import Role, Status
from bot.core.approval.steps import Stage, why_not_decide
from bot.core.calendar import Period
from bot.core.visit_rules import window_error

TODAY = date(2026, 11, 23)  # a Monday
LATER = date(2027, 1, 4)
WINDOW = Period(date(2027, 1, 4), date(2027, 3, 28))


def test_the_visitor_and_the_leads_may_change_the_dates_of_a_booked_visit():
    for role in (Role.VISITOR, Role.HOST_LEAD, Role.HOME_LEAD, Role.ORGANISER):
        assert why_not_reschedule(Status.CONFIRMED, frozenset({role}), LATER, TODAY) is None
    assert why_not_reschedule(Status.HOME_AGREED, frozenset({Role.VISITOR}), LATER, TODAY) is None


def test_the_buddy_alone_may_not_change_the_dates():
    refusal = why_not_reschedule(Status.CONFIRMED, frozenset({Role.BUDDY}), LATER, TODAY)
    assert refusal == "Only the visitor, the two team leads or an organiser can change the dates."


def test_dates_change_only_once_both_teams_agreed_and_before_the_visit_starts():
    visitor = frozenset({Role.VISITOR})
    assert "withdraw and apply again" in why_not_reschedule(Status.SUBMITTED, visitor, LATER, TODAY)
    assert why_not_reschedule(Status.CANCELLED, visitor, LATER, TODAY) == (
        "Nothing changed: this visit is cancelled."
    )
    assert "/tourism extend" in why_not_reschedule(Status.CONFIRMED, visitor, TODAY, TODAY)


def test_a_new_first_day_is_validated_like_applying():
    assert window_error(None, 4, WINDOW, TODAY) == "Pick the day you would start."
    assert window_error(TODAY, 4, WINDOW, TODAY) == "Pick a day after today."
    assert "start between 4 Jan and 1 Mar 2027" in window_error(date(2027, 3, 8), 4, WINDOW, TODAY)
    assert window_error(date(2027, 3, 1), 4, WINDOW, TODAY) is None


def test_a_visit_runs_from_its_first_to_its_last_day():
    assert is_running(date(2026, 11, 16), date(2026, 12, 13), TODAY)
    assert is_running(TODAY, TODAY, TODAY)
    assert not is_running(date(2026, 11, 24), date(2026, 12, 20), TODAY)
    assert not is_running(date(2026, 10, 1), date(2026, 11, 22), TODAY)


def test_the_extra_weeks_follow_the_last_day_and_end_on_a_working_day():
    # A visit ending on Friday 11 Dec grows to Friday 25 Dec; one ended on a Sunday (before
    # visits ended on their last working day) still ends on a Friday.
    assert extra_period(date(2026, 12, 11), 2) == Period(date(2026, 12, 12), date(2026, 12, 25))
    assert extra_period(date(2026, 12, 13), 2) == Period(date(2026, 12, 14), date(2026, 12, 25))


def test_a_visit_grows_by_two_weeks_at_most():
    assert weeks_on_offer(0) == (1, 2)
    assert weeks_on_offer(1) == (1,)
    assert weeks_on_offer(2) == ()


def test_asking_for_more_time_needs_the_weeks_and_a_reason():
    assert validate_extension(2, "Finish the migration", (1, 2)) == {}
    errors = validate_extension(None, "", (1, 2))
    assert errors["weeks"] == "Pick 1 or 2 more weeks."
    assert "why more time would help" in errors["reason"]
    assert validate_extension(2, "x" * 501, (1,)) == {
        "weeks": "Pick 1 more week.",
        "reason": "Keep it under 500 characters.",
    }


def _request(status: ExtensionStatus, host_leads=("U0HOST",), home_leads=("U0HOME",)):
    return ExtensionSnapshot(
        extension_id=1,
        tour_id=1,
        application_id=1,
        status=status,
        weeks=1,
        reason="",
        decision_reason="",
        visitor_id="U0VISITOR",
        opening_title="Streams",
        host_team_name="Streaming",
        host_lead_ids=host_leads,
        home_team_name="Commissions",
        home_lead_ids=home_leads,
        organiser_ids=("U0ORG",),
        starts_on=date(2026, 11, 16),
        ends_before=date(2026, 12, 13),
    )


def test_the_host_lead_decides_first_then_the_home_lead_or_an_organiser():
    submitted, host_agreed = (
        _request(ExtensionStatus.SUBMITTED),
        _request(ExtensionStatus.HOST_AGREED),
    )
    assert why_not_decide(submitted, "U0HOST", Stage.HOST, WORDING) is None
    assert "host team" in why_not_decide(submitted, "U0HOME", Stage.HOST, WORDING)
    assert why_not_decide(host_agreed, "U0HOME", Stage.HOME, WORDING) is None
    assert why_not_decide(host_agreed, "U0ORG", Stage.HOME, WORDING) is None
    assert "home team" in why_not_decide(host_agreed, "U0HOST", Stage.HOME, WORDING)
    assert "their own visit" in why_not_decide(host_agreed, "U0VISITOR", Stage.HOME, WORDING)
    assert why_not_decide(host_agreed, "U0HOST", Stage.HOST, WORDING) == (
        "Nothing changed: this request for more time is waiting for the home team lead."
    )


def test_organisers_stand_in_for_a_team_without_a_lead():
    request = _request(ExtensionStatus.SUBMITTED, host_leads=(), home_leads=())
    assert request.host_deciders == ("U0ORG",)
    assert request.organisers_decide_for_home
    assert request.leads() == ("U0ORG",)
    assert request.new_end == date(2026, 12, 18)  # the last working day of the extra week
