"""`/tourism history APPLICATION-ID` or `history visit VISIT-ID`: a visit's state changes."""

from __future__ import annotations

from bot.history.model import parse_history_ref
from bot.history.service import USAGE, Reader, visit_history
from bot.history.views import history_message
from handlers.command_request import CommandRequest, SubcommandHandler
from infra.deps import Deps


def show_history(request: CommandRequest, deps: Deps) -> None:
    ref = parse_history_ref(request.args)
    if ref is None:
        request.ack(text=f"Which visit? {USAGE}")
        return
    reader = Reader(request.workspace_id, request.user_id, deps.settings.admin_user_ids)
    with deps.reader() as uow:
        history = visit_history(uow, reader, ref)
    if isinstance(history, str):
        request.ack(text=history)
        return
    request.ack(**history_message(history))


SUBCOMMANDS: dict[str, SubcommandHandler] = {"history": show_history}
