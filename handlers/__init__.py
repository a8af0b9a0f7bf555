"""Thin Bolt listeners: translate Slack payloads into domain calls and domain results into views.

Grouped by Slack kind: `commands/` (the `/tourism` subcommands), `actions/` (buttons and menus),
`views/` (modal submissions), `events.py` (Events API); inside each, one module per feature.
"""

from __future__ import annotations

from slack_bolt import App

from handlers import commands, events, failures, guards, home
from handlers.actions import applications as application_actions
from handlers.actions import checkins as checkin_actions
from handlers.actions import extensions as extension_actions
from handlers.actions import matching as matching_actions
from handlers.actions import openings as opening_actions
from handlers.actions import retros as retro_actions
from handlers.actions import team_options
from handlers.actions import teams as team_actions
from handlers.deps import Deps
from handlers.views import applications as application_views
from handlers.views import checkins as checkin_views
from handlers.views import extensions as extension_views
from handlers.views import openings as opening_views
from handlers.views import profile as profile_views
from handlers.views import retros as retro_views
from handlers.views import teams as team_views

# Each module has register(app, deps); add a feature's action and view modules here.
LISTENER_MODULES = (
    guards,
    failures,
    commands,
    events,
    team_options,
    profile_views,
    application_actions,
    matching_actions,
    application_views,
    checkin_actions,
    checkin_views,
    extension_actions,
    extension_views,
    retro_actions,
    retro_views,
    opening_actions,
    opening_views,
    team_actions,
    team_views,
    home,
)


def register_all(app: App, deps: Deps) -> None:
    for module in LISTENER_MODULES:
        module.register(app, deps)
