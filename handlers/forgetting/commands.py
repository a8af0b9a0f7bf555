"""`/tourism forget-me`: ask, showing exactly what would be removed."""

from __future__ import annotations

from bot.forgetting.service import personal_data_of
from bot.forgetting.views import FORGET_ME_USAGE, NOTHING_STORED, forget_me_confirmation
from handlers.command_request import CommandRequest, SubcommandHandler
from infra.deps import Deps


def forget_me(request: CommandRequest, deps: Deps) -> None:
    if request.args:
        request.ack(text=FORGET_ME_USAGE)
        return
    data = personal_data_of(deps.reader, request.workspace_id, request.user_id)
    if data.nothing:
        request.ack(text=NOTHING_STORED)
        return
    request.ack(**forget_me_confirmation(data))


SUBCOMMANDS: dict[str, SubcommandHandler] = {"forget-me": forget_me}
