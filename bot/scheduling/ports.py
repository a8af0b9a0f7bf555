"""The outbox the ticker delivers from: claims with a lease, expiry of what is too late."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

from bot.scheduling.planning import PlannedMessage


class PlannedMessages(Protocol):
    """Where use cases plan the messages the ticker delivers."""

    def upsert(self, workspace_id: str, planned: Iterable[PlannedMessage]) -> None: ...


class Outbox(PlannedMessages, Protocol):
    def claim_due(
        self, workspace_id: str, *, now: datetime, owner: str, lease_until: datetime, limit: int
    ) -> list[Any]: ...

    def expire_stale(
        self, workspace_id: str, stale_before: Mapping[str, datetime], reason: str
    ) -> int: ...

    def note_doubt(self, outbox_id: int, owner: str, now: datetime) -> bool: ...

    def operational_counts(self, now: datetime) -> dict[str, int]: ...


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
