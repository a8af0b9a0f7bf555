"""The matcher's inputs: plain frozen records built by the storage layer from database rows.

Nothing here knows about Slack or SQL. Topics arrive already normalised by the vocabulary
(lower-case canonical spellings); related topics arrive as a mapping from a topic to the topics it
is related to.
Dates are calendar dates in the organisation's time zone. Identifiers are opaque strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from bot.core.pause import pause_running, paused_on
from bot.openings.model import Status as OpeningStatus

if TYPE_CHECKING:
    from bot.matching.rounds import RoundMode

WorkMode = Literal["onsite", "remote", "either"]
OpeningMode = Literal["onsite", "remote", "hybrid"]
WORK_MODES: tuple[WorkMode, ...] = ("onsite", "remote", "either")
OPENING_MODES: tuple[OpeningMode, ...] = ("onsite", "remote", "hybrid")
OPEN_STATUS = "open"
MAX_TOUR_WEEKS = 12


@dataclass(frozen=True, slots=True)
class Visitor:
    """An engineer who may visit another team.

    `learn` and `teach` are normalised topics. The visitor is available from `available_from` to
    `available_until` (both inclusive) and would like a tour of `preferred_weeks` (1..8) weeks.
    `work_mode` says how they like to work; `city` is where they are; `willing_to_travel` lets
    on-site and hybrid openings in other cities fit. Only visitors who are not paused are matched
    (`looking`, and a dated pause lasts until the day before `snoozed_until`: bot.core.pause).
    `home_team_id` is None for people without a team; they have no home-team cap and no
    home-team blackouts.
    """

    id: str
    home_team_id: str | None
    learn: frozenset[str]
    teach: frozenset[str]
    available_from: date
    available_until: date
    preferred_weeks: int
    work_mode: WorkMode
    city: str | None
    willing_to_travel: bool
    looking: bool = True
    snoozed_until: date | None = None

    def snoozed_on(self, today: date) -> bool:
        return pause_running(self.snoozed_until, today)

    def paused_on(self, today: date) -> bool:
        return paused_on(looking=self.looking, paused_until=self.snoozed_until, today=today)


@dataclass(frozen=True, slots=True)
class Opening:
    """A host team's offer: `weeks` whole weeks of work on `topics`, somewhere between
    `earliest_start` and `latest_end` (inclusive), for up to `seats_left` more visitors.

    `hopes_to_learn` are topics the host would like a visitor to teach. Only openings whose `status`
    is "open" are matched; `mode` is "onsite", "remote" or "hybrid".
    """

    id: str
    host_team_id: str
    topics: frozenset[str]
    hopes_to_learn: frozenset[str]
    earliest_start: date
    latest_end: date
    weeks: int
    seats_left: int
    mode: OpeningMode
    status: str = OPEN_STATUS


@dataclass(frozen=True, slots=True)
class Team:
    """A team, as a home (people leave it) and as a host (people visit it).

    `away_cap`: how many of its members may be away on tours at once (the calendar-aware round
    enforces it per day). `round_cap`: how many members one best-total-fit or fair round may
    place (None: `away_cap`, the safe choice when the round does not look at the calendar).
    `blackouts`: inclusive date ranges when nobody may leave or visit (releases, freezes).
    Host limits: at most `visitors_per_quarter` tours may start in one calendar quarter (None: no
    limit), and a new tour keeps `rest_days` days clear of every tour the team hosts.
    `visitors_hosted`: visitors hosted so far (the small-host bonus favours teams that hosted few).
    """

    id: str
    city: str | None
    away_cap: int
    round_cap: int | None = None
    blackouts: tuple[tuple[date, date], ...] = ()
    visitors_per_quarter: int | None = None
    rest_days: int = 0
    visitors_hosted: int = 0


@dataclass(frozen=True, slots=True)
class Tour:
    """A past, running or agreed tour: the visitor was (or will be) away from `home_team_id` at
    `host_team_id` from `start` to `end` inclusive. Tours count towards host limits and home-team
    calendar caps, and a visitor is never matched to a team they have toured before."""

    visitor_id: str
    home_team_id: str | None
    host_team_id: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class Application:
    """A live application of a visitor to an opening: the matcher does not suggest the pair."""

    visitor_id: str
    opening_id: str


class Obstacle(StrEnum):
    """Why a visitor and an opening do not fit, one value per feasibility rule."""

    NOT_LOOKING = "not_looking"
    SNOOZED = "snoozed"
    OPENING_CLOSED = "opening_closed"
    OWN_TEAM = "own_team"
    NO_SHARED_TOPIC = "no_shared_topic"
    WORK_MODE = "work_mode"
    DATES = "dates"
    BLACKOUT = "blackout"
    HOST_LIMIT = "host_limit"
    ALREADY_APPLIED = "already_applied"
    ALREADY_VISITED = "already_visited"


@dataclass(frozen=True)
class Organisation:
    """Everything the matcher needs at one moment: who, what, the teams, the history, and today.

    Every team referenced by a visitor or an opening must be in `teams` (the index raises
    ValueError otherwise); tours may name teams that no longer exist. `related_topics` maps a topic
    to its related topics, as given by the vocabulary; the relation need not be symmetric.
    """

    visitors: tuple[Visitor, ...]
    openings: tuple[Opening, ...]
    teams: tuple[Team, ...]
    today: date
    tours: tuple[Tour, ...] = ()
    applications: tuple[Application, ...] = ()
    related_topics: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({})
    )


class ProposalStatus(StrEnum):
    """A round's proposal waits for its visitor's answer (SENT) until they give it, once."""

    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"


@dataclass(frozen=True)
class NewProposal:
    """A round's placement of a visitor (by Slack user id) at an opening, to be proposed."""

    visitor_id: str
    opening_id: int
    starts_on: date
    ends_on: date
    mode: RoundMode
    explanation: str
    sent_by: str
    created_at: datetime


@dataclass(frozen=True)
class Proposal:
    """A proposal as its visitor answers it: with what accepting it checks and applies with."""

    id: int
    visitor_id: str
    person_id: int
    opening_id: int
    status: ProposalStatus
    starts_on: date
    ends_on: date
    explanation: str
    learning_goal: str  # the visitor's, which the application accepting it carries
    opening_status: OpeningStatus
    seats_left: int
    applied: bool  # the visitor already holds a live application to the opening

    @property
    def opening_gone(self) -> bool:
        """The opening filled up or closed since the round proposed it."""
        return self.opening_status != OpeningStatus.OPEN or self.seats_left == 0
