"""Thin Bolt listeners: translate Slack payloads into domain calls and domain results into views."""

from __future__ import annotations

from slack_bolt import App

from handlers import commands, events
from handlers.deps import Deps


def register_all(app: App, deps: Deps) -> None:
    commands.register(app, deps)
    events.register(app, deps)
