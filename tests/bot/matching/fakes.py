"""The matcher's write side in memory: a proposal book over the application fakes' rows (so that
accepting a proposal applies through the same fakes the application steps use), and what inviting
a candidate reads and writes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import count
from types import SimpleNamespace

from bot.matching.model import NewProposal, Organisation, Proposal, ProposalStatus
from bot.openings.model import OpeningDraft, PostedOpening
from bot.openings.model import Status as OpeningStatus
from bot.profiles.model import Profile
from tests.bot.applications.fakes import (
    NOW,
    WORKSPACE,
    FakeApplications,
    FakeAudit,
    FakeUnitOfWork,
)
from tests.bot.openings.fakes import FakeOpenings, FakeTeams

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


@dataclass
class FakeInvitations:
    sent: set[tuple[int, str]] = field(default_factory=set)

    def invite_once(
        self, workspace_id: str, opening_id: int, visitor: str, lead: str, now: datetime
    ) -> bool:
        if (opening_id, visitor) in self.sent:
            return False
        self.sent.add((opening_id, visitor))
        return True

    def forget_invitation(self, workspace_id: str, opening_id: int, visitor: str) -> None:
        self.sent.discard((opening_id, visitor))


@dataclass
class FakeInvitedPeople:
    profiles: dict[str, Profile] = field(default_factory=dict)

    def profile(self, workspace_id: str, user_id: str) -> Profile | None:
        return self.profiles.get(user_id) if workspace_id == WORKSPACE else None


@dataclass
class InvitingUnitOfWork:
    """What inviting a candidate reads and writes, in memory."""

    openings: FakeOpenings = field(default_factory=lambda: FakeOpenings(FakeTeams()))
    people: FakeInvitedPeople = field(default_factory=FakeInvitedPeople)
    proposals: FakeInvitations = field(default_factory=FakeInvitations)
    audit: FakeAudit = field(default_factory=FakeAudit)
    commits: int = 0

    def commit(self) -> None:
        self.commits += 1

    def add_opening(self, *leads: str) -> PostedOpening:
        return posted_opening(self.openings, *leads)


@dataclass
class FakeRoundProposals:
    """The proposals a round records: one unanswered per visitor and opening."""

    rows: list[NewProposal] = field(default_factory=list)
    # Another organiser's round recorded its proposals after this one read the waiting ones.
    raced: bool = False

    def waiting(self, workspace_id: str) -> list[tuple[str, int]]:
        if self.raced or workspace_id != WORKSPACE:
            return []
        return [(p.visitor_id, p.opening_id) for p in self.rows]

    def create_once(self, workspace_id: str, proposal: NewProposal) -> int | None:
        if (proposal.visitor_id, proposal.opening_id) in {
            (p.visitor_id, p.opening_id) for p in self.rows
        }:
            return None
        self.rows.append(proposal)
        return len(self.rows)


@dataclass
class FakeMatching:
    organisation_now: Organisation | None = None

    def organisation(
        self, workspace_id: str, *, today: date, related_topics: Mapping[str, frozenset[str]]
    ) -> Organisation:
        assert self.organisation_now is not None and workspace_id == WORKSPACE
        return self.organisation_now


@dataclass
class RoundUnitOfWork:
    """What sending a round's proposals reads and writes, in memory."""

    matching: FakeMatching = field(default_factory=FakeMatching)
    openings: FakeOpenings = field(default_factory=lambda: FakeOpenings(FakeTeams()))
    proposals: FakeRoundProposals = field(default_factory=FakeRoundProposals)
    audit: FakeAudit = field(default_factory=FakeAudit)
    commits: int = 0

    def commit(self) -> None:
        self.commits += 1

    def add_opening(self) -> PostedOpening:
        return posted_opening(self.openings, "U0LEAD")


def posted_opening(openings: FakeOpenings, *leads: str) -> PostedOpening:
    """An open opening of a new team led by `leads`."""
    team = SimpleNamespace(id=next(_ids), name="Search", leads=list(leads))
    openings.teams.rows.append(team)
    draft = OpeningDraft(team_id=team.id, title="Tune the ranking")
    return openings.create(WORKSPACE, draft, created_by=leads[0], now=NOW)
