"""What scheduling reads and writes, as protocols: storage/repositories/outbox.py and pace.py
implement them, and the unit of work hands them out."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from bot.core.ports import Audit
from bot.openings.service import Openings
from bot.scheduling.model import ClaimedMessage, TourToPlan
from bot.scheduling.planning import PlannedMessage


class PlannedMessages(Protocol):
    """Where use cases plan the messages the ticker delivers."""

    def upsert(self, workspace_id: str, planned: Iterable[PlannedMessage]) -> None: ...


class Outbox(PlannedMessages, Protocol):
    # --- planning (upsert: PlannedMessages) ---------------------------------------------

    def replace_pending_of_tour(
        self,
        workspace_id: str,
        tour_id: int,
        planned: Sequence[PlannedMessage],
        *,
        content_keys: Collection[str],
    ) -> None: ...

    def cancel_pending_of_tour(self, workspace_id: str, tour_id: int) -> int: ...

    def tour_to_plan(self, workspace_id: str, tour_id: int) -> TourToPlan | None: ...

    # --- delivering -------------------------------------------------------------------------

    def claim_due(
        self, workspace_id: str, *, now: datetime, owner: str, lease_until: datetime, limit: int
    ) -> list[ClaimedMessage]: ...

    def expire_stale(
        self, workspace_id: str, stale_before: Mapping[str, datetime], reason: str
    ) -> int: ...

    def note_doubt(self, outbox_id: int, owner: str, now: datetime) -> bool: ...

    def mark_sent(self, outbox_id: int, owner: str, *, channel: str, ts: str) -> bool: ...

    def mark_failed(self, outbox_id: int, owner: str, reason: str) -> bool: ...

    def mark_expired(self, outbox_id: int, owner: str, reason: str) -> bool: ...

    def retry_later(self, outbox_id: int, owner: str, *, at: datetime, reason: str) -> bool: ...

    def release(self, outbox_id: int, owner: str, not_before: datetime | None = None) -> bool: ...

    def operational_counts(self, now: datetime) -> dict[str, int]: ...

    # --- a workspace whose token Slack refuses ----------------------------------------------

    def deliveries_paused(self, workspace_id: str) -> bool: ...

    def pause_deliveries(self, workspace_id: str, now: datetime) -> bool:
        """False if there is no such workspace or it was paused already."""
        ...

    def resume_deliveries(self, workspace_id: str) -> bool:
        """False if there is no such workspace or it was not paused."""
        ...


class ShippedLog(Protocol):
    def shipped(self, tour_id: int) -> list[str]: ...


class Pace(Protocol):
    """When each kind of Slack call may next be made, shared by every replica."""

    def reserve(
        self,
        workspace_id: str,
        spacings: Mapping[str, float | None],
        now: float,
        catch_up: float,
    ) -> float | None: ...

    def hold(self, workspace_id: str, bucket: str, until: float) -> None: ...

    def blocked_until(self, workspace_id: str, bucket: str) -> float: ...

    def prune(self, workspace_id: str, before: float) -> int: ...


# --- what each use case is given (the unit of work satisfies them all) ---------------------


class Planning(Protocol):
    """Planning and cancelling a tour's messages."""

    @property
    def outbox(self) -> Outbox: ...


class PlanningCommitted(Planning, Protocol):
    def commit(self) -> None: ...


class DigestPlanning(Planning, Protocol):
    @property
    def openings(self) -> Openings: ...


class Recording(Planning, Protocol):
    """Recording what a delivery achieved, and pausing a workspace: both leave an audit trail."""

    @property
    def audit(self) -> Audit: ...


class SendingReads(Protocol):
    """What a row shows when it is sent."""

    @property
    def checkins(self) -> ShippedLog: ...
