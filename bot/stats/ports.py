"""What the programme's numbers are read from."""

from __future__ import annotations

from datetime import tzinfo
from typing import Protocol

from bot.stats.model import ProgrammeFacts


class Stats(Protocol):
    def programme(self, workspace_id: str, zone: tzinfo) -> ProgrammeFacts:
        """Every fact of the workspace; moments become days in `zone`, the business's."""
        ...
