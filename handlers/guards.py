"""Checks every request passes before any listener sees it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse

from bot.applications.views import refusal_modal
from infra.deps import Deps

log = logging.getLogger(__name__)

OTHER_WORKSPACE = "Team tourism is set up for another Slack workspace, so it cannot help here."


def register(app: App, deps: Deps) -> None:
    @app.middleware
    def one_workspace(
        context: BoltContext, body: dict[str, Any], next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        """Bolt does not compare the payload's workspace with the token's; every row the bot
        writes is keyed by workspace, so a request from elsewhere is answered, not processed.
        An org-wide install (many workspaces only) serves every workspace of its organisation:
        there the payload's organisation is compared instead."""
        installed = context.authorize_result
        if installed is None:
            return next()
        if deps.settings.oauth and context.is_enterprise_install:
            foreign = organisations_named(body, context.enterprise_id) - {installed.enterprise_id}
        else:
            foreign = workspaces_named(body, context.team_id) - {installed.team_id}
        if (installed.team_id or installed.enterprise_id) and foreign:
            log.warning("refused a request from %s", ", ".join(sorted(foreign)))
            return foreign_answer(body)
        return next()


def organisations_named(body: dict[str, Any], bolt_enterprise_id: str | None) -> set[str]:
    """Every Enterprise Grid organisation a payload names (events list theirs under
    `authorizations`)."""
    enterprise = body.get("enterprise")
    user: dict[str, Any] = body["user"] if isinstance(body.get("user"), dict) else {}
    authorizations = body.get("authorizations") or []
    named = (
        bolt_enterprise_id,
        body.get("enterprise_id"),
        enterprise.get("id") if isinstance(enterprise, dict) else enterprise,
        user.get("enterprise_id"),
        *(item.get("enterprise_id") for item in authorizations if isinstance(item, dict)),
    )
    return {str(enterprise_id) for enterprise_id in named if enterprise_id}


def workspaces_named(body: dict[str, Any], bolt_team_id: str | None) -> set[str]:
    """Every workspace a payload names, whichever kind it is: handlers write under `team_id`
    (commands, events), `team.id` or `user.team_id` (interactions), while Bolt picks
    `view.app_installed_team_id` first, which in a Slack Connect channel is ours even when the
    person submitting, and so `team.id`, belongs to another workspace."""
    team = body.get("team")
    view: dict[str, Any] = body["view"] if isinstance(body.get("view"), dict) else {}
    user: dict[str, Any] = body["user"] if isinstance(body.get("user"), dict) else {}
    named = (
        bolt_team_id,
        body.get("team_id"),
        team.get("id") if isinstance(team, dict) else team,
        user.get("team_id"),
        view.get("team_id"),
        view.get("app_installed_team_id"),
    )
    return {str(team_id) for team_id in named if team_id}


def foreign_answer(body: dict[str, Any]) -> BoltResponse:
    """What the person sees: the modal replaced by the explanation, no menu options, or (for a
    command) the explanation; other kinds show nothing, so the text is only for the logs."""
    kind = body.get("type")
    if kind == "view_submission":
        view = refusal_modal(OTHER_WORKSPACE)
        return BoltResponse(status=200, body={"response_action": "update", "view": view})
    if kind == "block_suggestion":
        return BoltResponse(status=200, body={"options": []})
    return BoltResponse(status=200, body=OTHER_WORKSPACE)
