"""What the check-in use cases need from storage: storage/repositories/checkins.py implements it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.checkins.model import WeekAnswer
from bot.core.ports import Audit
from bot.core.visits import TourVisit
from bot.scheduling.ports import PlannedMessages


class Checkins(Protocol):
    def visit(self, workspace_id: str, tour_id: int, *, lock: bool) -> TourVisit | None:
        """With `lock`, the tour stays locked until the transaction ends, so that the answers of
        one visit are recorded one after the other."""

    def answers(self, tour_id: int) -> list[WeekAnswer]: ...

    def answer_of_week(self, tour_id: int, week: int) -> WeekAnswer | None: ...

    def record(
        self,
        workspace_id: str,
        tour_id: int,
        week: int,
        column: str,
        value: str,
        *,
        by: str,
        now: datetime,
        details: str = "",
    ) -> bool:
        """False when that question of that week is answered already."""

    def claim_alert(self, tour_id: int, week: int, kind: str, now: datetime) -> bool: ...

    def add_shipped(
        self, workspace_id: str, tour_id: int, items: Sequence[str], *, by: str, now: datetime
    ) -> None: ...

    def shipped(self, tour_id: int) -> list[str]: ...


class CheckinReader(Protocol):
    """What looking at a check-in (before a modal opens) reads."""

    @property
    def checkins(self) -> Checkins: ...


class CheckinUnitOfWork(CheckinReader, Protocol):
    """What answering a check-in writes: the answer, its alerts (outbox rows), its audit."""

    @property
    def outbox(self) -> PlannedMessages: ...
    @property
    def audit(self) -> Audit: ...
    def commit(self) -> None: ...
