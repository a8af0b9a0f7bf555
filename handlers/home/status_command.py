"""`/tourism status`: my part of the App Home, as an ephemeral message."""

from __future__ import annotations

from bot.home.service import load_home
from bot.home.views import status_message
from handlers.command_request import AnsweredAfterAck, CommandRequest, SubcommandHandler
from infra.deps import Deps


def show_status(request: CommandRequest, deps: Deps) -> None:
    with deps.reader() as uow:
        data = load_home(
            uow,
            request.workspace_id,
            request.user_id,
            today=deps.today(),
            is_organiser=deps.settings.is_admin(request.user_id),
            related=deps.vocabulary.related_map(),
        )
    request.respond(**status_message(data))


# my part of the Home tab takes a moment to gather
SUBCOMMANDS: dict[str, SubcommandHandler] = {"status": AnsweredAfterAck(show_status)}
