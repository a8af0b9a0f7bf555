"""The "Post a tourism opening" shortcut and the buttons of opening lists and announcements."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.ids import row_id
from bot.openings.service import (
    Actor,
    ListKind,
    ListQuery,
    OpeningPage,
    Refusal,
    close_opening,
    edit_form,
    host_form,
    list_openings,
    plan_announcement,
)
from bot.openings.views import (
    CLOSE,
    EDIT,
    NEXT_PAGE,
    PREVIOUS_PAGE,
    SHORTCUT,
    closed_text,
    notice_modal,
    opening_modal,
    openings_list,
    problem_text,
    query_of,
    refusal_text,
)
from handlers.command_request import acknowledge
from handlers.home.listeners import refresh_homes
from handlers.openings.announcements import carry_out, send_dm, update_announcements
from infra.deps import Deps

log = logging.getLogger(__name__)
PAGE_BUTTONS = re.compile(f"^(?:{NEXT_PAGE}|{PREVIOUS_PAGE})$")


def actor_of(body: dict[str, Any], deps: Deps) -> Actor:
    user_id = body["user"]["id"]
    return Actor(body["team"]["id"], user_id, deps.settings.is_admin(user_id))


def _opening_id(body: dict[str, Any]) -> int:
    value = body["actions"][0].get("value", "")
    return row_id(value)


def _open_view(client: WebClient, body: dict[str, Any], view: dict[str, Any]) -> None:
    try:
        client.views_open(trigger_id=body["trigger_id"], view=view)
    except SlackApiError as error:
        # The trigger lasts three seconds; tell the person rather than leave them waiting.
        log.warning("views.open failed for an opening: %s", error.response.get("error"))
        send_dm(
            client, body["user"]["id"], "Slack did not let me open the form in time: try again."
        )


def register(app: App, deps: Deps) -> None:
    @app.shortcut(SHORTCUT)
    def post_opening(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        form = host_form(deps.reader, actor_of(body, deps))
        if form.refusal is not None:
            text = refusal_text(form.refusal, deps.settings.admin_user_ids)
            _open_view(client, body, notice_modal("Post an opening", text))
            return
        _open_view(client, body, opening_modal(form, deps.vocabulary))

    def turn_page(body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        query = query_of(body["actions"][0].get("value", ""))
        page = _page(deps, actor_of(body, deps), query)
        respond(replace_original=True, **openings_list(page))
        update_announcements(client, deps, page.closed_now)

    # A page takes a moment on a large organisation: it may be turned in another process.
    app.action(PAGE_BUTTONS)(ack=acknowledge, lazy=[turn_page])

    @app.action(EDIT)
    def edit_opening(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        form = edit_form(deps.reader, actor_of(body, deps), _opening_id(body))
        if form.refusal is not None:
            respond(
                text=refusal_text(form.refusal, deps.settings.admin_user_ids),
                response_type="ephemeral",
                replace_original=False,
            )
            return
        _open_view(client, body, opening_modal(form, deps.vocabulary))

    @app.action(CLOSE)
    def close(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        actor = actor_of(body, deps)
        closed = close_opening(deps.uow, actor, _opening_id(body), now=deps.clock.now())
        if isinstance(closed, Refusal):
            respond(
                text=refusal_text(closed, deps.settings.admin_user_ids),
                response_type="ephemeral",
                replace_original=False,
            )
            return
        page = _page(deps, actor, ListQuery(ListKind.MINE))
        respond(replace_original=True, **openings_list(page, notice=closed_text(closed)))
        outcome = carry_out(client, deps, closed, plan_announcement(closed, channel_id=None))
        if outcome.problem is not None:
            text = problem_text(closed, outcome, organiser_ids=deps.settings.admin_user_ids)
            send_dm(client, actor.user_id, f"{closed_text(closed)} {text}")
        refresh_homes(client, deps, closed.workspace_id, [actor.user_id, *closed.team_lead_ids])


def _page(deps: Deps, actor: Actor, query: ListQuery) -> OpeningPage:
    return list_openings(
        deps.reader, deps.uow, actor, query, vocabulary=deps.vocabulary, today=deps.today()
    )
