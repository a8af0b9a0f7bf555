"""What a visit's history is read from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.history.model import HistoryEntry


class HistoryLog(Protocol):
    def of_subjects(self, workspace_id: str, subjects: Sequence[str]) -> list[HistoryEntry]: ...
