"""What the programme's numbers are read from."""

from __future__ import annotations

from typing import Protocol

from bot.stats.model import ProgrammeFacts


class Stats(Protocol):
    def programme(self, workspace_id: str) -> ProgrammeFacts: ...
