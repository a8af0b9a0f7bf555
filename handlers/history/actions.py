"""The History button on a visit's messages, and its Earlier / Later pages."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.core.ids import parse_id
from bot.history.model import HistoryRef, Target
from bot.history.service import Reader, visit_history
from bot.history.views import HISTORY, HISTORY_PAGE, history_message
from handlers.replies import tell, workspace_of
from infra.deps import Deps

STALE = "This button is no longer valid: try `/tourism history` with the application's id."


def register(app: App, deps: Deps) -> None:
    @app.action(HISTORY)
    @app.action(HISTORY_PAGE)
    def show(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        application_id, _, page = body["actions"][0].get("value", "").partition(":")
        parsed_id, parsed_page = parse_id(application_id), parse_id(page or "0")
        if parsed_id is None or parsed_page is None:
            tell(client, body, STALE)
            return
        # Who asks comes from the payload, never from the button: the service checks them.
        reader = Reader(workspace_of(body), body["user"]["id"], deps.settings.admin_user_ids)
        with deps.reader() as uow:
            history = visit_history(
                uow, reader, HistoryRef(Target.APPLICATION, parsed_id), parsed_page
            )
        if isinstance(history, str):
            tell(client, body, history)
            return
        # A page turned replaces the page it was turned from; the History button adds one.
        turned = body["actions"][0].get("action_id") == HISTORY_PAGE
        tell(client, body, **history_message(history), replace=turned)
