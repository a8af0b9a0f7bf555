"""Options for team pickers that outgrew a static select (see bot/views/inputs.team_select)."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App

from bot.core.inputs import option
from bot.directory.service import teams_matching
from infra.deps import Deps

TEAM_FIELD = re.compile(r"^(?:\w+_)?team$")


def register(app: App, deps: Deps) -> None:
    @app.options(TEAM_FIELD)
    def team_options(ack: Ack, body: dict[str, Any]) -> None:
        teams = teams_matching(deps.reader, body["team"]["id"], body.get("value", ""))
        ack(options=[option(str(team.id), team.name) for team in teams])
