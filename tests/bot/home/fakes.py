"""An in-memory stand-in for the Home's port: each answer is what a test put in, per person."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from bot.home.model import (
    Counted,
    HomeApplication,
    HomeOpening,
    HomePerson,
    HomeTour,
    HomeViewer,
    Hosting,
    LedTeams,
    OpeningName,
    OrganiserCounts,
    PendingDecision,
    TeamAway,
)
from bot.matching import MatchIndex, Organisation

WORKSPACE = "T0TEST"
NO_COUNTS = OrganiserCounts(open_openings=0, pending_approvals=0, active_tours=0)


@dataclass
class FakeOverview:
    people: dict[str, HomePerson] = field(default_factory=dict)
    leads: set[str] = field(default_factory=set)
    tours: dict[str, list[HomeTour]] = field(default_factory=dict)
    applications: dict[str, Counted[HomeApplication]] = field(default_factory=dict)
    openings: dict[str, Counted[HomeOpening]] = field(default_factory=dict)
    pending: dict[str, Counted[PendingDecision]] = field(default_factory=dict)
    counts: OrganiserCounts = NO_COUNTS
    away: dict[str, list[TeamAway]] = field(default_factory=dict)
    hosted: dict[str, list[Hosting]] = field(default_factory=dict)
    names: dict[int, OpeningName] = field(default_factory=dict)

    def viewer(self, workspace_id: str, user_id: str) -> HomeViewer:
        if workspace_id != WORKSPACE:
            return HomeViewer(None, leads_teams=False)
        return HomeViewer(self.people.get(user_id), leads_teams=user_id in self.leads)

    def tours_of(self, workspace_id: str, user_id: str) -> Sequence[HomeTour]:
        return self.tours.get(user_id, [])

    def applications_of(self, workspace_id: str, user_id: str) -> Counted[HomeApplication]:
        return self.applications.get(user_id, Counted())

    def openings_led_by(self, workspace_id: str, user_id: str) -> Counted[HomeOpening]:
        return self.openings.get(user_id, Counted())

    def pending_for(self, workspace_id: str, user_id: str) -> Counted[PendingDecision]:
        return self.pending.get(user_id, Counted())

    def organiser_counts(self, workspace_id: str) -> OrganiserCounts:
        return self.counts

    def led_teams(self, workspace_id: str, user_id: str, today: date) -> LedTeams:
        return LedTeams(self.away.get(user_id, []), self.hosted.get(user_id, []))

    def opening_names(
        self, workspace_id: str, opening_ids: Sequence[int]
    ) -> Mapping[int, OpeningName]:
        return {id_: self.names[id_] for id_ in opening_ids if id_ in self.names}


@dataclass
class FakeMatching:
    org: Organisation

    def index(
        self, workspace_id: str, *, today: date, related_topics: Mapping[str, frozenset[str]]
    ) -> MatchIndex:
        return MatchIndex(self.org)


@dataclass
class FakeHomeReader:
    overview: FakeOverview
    matching: FakeMatching
