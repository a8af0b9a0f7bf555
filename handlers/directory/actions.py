"""Buttons of the team directory: paging through the list, confirming or cancelling a removal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.core.ids import row_id
from bot.directory.service import directory_page, remove_team
from bot.directory.views import (
    GONE_TEXT,
    KEEP,
    KEPT_TEXT,
    NEXT_PAGE,
    PREVIOUS_PAGE,
    REMOVE,
    directory_message,
    organisers_only_text,
    removal_refused_text,
    removed_text,
)
from handlers.replies import workspace_of
from infra.deps import Deps


def _number(body: dict[str, Any]) -> int:
    value = body["actions"][0].get("value", "")
    return row_id(value)


def register(app: App, deps: Deps) -> None:
    def refused(body: dict[str, Any], respond: Respond, doing: str) -> bool:
        """Whoever clicks must be an organiser now, whoever the message was shown to."""
        if deps.settings.is_admin(body["user"]["id"]):
            return False
        respond(
            text=organisers_only_text(deps.settings.admin_user_ids, doing),
            replace_original=False,
            response_type="ephemeral",
        )
        return True

    @app.action(PREVIOUS_PAGE)
    @app.action(NEXT_PAGE)
    def turn_page(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        if refused(body, respond, "see"):
            return
        page = directory_page(deps.reader, workspace_of(body), _number(body))
        respond(replace_original=True, **directory_message(page, deps.today()))

    @app.action(REMOVE)
    def confirm_removal(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        if refused(body, respond, "change"):
            return
        removal = remove_team(
            deps.uow,
            workspace_id=workspace_of(body),
            actor=body["user"]["id"],
            team_id=_number(body),
            now=deps.clock.now(),
        )
        if removal.refused is not None:
            text = removal_refused_text(removal.refused)
        else:
            text = removed_text(removal.name) if removal.name else GONE_TEXT
        respond(replace_original=True, text=text)

    @app.action(KEEP)
    def keep(ack: Ack, respond: Respond) -> None:
        ack()
        respond(replace_original=True, text=KEPT_TEXT)
