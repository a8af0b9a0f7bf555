"""Thin Bolt listeners: translate Slack payloads into domain calls and domain results into views.

Grouped by Slack kind: `commands/` (the `/tourism` subcommands), `actions/` (buttons and menus),
`views/` (modal submissions), `events.py` (Events API); inside each, one module per feature.
"""

from __future__ import annotations

from slack_bolt import App

from handlers import events, failures, guards
from handlers import tourism_command as commands
from handlers.applications import actions as application_actions
from handlers.applications import extension_actions
from handlers.applications import extension_forms as extension_views
from handlers.applications import forms as application_views
from handlers.checkins import actions as checkin_actions
from handlers.checkins import forms as checkin_views
from handlers.directory import actions as team_actions
from handlers.directory import forms as team_views
from handlers.directory import team_options
from handlers.forgetting import actions as forgetting_actions
from handlers.home import listeners as home
from handlers.matching import actions as matching_actions
from handlers.openings import actions as opening_actions
from handlers.openings import forms as opening_views
from handlers.profiles import forms as profile_views
from handlers.retros import actions as retro_actions
from handlers.retros import forms as retro_views
from infra.deps import Deps

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
    forgetting_actions,
    home,
)


def register_all(app: App, deps: Deps) -> None:
    for module in LISTENER_MODULES:
        module.register(app, deps)
