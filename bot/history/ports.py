"""What a visit's history is read from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.history.model import HistoryEntry, HistoryVisit


class HistoryLog(Protocol):
    def of_subjects(self, workspace_id: str, subjects: Sequence[str]) -> list[HistoryEntry]: ...

    def visit_of_application(self, workspace_id: str, application_id: int) -> HistoryVisit | None:
        """None if the workspace has no such application."""
        ...

    def visit_of_tour(self, workspace_id: str, tour_id: int) -> HistoryVisit | None:
        """None if the workspace has no such tour."""
        ...


class HistoryReads(Protocol):
    """What reading a visit's history needs."""

    @property
    def history(self) -> HistoryLog: ...
