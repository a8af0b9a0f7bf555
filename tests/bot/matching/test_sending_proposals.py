"""Sending a round's proposals: once per visitor and opening; someone a proposal waits for is left
out, and the proposal holds a seat of its opening."""

from bot.matching import RoundMode
from bot.matching.service import SentRound, send_proposals
from tests.bot.applications.fakes import ORGANISER, context
from tests.bot.matching.builders import opening, org, visitor
from tests.bot.matching.fakes import RoundUnitOfWork

ANA, BEN = "U0ANA", "U0BEN"


def round_of(*people: str, seats: int = 1) -> RoundUnitOfWork:
    """One opening with `seats`, and `people` who all fit it."""
    uow = RoundUnitOfWork()
    posted = uow.add_opening()
    uow.matching.organisation_now = org(
        [visitor(person) for person in people], [opening(str(posted.id), seats=seats)]
    )
    return uow


def send(uow: RoundUnitOfWork) -> SentRound:
    return send_proposals(uow, context(ORGANISER), RoundMode.BEST_TOTAL_FIT, related={})


def test_each_placement_is_proposed_and_recorded_in_one_commit():
    uow = round_of(ANA)
    sent = send(uow)
    [proposal] = sent.sent
    [recorded] = uow.proposals.rows
    assert (proposal.visitor_id, proposal.opening.id) == (ANA, recorded.opening_id)
    assert (proposal.starts_on, proposal.ends_on) == (recorded.starts_on, recorded.ends_on)
    assert proposal.explanation and proposal.explanation == recorded.explanation
    assert recorded.mode == RoundMode.BEST_TOTAL_FIT and recorded.sent_by == ORGANISER
    assert (sent.waiting, sent.already_sent) == (0, 0)
    assert uow.audit.actions == ["round_proposals_sent"] and uow.commits == 1


def test_someone_a_proposal_waits_for_is_left_out_of_the_next_round():
    uow = round_of(ANA, seats=2)
    send(uow)
    again = send(uow)
    assert (again.sent, again.waiting, again.already_sent) == ((), 1, 0)


def test_a_waiting_proposal_holds_its_seat():
    uow = round_of(ANA, BEN)
    [first] = send(uow).sent
    again = send(uow)
    assert first.visitor_id in (ANA, BEN)
    assert (again.sent, again.waiting) == ((), 1)  # the other one: the only seat is held


def test_a_waiting_proposal_holds_one_seat_only():
    uow = round_of(ANA, BEN, seats=2)
    send(uow)
    held = uow.proposals.rows[0]
    uow.proposals.rows = [held]  # the other placement was never recorded
    again = send(uow)
    assert [p.visitor_id for p in again.sent] == [BEN if held.visitor_id == ANA else ANA]


def test_a_placement_another_round_proposed_at_the_same_moment_is_counted_not_sent():
    uow = round_of(ANA)
    send(uow)
    uow.proposals.raced = True
    again = send(uow)
    assert again.sent == () and again.already_sent == 1
