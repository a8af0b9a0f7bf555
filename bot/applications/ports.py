"""What the approval workflow needs from storage, as narrow protocols returning domain values;
storage/repositories/applications.py implements them, and the unit of work carries them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.applications.changes import ExtensionStatus
from bot.applications.model import (
    Applicant,
    ApplicationRecord,
    BookedTour,
    NewApplication,
    OpeningTerms,
    Status,
)
from bot.core.approval.requests import RequestMessages
from bot.core.calendar import Period, SprintCadence
from bot.core.ports import Audit
from bot.scheduling.model import TourRef
from bot.scheduling.planning import PlannedMessage
from bot.scheduling.ports import Planning


@dataclass(frozen=True)
class PendingDecision:
    """An application waiting for a team's decision, as reminders see it."""

    application_id: int
    status: Status  # submitted (the host team decides) or host_accepted (the home team)
    updated_at: datetime  # since when it waits
    visitor_id: str
    opening_title: str
    has_team: bool  # False: the visitor has no home team (the organisers decide for it)
    lead_ids: tuple[str, ...]  # the leads of the team whose decision it waits for


@dataclass(frozen=True)
class TeamRules:
    """A team as both decisions on a visit see it: who decides for it, and its limits."""

    team_id: int
    workspace_id: str
    name: str
    lead_ids: tuple[str, ...]
    blackouts: tuple[Period, ...]
    away_cap: int  # members that may be away at once
    visitors_per_quarter: int | None
    rest_days: int  # between two visitors
    sprints: SprintCadence | None


@dataclass(frozen=True)
class Extension:
    """A request for more weeks of a visit."""

    id: int
    tour_id: int
    weeks: int
    reason: str
    status: ExtensionStatus
    decision_reason: str


class Extensions(Protocol):
    """The requests for more time, as values; each change is compare-and-set on the status."""

    def request(
        self, workspace_id: str, tour_id: int, weeks: int, reason: str, now: datetime
    ) -> Extension: ...

    def get(self, workspace_id: str, extension_id: int) -> Extension | None: ...

    def of_tour(self, tour_id: int) -> list[Extension]: ...

    def move(
        self,
        extension_id: int,
        expected: ExtensionStatus,
        target: ExtensionStatus,
        decision_reason: str | None = None,
    ) -> Extension | None:
        """The request moved to `target`, or None when it was no longer in `expected`."""
        ...

    def extend_tour(self, tour: BookedTour, expected_end: date, ends_on: date) -> bool:
        """The tour (and its application) end on `ends_on`, if the end is still as read."""
        ...

    def flag_might_stay(self, tour_id: int, might_stay: bool) -> bool:
        """Sets the visitor's flag; False when it already had that value."""
        ...


class Applications(RequestMessages, Protocol):
    """The applications repository, as values; each step is compare-and-set by id."""

    def team_rules(self, workspace_id: str, team_id: int) -> TeamRules | None: ...

    def decisions_waiting(self, workspace_id: str) -> list[PendingDecision]:
        """Applications waiting for a host or home team's decision, oldest first."""
        ...

    def applicant(self, workspace_id: str, user_id: str) -> Applicant | None:
        """The person with that Slack id, if they have a profile."""
        ...

    def opening(self, workspace_id: str, opening_id: int) -> OpeningTerms | None: ...

    def live_for(self, workspace_id: str, person_id: int, opening_id: int) -> int | None:
        """The id of the person's application to that opening still under way, if any."""
        ...

    def get(
        self, workspace_id: str, application_id: int, *, lock: bool = False
    ) -> ApplicationRecord | None: ...

    def submit(self, new: NewApplication, now: datetime) -> ApplicationRecord: ...

    def move(
        self, application_id: int, expected: Status, target: Status, now: datetime, **changes: str
    ) -> bool:
        """Moves the application (and sets `changes`) only if it is still in `expected`."""
        ...

    def reschedule(
        self,
        application_id: int,
        expected_status: Status,
        *,
        expected_start: date,
        starts_on: date,
        ends_on: date,
        now: datetime,
    ) -> bool:
        """New dates only if status and first day are still as read."""
        ...

    def confirm_card(
        self, application: ApplicationRecord, role: str, user_id: str, now: datetime
    ) -> bool:
        """Records one role's confirmation; False if that role had already confirmed."""
        ...

    def confirmed_roles(self, application_id: int) -> set[str]: ...

    def clear_confirmations(self, application_id: int, roles: Sequence[str]) -> None: ...


class VisitTours(Protocol):
    """The tours applications become, and the seats of openings they take."""

    def absences_from_team(
        self, workspace_id: str, home_team_id: int, *, excluding_person: int | None = None
    ) -> list[tuple[date, date]]: ...

    def hosted_by_team(
        self, workspace_id: str, host_team_id: int, *, excluding_application: int | None = None
    ) -> list[tuple[date, date]]: ...

    def booked(self, workspace_id: str, tour_id: int, *, lock: bool = False) -> BookedTour | None:
        """With `lock`, other transactions wanting the same tour wait until this one ends."""
        ...

    def booked_by(self, workspace_id: str, user_id: str) -> list[BookedTour]:
        """The tours of the visitor with that Slack id, by first day."""
        ...

    def take_seat(self, opening_id: int) -> bool: ...

    def free_seat(self, opening_id: int) -> None: ...

    def book(self, application: ApplicationRecord, now: datetime) -> TourRef:
        """The confirmed application's tour, scheduled for its dates."""
        ...

    def move_of_application(self, application_id: int, visit: Period) -> TourRef | None:
        """The application's tour, if it has one, now runs for `visit`."""
        ...

    def cancel_of_application(self, application_id: int) -> TourRef | None:
        """The application's tour, if it has one, is cancelled."""
        ...


class ReadsApplications(Protocol):
    """A unit of work reading applications and the visits they become."""

    @property
    def applications(self) -> Applications: ...

    @property
    def tours(self) -> VisitTours: ...


class ApplicationSteps(ReadsApplications, Planning, Protocol):
    """A unit of work taking a step of an application; the tour hook plans in it too."""

    @property
    def audit(self) -> Audit: ...

    def commit(self) -> None: ...


class ReadsExtensions(ReadsApplications, Protocol):
    """A unit of work reading the requests for more time, and the visits they are about."""

    @property
    def extensions(self) -> Extensions: ...


class ExtensionSteps(ReadsExtensions, ApplicationSteps, Protocol):
    """A unit of work taking a step of a request for more time."""


class Audited(Protocol):
    """A unit of work recording who took which step."""

    @property
    def audit(self) -> Audit: ...


class ReadsRequests(Protocol):
    """A unit of work reading where the requests for a decision went."""

    @property
    def applications(self) -> RequestMessages: ...


class KeepsRequests(ReadsRequests, Protocol):
    """A unit of work keeping where the requests for a decision went."""

    def commit(self) -> None: ...


class PlannedMessages(Protocol):
    def upsert(self, workspace_id: str, planned: Iterable[PlannedMessage]) -> None: ...


class PlansNudges(Protocol):
    """A unit of work planning reminders for decisions left waiting."""

    @property
    def applications(self) -> Applications: ...

    @property
    def outbox(self) -> PlannedMessages: ...
