"""What the approval workflow needs from storage, as narrow protocols returning domain values;
storage/repositories/applications.py implements them, and the unit of work carries them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.applications.changes import ExtensionStatus
from bot.applications.model import Status
from bot.core.approval.requests import RequestMessages
from bot.core.calendar import Period, SprintCadence
from bot.core.ports import Audit
from bot.scheduling.planning import PlannedMessage


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


class Applications(RequestMessages, Protocol):
    """The applications repository, as far as the approval engine reads and keeps."""

    def team_rules(self, workspace_id: str, team_id: int) -> TeamRules | None: ...

    def decisions_waiting(self, workspace_id: str) -> list[PendingDecision]:
        """Applications waiting for a host or home team's decision, oldest first."""
        ...


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
