"""In-memory stand-ins for the ports every feature writes through: the outbox and the audit log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.scheduling.planning import PlannedMessage
from tests.bot.applications.fakes import NOW, WORKSPACE


@dataclass
class FakeOutbox:
    """The messages planned in WORKSPACE, in order."""

    planned: list[PlannedMessage] = field(default_factory=list)

    def upsert(self, workspace_id: str, planned: Iterable[PlannedMessage]) -> None:
        if workspace_id == WORKSPACE:
            self.planned.extend(planned)


@dataclass
class FakeAudit:
    """What one person did in WORKSPACE at NOW, as (action, subject, detail), in order."""

    actor: str
    entries: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def record(
        self,
        workspace_id: str,
        *,
        action: str,
        actor_user_id: str | None,
        now: datetime,
        subject: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        assert (workspace_id, actor_user_id, now) == (WORKSPACE, self.actor, NOW)
        self.entries.append((action, subject, detail or {}))
