"""`/tourism host` (the opening modal) and `/tourism openings [topic] | openings mine`."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.openings.service import (
    Actor,
    ListKind,
    ListQuery,
    Refusal,
    host_form,
    leads_anything,
    list_openings,
)
from bot.openings.views import opening_modal, openings_list, refusal_message
from handlers.command_request import AnsweredAfterAck, CommandRequest, SubcommandHandler
from handlers.openings.announcements import update_announcements
from infra.deps import Deps

log = logging.getLogger(__name__)
MINE = "mine"


def actor_of(request: CommandRequest, deps: Deps) -> Actor:
    return Actor(request.workspace_id, request.user_id, deps.settings.is_admin(request.user_id))


def open_host_form(request: CommandRequest, deps: Deps) -> None:
    form = host_form(deps.reader, actor_of(request, deps))
    if form.refusal is not None:
        request.ack(**refusal_message(form.refusal, deps.settings.admin_user_ids))
        return
    request.ack()
    try:
        request.client.views_open(
            trigger_id=request.trigger_id, view=opening_modal(form, deps.vocabulary)
        )
    except SlackApiError as error:
        # The trigger lasts three seconds; a slow moment can outlive it.
        log.warning("views.open failed for the opening form: %s", error.response.get("error"))
        request.respond(
            text="Slack did not let me open the opening form in time: "
            "please run `/tourism host` again."
        )


def show_openings(request: CommandRequest, deps: Deps) -> None:
    mine = request.raw_args.strip().lower() == MINE
    actor = actor_of(request, deps)
    if mine and not leads_anything(deps.reader, actor):
        request.respond(**refusal_message(Refusal.NOT_A_LEAD, deps.settings.admin_user_ids))
        return
    query = ListQuery(ListKind.MINE) if mine else ListQuery(topic=request.raw_args.strip())
    page = list_openings(
        deps.reader,
        deps.uow,
        actor,
        query,
        vocabulary=deps.vocabulary,
        today=deps.today(),
    )
    request.respond(**openings_list(page))
    update_announcements(request.client, deps, page.closed_now)


SUBCOMMANDS: dict[str, SubcommandHandler] = {
    "host": open_host_form,
    # listing (and closing what expired) takes a moment on a large organisation
    "openings": AnsweredAfterAck(show_openings),
}
