"""What the App Home reads: one repository of narrow read models, and the kept matching index."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Protocol

from bot.home.model import (
    Counted,
    HomeApplication,
    HomeOpening,
    HomeTour,
    HomeViewer,
    LedTeams,
    OpeningName,
    OrganiserCounts,
    PendingDecision,
)
from bot.matching import MatchIndex


class HomeOverview(Protocol):
    """Each answer is a fixed handful of queries, however many rows there are."""

    def viewer(self, workspace_id: str, user_id: str) -> HomeViewer: ...

    def tours_of(self, workspace_id: str, user_id: str) -> Sequence[HomeTour]: ...

    def applications_of(self, workspace_id: str, user_id: str) -> Counted[HomeApplication]: ...

    def openings_led_by(self, workspace_id: str, user_id: str) -> Counted[HomeOpening]: ...

    def pending_for(self, workspace_id: str, user_id: str) -> Counted[PendingDecision]: ...

    def organiser_counts(self, workspace_id: str) -> OrganiserCounts: ...

    def led_teams(self, workspace_id: str, user_id: str, today: date) -> LedTeams: ...

    def opening_names(
        self, workspace_id: str, opening_ids: Sequence[int]
    ) -> Mapping[int, OpeningName]:
        """The workspace's openings among `opening_ids`, by id."""
        ...


class MatchIndexSource(Protocol):
    def index(
        self, workspace_id: str, *, today: date, related_topics: Mapping[str, frozenset[str]]
    ) -> MatchIndex: ...


class HomeReader(Protocol):
    """The read-only transaction a Home render runs in."""

    @property
    def overview(self) -> HomeOverview: ...
    @property
    def matching(self) -> MatchIndexSource: ...
