"""Events API listeners. Subscribe only to what is handled here: Bolt answers 404 to the rest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.core.ports import UnitOfWork
from bot.forgetting.service import note_user_change
from bot.workspaces.inbox import call_slack_once, process_once
from bot.workspaces.service import mark_tokens_revoked, mark_uninstalled
from handlers.command_request import acknowledge
from handlers.home.listeners import home_for
from infra.deps import Deps

HANDLED_EVENTS = ("app_home_opened", "app_uninstalled", "tokens_revoked", "user_change")


def register(app: App, deps: Deps) -> None:
    def event_key(body: dict[str, Any]) -> dict[str, Any]:
        return {
            "event_id": body.get("event_id") or f"{body['event']['type']}:{body.get('event_time')}",
            "workspace_id": body.get("team_id", ""),
            "event_type": body["event"]["type"],
            "now": deps.clock.now(),
        }

    def once(body: dict[str, Any], effect: Callable[[UnitOfWork], None]) -> None:
        process_once(deps.uow, effect=effect, **event_key(body))

    def app_home_opened(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        view = home_for(deps, body["team_id"], event["user"])
        # Outside any transaction: a slow or rate-limited publish holds up nobody else.
        call_slack_once(
            deps.uow,
            call=lambda: client.views_publish(user_id=event["user"], view=view),
            **event_key(body),
        )

    # A render takes a moment on a large organisation: it may run in another process.
    app.event("app_home_opened")(ack=acknowledge, lazy=[app_home_opened])

    @app.event("app_uninstalled")
    def app_uninstalled(body: dict[str, Any], context: BoltContext) -> None:
        organisation = org_wide(context)
        once(
            body,
            lambda uow: mark_uninstalled(uow, body["team_id"], deps.clock.now(), organisation),
        )

    @app.event("tokens_revoked")
    def tokens_revoked(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
        bot_ids = list(event.get("tokens", {}).get("bot", []))
        organisation = org_wide(context)
        once(
            body,
            lambda uow: mark_tokens_revoked(
                uow, body["team_id"], bot_ids, deps.clock.now(), organisation
            ),
        )

    @app.event("user_change")
    def user_change(body: dict[str, Any], event: dict[str, Any]) -> None:
        """Sent for every profile change in the workspace: one cheap, idempotent update each,
        without the event inbox (a redelivery sets what is already set)."""
        user = event.get("user") or {}
        if not user.get("id"):
            return
        note_user_change(
            deps.uow,
            body.get("team_id") or str(user.get("team_id", "")),
            str(user["id"]),
            deactivated=bool(user.get("deleted")),
            now=deps.clock.now(),
        )


def org_wide(context: BoltContext) -> str | None:
    """The organisation of an org-wide install (every workspace of it is served by one token)."""
    return context.enterprise_id if context.is_enterprise_install else None
