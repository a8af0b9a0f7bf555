"""`/tourism profile`: open the profile form, prefilled with what the person saved before;
`/tourism pause [until DATE]` and `/tourism resume`: the form's pause, from the command line."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.core.pause import RESUMED, PauseState, UnreadablePause, read_pause_args
from bot.profiles.service import PauseOutcome, profile_editor, set_pause
from bot.profiles.views import (
    PAUSE_USAGE,
    pause_answer,
    profile_modal,
    resume_answer,
    unreadable_pause_answer,
)
from handlers.command_request import CommandRequest, SubcommandHandler
from infra.deps import Deps

log = logging.getLogger(__name__)


def open_profile(request: CommandRequest, deps: Deps) -> None:
    request.ack()
    editor = profile_editor(
        deps.reader,
        workspace_id=request.workspace_id,
        user_id=request.user_id,
        today=deps.clock.now().astimezone(deps.settings.timezone).date(),
    )
    view = profile_modal(editor, deps.vocabulary, deps.settings.admin_user_ids)
    try:
        request.client.views_open(trigger_id=request.trigger_id, view=view)
    except SlackApiError as error:
        # The trigger lasts three seconds; a slow moment can outlive it.
        log.warning("views.open failed for the profile form: %s", error.response.get("error"))
        request.respond(
            text="Slack did not let me open your profile form in time: "
            "please run `/tourism profile` again."
        )


def pause(request: CommandRequest, deps: Deps) -> None:
    state = read_pause_args(request.raw_args, deps.today())
    if isinstance(state, UnreadablePause):
        request.ack(text=unreadable_pause_answer(state))
        return
    request.ack(text=pause_answer(_set_pause(request, deps, state)))


def resume(request: CommandRequest, deps: Deps) -> None:
    if request.args:
        request.ack(text=f"`/tourism resume` takes nothing after it. {PAUSE_USAGE}")
        return
    request.ack(text=resume_answer(_set_pause(request, deps, RESUMED)))


def _set_pause(request: CommandRequest, deps: Deps, state: PauseState) -> PauseOutcome:
    return set_pause(
        deps.uow,
        workspace_id=request.workspace_id,
        user_id=request.user_id,
        state=state,
        today=deps.today(),
        now=deps.clock.now(),
    )


SUBCOMMANDS: dict[str, SubcommandHandler] = {
    "profile": open_profile,
    "pause": pause,
    "resume": resume,
}
