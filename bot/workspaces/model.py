"""A workspace as the bot stored it: when it was installed, and whether Slack took it away."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Workspace:
    id: str
    name: str
    bot_user_id: str | None
    installed_at: datetime
    uninstalled_at: datetime | None = None
    tokens_revoked_at: datetime | None = None  # Slack revoked the bot's token
