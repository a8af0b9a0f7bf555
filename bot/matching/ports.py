"""What the matcher's use cases read (my suggestions, a lead's candidates, a fit, a round's
preview) and write (invitations, a round's proposals and their answers): domain values only
(storage.repositories implement these)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Protocol

from bot.applications.ports import Audited, ReadsApplications
from bot.matching.index import MatchIndex
from bot.matching.model import NewProposal, Organisation, Proposal, ProposalStatus
from bot.openings.model import PostedOpening
from bot.profiles.model import Profile


class Matching(Protocol):
    def index(
        self, workspace_id: str, *, today: date, related_topics: Mapping[str, frozenset[str]]
    ) -> MatchIndex:
        """The organisation's matching index, kept between requests while it is current."""
        ...

    def organisation(
        self, workspace_id: str, *, today: date, related_topics: Mapping[str, frozenset[str]]
    ) -> Organisation: ...


class MatchedOpenings(Protocol):
    def by_ids(self, workspace_id: str, opening_ids: Sequence[int]) -> dict[int, PostedOpening]: ...

    def open(
        self, workspace_id: str, team_ids: Sequence[int] | None = None
    ) -> list[PostedOpening]: ...


class MatchedTeams(Protocol):
    def ids_led_by(self, workspace_id: str, user_id: str) -> list[int]: ...

    def names_of(self, workspace_id: str, team_ids: Sequence[int]) -> dict[int, str]:
        """The names of the workspace's teams among `team_ids`, by id."""
        ...


class Proposals(Protocol):
    def waiting(self, workspace_id: str) -> list[tuple[str, int]]:
        """(visitor's user id, opening id) of every unanswered proposal of an open opening."""
        ...


class MatchingReader(Protocol):
    @property
    def matching(self) -> Matching: ...
    @property
    def openings(self) -> MatchedOpenings: ...
    @property
    def teams(self) -> MatchedTeams: ...
    @property
    def proposals(self) -> Proposals: ...


class Invitations(Protocol):
    def invite_once(
        self, workspace_id: str, opening_id: int, visitor: str, lead: str, now: datetime
    ) -> bool:
        """Records the invitation; False when this person was already invited to the opening."""
        ...

    def forget_invitation(self, workspace_id: str, opening_id: int, visitor: str) -> None: ...


class RoundProposals(Proposals, Protocol):
    def create_once(self, workspace_id: str, proposal: NewProposal) -> int | None:
        """The new proposal's id, or None when the visitor already holds an unanswered one for
        the opening (a round sent twice at once)."""
        ...


class AnsweredProposals(Protocol):
    def get(self, workspace_id: str, proposal_id: int) -> Proposal | None:
        """The proposal, held until the transaction ends: a second answer waits for the first."""
        ...

    def answer(self, workspace_id: str, proposal_id: int, status: ProposalStatus) -> bool:
        """Compare-and-set: records the answer only if the proposal still waits for one."""
        ...


class ProposalBook(RoundProposals, AnsweredProposals, Invitations, Protocol):
    """Everything the matcher writes: what a writing unit of work holds."""


class InvitedOpenings(Protocol):
    def get(self, workspace_id: str, opening_id: int) -> PostedOpening | None: ...


class InvitedPeople(Protocol):
    def profile(self, workspace_id: str, user_id: str) -> Profile | None: ...


class Inviting(Audited, Protocol):
    @property
    def openings(self) -> InvitedOpenings: ...
    @property
    def people(self) -> InvitedPeople: ...
    @property
    def proposals(self) -> Invitations: ...
    def commit(self) -> None: ...


class ForgettingInvitations(Protocol):
    @property
    def proposals(self) -> Invitations: ...
    def commit(self) -> None: ...


class SendingProposals(MatchingReader, Audited, Protocol):
    @property
    def proposals(self) -> RoundProposals: ...
    def commit(self) -> None: ...


class AnsweringProposals(Audited, ReadsApplications, Protocol):
    """Accepting applies through the applications' port, as the apply form does."""

    @property
    def proposals(self) -> AnsweredProposals: ...

    def commit(self) -> None: ...
