"""`/tourism profile`: open the profile form, prefilled with what the person saved before."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.profiles.service import profile_editor
from bot.profiles.views import profile_modal
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


SUBCOMMANDS: dict[str, SubcommandHandler] = {"profile": open_profile}
