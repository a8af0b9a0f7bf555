"""A round's proposals on both databases: read back as values with what answering them checks,
answered once (compare-and-set)."""

from datetime import date

import pytest
from sqlalchemy import update

from bot.matching import RoundMode
from bot.matching.model import NewProposal, ProposalStatus
from bot.openings.model import Status as OpeningStatus
from storage.models import Application, Opening
from tests.conftest import NOW
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team

VISITOR = "U0VISITOR"


@pytest.fixture
def proposed(uow_factory) -> tuple[int, int, int]:
    """(proposal id, the visitor's person id, the opening id) of a proposal sent to VISITOR."""
    with uow_factory() as uow:
        person = seed_person(uow, VISITOR, learning_goal="Learn streaming")
        team = seed_team(uow, "Streaming", leads=("U0LEAD",))
        opening = seed_opening(
            uow, team, "Kafka", earliest_start=date(2027, 1, 4), latest_end=date(2027, 3, 1)
        )
        proposal_id = uow.proposals.create_once(
            WORKSPACE,
            NewProposal(
                visitor_id=VISITOR,
                opening_id=opening.id,
                starts_on=date(2027, 1, 4),
                ends_on=date(2027, 1, 31),
                mode=RoundMode.FAIR,
                explanation="You both care about streams.",
                sent_by="U0ORG",
                created_at=NOW,
            ),
        )
        uow.commit()
        assert proposal_id is not None
        return proposal_id, person.id, opening.id


def test_a_proposal_reads_back_as_its_visitor_answers_it(uow_factory, proposed):
    proposal_id, person_id, opening_id = proposed
    with uow_factory() as uow:
        proposal = uow.proposals.get(WORKSPACE, proposal_id)
        assert uow.proposals.get("T0OTHER", proposal_id) is None
    assert proposal is not None
    assert (proposal.visitor_id, proposal.person_id, proposal.opening_id) == (
        VISITOR,
        person_id,
        opening_id,
    )
    assert proposal.status == ProposalStatus.SENT
    assert (proposal.starts_on, proposal.ends_on) == (date(2027, 1, 4), date(2027, 1, 31))
    assert proposal.explanation == "You both care about streams."
    assert proposal.learning_goal == "Learn streaming"
    assert proposal.opening_status == OpeningStatus.OPEN and proposal.seats_left == 1
    assert not proposal.applied and not proposal.opening_gone


def test_a_live_application_to_the_opening_shows_on_the_proposal(uow_factory, proposed):
    proposal_id, person_id, opening_id = proposed
    with uow_factory() as uow:
        application = Application(
            workspace_id=WORKSPACE,
            person_id=person_id,
            opening_id=opening_id,
            starts_on=date(2027, 1, 4),
            ends_on=date(2027, 1, 31),
        )
        uow.session.add(application)
        uow.session.flush()
        assert uow.proposals.get(WORKSPACE, proposal_id).applied
        application.status = "withdrawn"
        uow.session.flush()
        assert not uow.proposals.get(WORKSPACE, proposal_id).applied


def test_a_proposal_is_answered_once(uow_factory, proposed):
    proposal_id, _, _ = proposed
    with uow_factory() as uow:
        assert not uow.proposals.answer("T0OTHER", proposal_id, ProposalStatus.DECLINED)
        assert uow.proposals.answer(WORKSPACE, proposal_id, ProposalStatus.ACCEPTED)
        assert not uow.proposals.answer(WORKSPACE, proposal_id, ProposalStatus.DECLINED)
        uow.commit()
    with uow_factory() as uow:
        assert uow.proposals.get(WORKSPACE, proposal_id).status == ProposalStatus.ACCEPTED
        assert uow.proposals.waiting(WORKSPACE) == []


@pytest.mark.parametrize(
    "change", [{"seats_taken": 1}, {"status": OpeningStatus.CLOSED.value}], ids=["filled", "closed"]
)
def test_an_opening_that_filled_up_or_closed_shows_on_the_proposal(uow_factory, proposed, change):
    proposal_id, _, opening_id = proposed
    with uow_factory() as uow:
        uow.session.execute(update(Opening).where(Opening.id == opening_id).values(**change))
        uow.commit()
    with uow_factory() as uow:
        assert uow.proposals.get(WORKSPACE, proposal_id).opening_gone
