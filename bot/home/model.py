"""What the App Home shows one person: their part of the programme, plain data for the views."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Generic, TypeVar

from bot.checkins.model import WeekAnswer
from bot.core.calendar import Period
from bot.core.visit_rules import most_away_on_one_day
from bot.core.visits import LIVE_TOUR_STATUSES
from bot.profiles.model import Profile

T = TypeVar("T")

SHOWN_PER_LIST = 10  # past this a list says "and N more" (Home holds 100 blocks at most)


@dataclass(frozen=True)
class HomePerson:
    """Someone with a profile, and the name of their home team when they have one."""

    profile: Profile
    home_team_name: str | None


@dataclass(frozen=True)
class HomeViewer:
    """Who opens the Home: their profile (None before they set one up) and whether they lead."""

    person: HomePerson | None
    leads_teams: bool


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
class OpeningName:
    """How a suggested opening is named: its title and its host team's name."""

    title: str
    team_name: str


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
class Absence:
    """One of a home lead's people away on a visit now or later, with their latest check-in."""

    visitor_id: str
    host_team_name: str
    starts_on: date
    ends_on: date
    latest: WeekAnswer | None = None


@dataclass(frozen=True)
class TeamAway:
    """A team the person leads: who is away on a visit now or later, against its cap."""

    team_name: str
    away_cap: int
    absences: Sequence[Absence] = ()

    def periods(self) -> list[Period]:
        return [Period(a.starts_on, a.ends_on) for a in self.absences]

    def away_on(self, day: date) -> int:
        return sum(period.contains(day) for period in self.periods())

    def most_away_at_once(self, today: date) -> int:
        """The most people away on one working day from today on: the rule a request's cap
        check uses (bot.core.visit_rules), over the days until the last absence ends."""
        last_day = max((a.ends_on for a in self.absences), default=today)
        return most_away_on_one_day(Period(today, max(today, last_day)), self.periods())


class HostingLoad(StrEnum):
    ROOM = "room"
    APPROACHING = "approaching"
    AT_LIMIT = "at_limit"
    OVER = "over"


def hosting_load(hosted: int, limit: int | None) -> HostingLoad:
    """Where a count of visitors stands against a limit; "approaching" once a visitor came and
    at most a quarter of the places (at least one) is left."""
    if limit is None or hosted == 0 or hosted < limit - max(1, limit // 4):
        return HostingLoad.ROOM
    if hosted < limit:
        return HostingLoad.APPROACHING
    return HostingLoad.AT_LIMIT if hosted == limit else HostingLoad.OVER


QUARTERS_A_YEAR = 4


def quarter_around(day: date) -> tuple[date, date]:
    """The calendar quarter holding `day`: its first day and the first day after it."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + 1, 1, 1) if first_month == 10 else date(day.year, first_month + 3, 1)
    return start, end


@dataclass(frozen=True)
class Hosting:
    """A team the person leads: visitors it hosts this quarter and this year (visits starting
    then, cancelled ones aside), against its visitors_per_quarter (four of them a year)."""

    team_name: str
    this_quarter: int
    this_year: int
    per_quarter: int | None

    @property
    def per_year(self) -> int | None:
        return None if self.per_quarter is None else self.per_quarter * QUARTERS_A_YEAR

    def quarter_load(self) -> HostingLoad:
        return hosting_load(self.this_quarter, self.per_quarter)

    def year_load(self) -> HostingLoad:
        return hosting_load(self.this_year, self.per_year)


@dataclass(frozen=True)
class LedTeams:
    """The teams a person leads: who is away from each, and what each hosts."""

    away: Sequence[TeamAway] = ()
    hosting: Sequence[Hosting] = ()


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
    teams_away: Sequence[TeamAway] = ()
    hosting: Sequence[Hosting] = ()

    def current_or_next_tour(self) -> HomeTour | None:
        live = [t for t in self.tours if t.status in LIVE_TOUR_STATUSES and t.ends_on >= self.today]
        return min(live, key=lambda tour: tour.starts_on, default=None)


def days_left(tour: HomeTour, today: date) -> int:
    """Days until the visit starts, or until it ends once it is under way."""
    target = tour.starts_on if today < tour.starts_on else tour.ends_on
    return (target - today).days
