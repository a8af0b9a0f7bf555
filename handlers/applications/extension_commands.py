"""`/tourism extend` (ask for more time on the visit under way) and `/tourism stay [off]`
(tell only the two teams' leads that you might like to stay on)."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.applications import extensions as service
from bot.applications.extension_views import extension_modal, stay_answer
from bot.applications.extensions import ExtensionOutcome
from bot.applications.service import Context
from handlers.applications.extension_actions import tell_leads
from handlers.command_request import CommandRequest, SubcommandHandler
from infra.deps import Deps

log = logging.getLogger(__name__)


def _context(request: CommandRequest, deps: Deps) -> Context:
    return Context(
        workspace_id=request.workspace_id,
        actor=request.user_id,
        now=deps.clock.now(),
        today=deps.today(),
        organisers=deps.settings.admin_user_ids,
    )


def ask_for_more_time(request: CommandRequest, deps: Deps) -> None:
    with deps.reader() as uow:
        form = service.extension_form(uow, _context(request, deps), None)
    if isinstance(form, ExtensionOutcome):
        request.ack(text=form.refusal or "")
        return
    request.ack()
    try:
        request.client.views_open(trigger_id=request.trigger_id, view=extension_modal(form))
    except SlackApiError as error:
        # The trigger lasts three seconds; a slow moment can outlive it.
        log.warning("views.open failed for the extension form: %s", error.response.get("error"))
        request.respond(
            text="Slack did not let me open the form in time: please run `/tourism extend` again."
        )


def might_stay(request: CommandRequest, deps: Deps) -> None:
    if request.args not in ((), ("off",)):
        request.ack(text="Use `/tourism stay`, or `/tourism stay off` to take it back.")
        return
    ctx = _context(request, deps)
    with deps.uow() as uow:
        outcome = service.set_might_stay(uow, ctx, None, might_stay=not request.args)
    if outcome.refusal is not None:
        request.ack(text=outcome.refusal)
        return
    request.ack(text=stay_answer(outcome))
    tell_leads(request.client, deps, ctx.workspace_id, outcome)


SUBCOMMANDS: dict[str, SubcommandHandler] = {"extend": ask_for_more_time, "stay": might_stay}
