"""What the end-of-visit use cases need from storage: storage/repositories/retros.py implements
it (and storage/repositories/applications.py moves the tours by date)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from bot.core.ports import Audit
from bot.core.visits import TourVisit
from bot.retros.model import RetroAnswers, SavedRetro, ShareBackRecord
from bot.scheduling.ports import PlannedMessages


class Retros(Protocol):
    def visit(self, workspace_id: str, tour_id: int) -> TourVisit | None: ...

    def of_tour(self, tour_id: int) -> SavedRetro | None: ...

    def save(
        self, workspace_id: str, tour_id: int, answers: RetroAnswers, *, now: datetime
    ) -> tuple[SavedRetro, bool]:
        """The retro as saved, and True when it is new (else it replaced the earlier one)."""

    def place_highlight(self, tour_id: int, channel: str | None, ts: str | None) -> None: ...

    def set_stuck(self, tour_id: int, stuck: tuple[str, ...]) -> None: ...

    def drop_pending_message(self, workspace_id: str, unique_key: str) -> None: ...

    def share_back(self, tour_id: int) -> ShareBackRecord | None: ...

    def mark_shared(self, workspace_id: str, tour_id: int, *, by: str, now: datetime) -> bool:
        """False when the share-back was marked done already."""

    def book_session(
        self, workspace_id: str, tour_id: int, *, day: date, channel: str, by: str, now: datetime
    ) -> ShareBackRecord: ...

    def place_session(self, tour_id: int, channel: str, ts: str) -> None: ...


class RetroReader(Protocol):
    """What the retro and share-back modals open with."""

    @property
    def retros(self) -> Retros: ...


class RetroUnitOfWork(RetroReader, Protocol):
    """What answering at the end of a visit writes: the answer, the messages it plans, its
    audit."""

    @property
    def outbox(self) -> PlannedMessages: ...
    @property
    def audit(self) -> Audit: ...
    def commit(self) -> None: ...


class TourDates(Protocol):
    def advance_by_date(self, workspace_id: str, today: date) -> tuple[int, int]:
        """Moves tours by date; (completed, activated)."""


class UpkeepUnitOfWork(Protocol):
    @property
    def tours(self) -> TourDates: ...
