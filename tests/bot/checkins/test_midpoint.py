"""Who may answer for the host team halfway through a visit, and who hears it: every refusal of
the mid-visit answer on in-memory fakes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.checkins.model import HostView, Midpoint
from bot.checkins.service import answer_midpoint, midpoint_of
from bot.core.visits import TourStatus
from tests.bot.applications.fakes import ORGANISER, context
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

MIDPOINT = Midpoint(TOUR, VISITOR, BUDDY, "Search", "Tune", VISIT.ends_on)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(actor=HOST_LEAD)


def test_the_host_lead_going_fine_reaches_the_buddy(uow):
    assert midpoint_of(uow, context(HOST_LEAD), TOUR) == MIDPOINT
    outcome = answer_midpoint(uow, context(HOST_LEAD), TOUR, HostView.FINE)
    assert (outcome.midpoint, outcome.told) == (MIDPOINT, (BUDDY,)) and uow.commits == 1
    assert [message.recipient for message in uow.planned] == [BUDDY]
    assert uow.audited == [("midpoint_answered", f"tour:{TOUR}", {"view": "fine"})]


def test_concerns_need_a_note_and_reach_the_organisers_too(uow):
    empty = answer_midpoint(uow, context(HOST_LEAD), TOUR, HostView.CONCERNS)
    assert "note" in empty.errors and uow.planned == [] and uow.commits == 0
    outcome = answer_midpoint(uow, context(HOST_LEAD), TOUR, HostView.CONCERNS, "Often away")
    assert outcome.ok and outcome.told == (BUDDY, ORGANISER)
    assert {message.payload["note"] for message in uow.planned} == {"Often away"}


@pytest.mark.parametrize("who", [VISITOR, BUDDY, HOME_LEAD, STRANGER, ORGANISER])
def test_only_a_lead_of_the_host_team_answers(uow, who):
    assert "Only a lead of the host team" in midpoint_of(uow, context(who), TOUR).refusal
    refused = answer_midpoint(uow, context(who), TOUR, HostView.FINE)
    assert "Only a lead of the host team" in refused.refusal
    assert uow.planned == [] and uow.commits == 0


def test_a_host_lead_visiting_their_own_team_does_not_answer_for_it(uow):
    uow.checkins.tour = replace(VISIT, host_leads=(HOST_LEAD, VISITOR))
    refused = answer_midpoint(uow, context(VISITOR), TOUR, HostView.FINE)
    assert "Only a lead of the host team" in refused.refusal and uow.commits == 0


@pytest.mark.parametrize("gone", ["cancelled", "missing", "no tour named"])
def test_a_visit_cancelled_or_gone_is_refused(uow, gone):
    tour_id: int | None = TOUR
    if gone == "cancelled":
        uow.checkins.tour = replace(VISIT, status=TourStatus.CANCELLED)
    elif gone == "missing":
        tour_id = 999
    else:
        tour_id = None
    refused = answer_midpoint(uow, context(HOST_LEAD), tour_id, HostView.FINE)
    assert "cancelled or no longer exists" in refused.refusal
    assert uow.planned == [] and uow.commits == 0
