"""The matcher's write side in memory: a proposal book over the application fakes' rows, so that
accepting a proposal applies through the same fakes the application steps use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from itertools import count
from types import SimpleNamespace

from bot.matching.model import Proposal, ProposalStatus
from bot.openings.model import Status as OpeningStatus
from tests.bot.applications.fakes import WORKSPACE, FakeApplications, FakeUnitOfWork

_ids = count(1)


@dataclass
class StoredProposal:
    """A proposal as the database holds it: its visitor's and opening's rows are read anew."""

    id: int
    visitor: SimpleNamespace
    opening: SimpleNamespace
    status: ProposalStatus = ProposalStatus.SENT
    starts_on: date = date(2026, 12, 7)
    ends_on: date = date(2027, 1, 3)
    explanation: str = "You both care about search."


@dataclass
class FakeProposalBook:
    applications: FakeApplications
    rows: list[StoredProposal] = field(default_factory=list)
    # Someone else answers between the use case's read and its compare-and-set write.
    someone_else_answers: bool = False

    def get(self, workspace_id: str, proposal_id: int) -> Proposal | None:
        stored = self._stored(workspace_id, proposal_id)
        if stored is None:
            return None
        visitor, opening = stored.visitor, stored.opening
        live = self.applications.live_for(workspace_id, visitor.id, opening.id)
        return Proposal(
            id=stored.id,
            visitor_id=visitor.user_id,
            person_id=visitor.id,
            opening_id=opening.id,
            status=stored.status,
            starts_on=stored.starts_on,
            ends_on=stored.ends_on,
            explanation=stored.explanation,
            learning_goal=visitor.learning_goal,
            opening_status=OpeningStatus(opening.status),
            seats_left=opening.open_seats,
            applied=live is not None,
        )

    def answer(self, workspace_id: str, proposal_id: int, status: ProposalStatus) -> bool:
        stored = self._stored(workspace_id, proposal_id)
        if self.someone_else_answers and stored is not None:
            stored.status = ProposalStatus.DECLINED
        if stored is None or stored.status != ProposalStatus.SENT:
            return False
        stored.status = status
        return True

    def _stored(self, workspace_id: str, proposal_id: int) -> StoredProposal | None:
        if workspace_id != WORKSPACE:
            return None
        return next((p for p in self.rows if p.id == proposal_id), None)


class ProposalsUnitOfWork(FakeUnitOfWork):
    """The application fakes with a typed proposal book."""

    def __init__(self) -> None:
        super().__init__()
        self.proposals = FakeProposalBook(self.applications)

    def add_proposal(self, visitor: SimpleNamespace, to: SimpleNamespace) -> StoredProposal:
        row = StoredProposal(next(_ids), visitor, to)
        self.proposals.rows.append(row)
        return row
