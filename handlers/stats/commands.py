"""`/tourism stats`: the programme in numbers, for organisers."""

from __future__ import annotations

from bot.core.blocks import user_mention
from bot.stats.views import stats_message
from handlers.command_request import CommandRequest, SubcommandHandler
from infra.deps import Deps


def show_stats(request: CommandRequest, deps: Deps) -> None:
    if not deps.settings.is_admin(request.user_id):
        organisers = ", ".join(map(user_mention, sorted(deps.settings.admin_user_ids)))
        request.ack(
            text=f"The programme's numbers are for organisers ({organisers or 'none set'})."
        )
        return
    with deps.reader() as uow:
        stats = uow.stats.programme(request.workspace_id)
    request.ack(**stats_message(stats))


SUBCOMMANDS: dict[str, SubcommandHandler] = {"stats": show_stats}
