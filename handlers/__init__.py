"""Thin Bolt listeners: translate Slack payloads into domain calls and domain results into views.

Grouped by Slack kind: `commands/` (the `/tourism` subcommands), `actions/` (buttons and menus),
`views/` (modal submissions), `events.py` (Events API); inside each, one module per feature.
"""

from __future__ import annotations

from slack_bolt import App

from handlers import commands, events
from handlers.actions import team_options
from handlers.deps import Deps

# Each module has register(app, deps); add a feature's action and view modules here.
LISTENER_MODULES = (commands, events, team_options)


def register_all(app: App, deps: Deps) -> None:
    for module in LISTENER_MODULES:
        module.register(app, deps)
