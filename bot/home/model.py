"""What the App Home shows one person: their part of the programme, plain data for the views."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar

from bot.profiles.model import Profile

T = TypeVar("T")

SHOWN_PER_LIST = 10  # past this a list says "and N more" (Home holds 100 blocks at most)


@dataclass(frozen=True)
class HomeTour:
    opening_title: str
    host_team_name: str
    starts_on: date
    ends_on: date
    buddy_id: str | None
    status: str
    tour_id: int
    might_stay: bool


@dataclass(frozen=True)
class HomeApplication:
    application_id: int
    opening_title: str
    host_team_name: str
    starts_on: date
    ends_on: date
    status: str


@dataclass(frozen=True)
class HomeOpening:
    opening_id: int
    title: str
    team_name: str
    open_seats: int
    seats: int
    status: str


@dataclass(frozen=True)
class PendingDecision:
    """An application waiting for this lead, as host (accept) or home lead (agree)."""

    application_id: int
    visitor_id: str
    opening_title: str
    host_team_name: str
    starts_on: date
    ends_on: date
    as_host: bool


@dataclass(frozen=True)
class Counted(Generic[T]):
    """The first rows of a list and how many there are in all."""

    rows: Sequence[T] = ()
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class HomeSuggestion:
    opening_id: int
    title: str
    team_name: str
    why: str


@dataclass(frozen=True)
class OrganiserCounts:
    open_openings: int
    pending_approvals: int
    active_tours: int


@dataclass(frozen=True)
class HomeData:
    user_id: str
    today: date
    profile: Profile | None
    home_team_name: str | None
    tours: Sequence[HomeTour] = ()
    applications: Counted[HomeApplication] = field(default_factory=Counted)
    suggestions: Sequence[HomeSuggestion] = ()
    leads_teams: bool = False
    lead_openings: Counted[HomeOpening] = field(default_factory=Counted)
    pending: Counted[PendingDecision] = field(default_factory=Counted)
    organiser: OrganiserCounts | None = None

    def current_or_next_tour(self) -> HomeTour | None:
        live = [
            t for t in self.tours if t.status in ("scheduled", "active") and t.ends_on >= self.today
        ]
        return min(live, key=lambda tour: tour.starts_on, default=None)


def days_left(tour: HomeTour, today: date) -> int:
    """Days until the visit starts, or until it ends once it is under way."""
    target = tour.starts_on if today < tour.starts_on else tour.ends_on
    return (target - today).days
