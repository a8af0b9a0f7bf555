"""Deciding on a request for more time: the host lead first, then the home lead or an organiser;
each decision once, on a visit still on, and past the home team's cap only with a reason."""

from datetime import date, timedelta

import pytest

from bot.applications.changes import WORDING
from bot.applications.extensions import (
    ExtensionInput,
    ExtensionNotice,
    ExtensionStatus,
    home_decides,
    host_decides,
    prepare_decision,
    request_extension,
    set_might_stay,
)
from bot.core.approval.steps import Stage
from bot.scheduling.model import TourRef
from tests.bot.applications.fakes import ORGANISER, WORKSPACE, FakeUnitOfWork, context

VISITOR, HOST_LEAD, HOME_LEAD = "U0VISITOR", "U0HOSTLEAD", "U0HOMELEAD"
STARTS, ENDS = date(2026, 11, 16), date(2026, 12, 11)
DURING = date(2026, 11, 23)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    visitor = uow.add_person(VISITOR, uow.add_team("Commissions", HOME_LEAD))
    opening = uow.add_opening(uow.add_team("Search", HOST_LEAD))
    uow.add_tour(visitor, opening, starts_on=STARTS, ends_on=ENDS)
    return uow


def asked(uow: FakeUnitOfWork) -> int:
    tour_id = uow.tours.rows[0].id
    outcome = request_extension(uow, at(VISITOR), tour_id, ExtensionInput(2, "Finish it"))
    return outcome.extension.extension_id


def at(actor: str):
    return context(actor, DURING)


def host_agreed(uow: FakeUnitOfWork) -> int:
    extension_id = asked(uow)
    assert host_decides(uow, at(HOST_LEAD), extension_id, agree=True).ok
    return extension_id


def status(uow: FakeUnitOfWork) -> str:
    return uow.extensions.rows[0].status


def test_the_host_lead_agrees_and_the_home_lead_is_asked(uow):
    outcome = host_decides(uow, at(HOST_LEAD), asked(uow), agree=True)
    assert outcome.notices == ((ExtensionNotice.HOME_REQUEST, HOME_LEAD),)
    assert status(uow) == ExtensionStatus.HOST_AGREED


def test_the_host_lead_declines_with_a_reason_and_the_visitor_is_told(uow):
    outcome = host_decides(uow, at(HOST_LEAD), asked(uow), agree=False, reason="Busy")
    assert outcome.notices == ((ExtensionNotice.DECLINED, VISITOR),)
    assert status(uow) == ExtensionStatus.DECLINED
    assert uow.extensions.rows[0].decision_reason == "Busy"


@pytest.mark.parametrize("agree", [True, False])
def test_a_host_decision_taken_by_someone_else_meanwhile_changes_nothing(uow, agree):
    extension_id = asked(uow)
    uow.extensions.someone_else_decides = True
    outcome = host_decides(uow, at(HOST_LEAD), extension_id, agree=agree)
    assert outcome.refusal == WORDING.just_decided
    assert status(uow) == ExtensionStatus.SUBMITTED


def test_a_request_that_does_not_exist_is_refused(uow):
    for decide in (host_decides, home_decides):
        outcome = decide(uow, at(HOST_LEAD), 999_999, agree=True)
        assert outcome.refusal == "That request for more time no longer exists."


@pytest.mark.parametrize("tour_status", ["cancelled", "completed"])
def test_a_request_on_a_visit_no_longer_on_is_not_decided(uow, tour_status):
    extension_id = asked(uow)
    uow.tours.rows[0].status = tour_status
    outcome = host_decides(uow, at(HOST_LEAD), extension_id, agree=True)
    assert outcome.refusal == "That visit is no longer on, so there is nothing to extend."
    assert prepare_decision(uow, at(HOST_LEAD), extension_id, Stage.HOST).refusal


def test_before_a_modal_opens_only_the_right_decider_is_let_through(uow):
    extension_id = asked(uow)
    assert prepare_decision(uow, at(HOST_LEAD), extension_id, Stage.HOST).extension_id
    assert prepare_decision(uow, at(VISITOR), extension_id, Stage.HOST).refusal.startswith(
        "Nobody decides on their own visit"
    )
    waiting = prepare_decision(uow, at(HOME_LEAD), extension_id, Stage.HOME)
    assert waiting.refusal == (
        "Nothing changed: this request for more time is waiting for the host team lead."
    )


def test_the_home_lead_agrees_after_the_host_and_the_visit_ends_later(uow):
    extension_id = host_agreed(uow)
    outcome = home_decides(uow, at(HOME_LEAD), extension_id, agree=True)
    assert outcome.ok and status(uow) == ExtensionStatus.AGREED
    assert uow.tours.rows[0].ends_on == ENDS + timedelta(weeks=2)
    assert {who for _, who in outcome.notices} == {VISITOR, HOST_LEAD, HOME_LEAD}
    # The request, re-rendered, is about the end before the extra weeks.
    assert outcome.extension is not None and outcome.extension.ends_before == ENDS


def test_the_extended_visit_has_its_messages_planned_again(uow):
    hooked = []
    extension_id = host_agreed(uow)
    home_decides(uow, at(HOME_LEAD), extension_id, agree=True, on_tour=lambda *a: hooked.append(a))
    tour = uow.tours.rows[0]
    assert hooked == [(uow, TourRef(WORKSPACE, tour.id))]


def test_the_buddy_is_told_of_the_extra_weeks(uow):
    uow.tours.rows[0].buddy_user_id = "U0BUDDY"
    outcome = home_decides(uow, at(HOME_LEAD), host_agreed(uow), agree=True)
    assert (ExtensionNotice.AGREED, "U0BUDDY") in outcome.notices


def test_an_organiser_may_stand_in_for_the_home_lead_nobody_else(uow):
    extension_id = host_agreed(uow)
    refusal = home_decides(uow, at(HOST_LEAD), extension_id, agree=True).refusal
    assert refusal.startswith("Only a lead of the visitor's home team (or an organiser)")
    own = home_decides(uow, at(VISITOR), extension_id, agree=True).refusal
    assert own.startswith("Nobody decides on their own visit")
    assert status(uow) == ExtensionStatus.HOST_AGREED
    assert home_decides(uow, at(ORGANISER), extension_id, agree=True).ok


def test_the_home_lead_waits_for_the_host_lead(uow):
    extension_id = asked(uow)
    outcome = home_decides(uow, at(HOME_LEAD), extension_id, agree=True)
    assert outcome.refusal.startswith("Nothing changed: this request for more time is")
    assert status(uow) == ExtensionStatus.SUBMITTED and uow.tours.rows[0].ends_on == ENDS


def test_the_home_lead_declines_and_the_visit_keeps_its_end(uow):
    extension_id = host_agreed(uow)
    outcome = home_decides(uow, at(HOME_LEAD), extension_id, agree=False, reason="We need you")
    assert outcome.notices == ((ExtensionNotice.DECLINED, VISITOR),)
    assert status(uow) == ExtensionStatus.DECLINED and uow.tours.rows[0].ends_on == ENDS


@pytest.mark.parametrize("agree", [True, False])
def test_a_home_decision_taken_by_someone_else_meanwhile_changes_nothing(uow, agree):
    extension_id = host_agreed(uow)
    uow.extensions.someone_else_decides = True
    outcome = home_decides(uow, at(HOME_LEAD), extension_id, agree=agree)
    assert outcome.refusal == WORDING.just_decided
    assert uow.tours.rows[0].ends_on == ENDS


def test_dates_changed_meanwhile_leave_the_request_waiting(uow):
    extension_id = host_agreed(uow)
    original = uow.extensions.extend_tour
    uow.extensions.extend_tour = lambda tour, before, after: False
    outcome = home_decides(uow, at(HOME_LEAD), extension_id, agree=True)
    assert (
        outcome.refusal == "Nothing changed: the visit's dates have just changed. Please try again."
    )
    assert uow.commits == 2  # the request and the host's agreement; not this step
    uow.extensions.extend_tour = original


def test_past_the_home_team_cap_the_home_lead_gives_a_reason(uow):
    extension_id = host_agreed(uow)
    uow.tours.absences_from_team = lambda *_, **__: [(ENDS, ENDS + timedelta(weeks=3))]
    without = home_decides(uow, at(HOME_LEAD), extension_id, agree=True)
    assert "override_reason" in without.errors and status(uow) == ExtensionStatus.HOST_AGREED
    with_reason = home_decides(
        uow, at(HOME_LEAD), extension_id, agree=True, override_reason="Quiet month"
    )
    assert with_reason.ok and uow.extensions.rows[0].decision_reason == "Quiet month"


def test_might_stay_is_said_once_by_the_visitor_of_a_visit_not_over(uow):
    tour = uow.tours.rows[0]
    assert set_might_stay(uow, at(VISITOR), tour.id, might_stay=True).leads == (
        HOST_LEAD,
        HOME_LEAD,
    )
    again = set_might_stay(uow, at(VISITOR), tour.id, might_stay=True)
    assert again.refusal == "Nothing changed: the leads already know you might like to stay."
    assert set_might_stay(uow, at(VISITOR), tour.id, might_stay=False).refusal is None
    unsaid = set_might_stay(uow, at(VISITOR), tour.id, might_stay=False)
    assert unsaid.refusal == "Nothing changed: you had not said you might like to stay."
    stranger = set_might_stay(uow, at(HOST_LEAD), tour.id, might_stay=False)
    assert stranger.refusal.startswith("Only the visitor")
    after = context(VISITOR, ENDS + timedelta(days=1))
    assert set_might_stay(uow, after, tour.id, might_stay=False).refusal == "That visit has ended."
    assert set_might_stay(uow, after, None, might_stay=False).refusal == (
        "You have no visit booked or under way."
    )
    assert set_might_stay(uow, context(VISITOR, ENDS), None, might_stay=True).refusal is None
