"""What the matcher's read-side use cases (my suggestions, a lead's candidates, a fit, a round's
preview) read: domain values only (storage.repositories implement these)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Protocol

from bot.matching.index import MatchIndex
from bot.matching.model import Organisation
from bot.openings.model import PostedOpening


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
