from __future__ import annotations

from bot.commands.views import help_blocks, help_text
from handlers.command_request import CommandRequest, SubcommandHandler
from infra.deps import Deps


def show_help(request: CommandRequest, deps: Deps) -> None:
    request.ack(text=help_text(), blocks=help_blocks(deps.settings.admin_user_ids))


SUBCOMMANDS: dict[str, SubcommandHandler] = {"help": show_help}
