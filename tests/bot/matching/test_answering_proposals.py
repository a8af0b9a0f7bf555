"""Answering a proposal from a matching round: only its visitor, once, while the seat is there."""

import pytest

from bot.applications.service import Notice, Status
from bot.matching.model import ProposalStatus
from bot.matching.service import answer_proposal
from tests.bot.applications.fakes import context
from tests.bot.matching.fakes import ProposalsUnitOfWork

VISITOR, HOST_LEAD, HOME_LEAD = "U0VISITOR", "U0HOSTLEAD", "U0HOMELEAD"


@pytest.fixture
def uow() -> ProposalsUnitOfWork:
    uow = ProposalsUnitOfWork()
    uow.add_person(VISITOR, uow.add_team("Commissions", HOME_LEAD))
    return uow


def proposal(uow: ProposalsUnitOfWork, **opening_fields):
    [visitor] = uow.people.rows
    opening = uow.add_opening(uow.add_team("Search", HOST_LEAD), **opening_fields)
    return uow.add_proposal(visitor, opening)


def test_accepting_applies_and_asks_the_host_lead_who_may_still_decline(uow):
    sent = proposal(uow)
    outcome = answer_proposal(uow, context(VISITOR), sent.id, accept=True)
    assert outcome.ok and sent.status == ProposalStatus.ACCEPTED
    [application] = uow.applications.rows
    assert application.status == Status.SUBMITTED
    assert (application.starts_on, application.ends_on) == (sent.starts_on, sent.ends_on)
    assert application.learning_goal == sent.visitor.learning_goal
    assert outcome.visit is not None and outcome.visit.fit == sent.explanation
    assert (Notice.HOST_REQUEST, HOST_LEAD) in outcome.notices
    assert not any(lead == HOME_LEAD for _, lead in outcome.notices)
    assert uow.audit.actions == ["proposal_accepted"] and uow.commits == 1


def test_declining_records_the_answer_and_applies_nowhere(uow):
    sent = proposal(uow)
    assert answer_proposal(uow, context(VISITOR), sent.id, accept=False).ok
    assert sent.status == ProposalStatus.DECLINED and uow.applications.rows == []
    assert uow.audit.actions == ["proposal_declined"] and uow.commits == 1


def test_a_proposal_that_does_not_exist_is_refused(uow):
    outcome = answer_proposal(uow, context(VISITOR), 999_999, accept=True)
    assert outcome.refusal == "That proposal no longer exists."


@pytest.mark.parametrize("accept", [True, False])
def test_only_the_person_it_was_made_to_answers_it(uow, accept):
    sent = proposal(uow)
    outcome = answer_proposal(uow, context(HOST_LEAD), sent.id, accept=accept)
    assert outcome.refusal == "Only the person it was made to can answer it."
    assert sent.status == ProposalStatus.SENT and uow.applications.rows == []
    assert uow.commits == 0


@pytest.mark.parametrize("accept", [True, False])
def test_a_proposal_is_answered_once(uow, accept):
    sent = proposal(uow)
    assert answer_proposal(uow, context(VISITOR), sent.id, accept=True).ok
    again = answer_proposal(uow, context(VISITOR), sent.id, accept=accept)
    assert again.refusal == "Nothing changed: you have already accepted it."
    assert len(uow.applications.rows) == 1 and sent.status == ProposalStatus.ACCEPTED


@pytest.mark.parametrize("accept", [True, False])
def test_an_answer_given_meanwhile_by_another_click_wins(uow, accept):
    sent = proposal(uow)
    uow.proposals.someone_else_answers = True
    outcome = answer_proposal(uow, context(VISITOR), sent.id, accept=accept)
    assert outcome.refusal == "Nothing changed: you have already answered it."
    assert uow.applications.rows == [] and uow.commits == 0


@pytest.mark.parametrize("opening_fields", [{"open_seats": 0}, {"status": "closed"}])
def test_accepting_a_proposal_to_a_filled_or_closed_opening_is_refused(uow, opening_fields):
    sent = proposal(uow, **opening_fields)
    outcome = answer_proposal(uow, context(VISITOR), sent.id, accept=True)
    assert outcome.refusal == "This opening has filled up or closed since it was proposed."
    assert sent.status == ProposalStatus.SENT and uow.applications.rows == []


@pytest.mark.parametrize("opening_fields", [{"open_seats": 0}, {"status": "closed"}])
def test_declining_a_proposal_to_a_filled_or_closed_opening_is_fine(uow, opening_fields):
    sent = proposal(uow, **opening_fields)
    assert answer_proposal(uow, context(VISITOR), sent.id, accept=False).ok
    assert sent.status == ProposalStatus.DECLINED


def test_accepting_after_applying_to_the_same_opening_is_refused_declining_is_not(uow):
    sent = proposal(uow)
    [visitor] = uow.people.rows
    uow.applications.create(workspace_id="T0TEST", opening_id=sent.opening.id, person_id=visitor.id)
    outcome = answer_proposal(uow, context(VISITOR), sent.id, accept=True)
    assert outcome.refusal == "You have already applied to this opening."
    assert answer_proposal(uow, context(VISITOR), sent.id, accept=False).ok
