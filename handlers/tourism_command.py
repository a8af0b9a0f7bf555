"""`/tourism`: read the subcommand and hand it to its handler (one module per feature)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.commands.model import closest_subcommands, parse_command_line
from bot.commands.views import unknown_command_blocks
from handlers.applications import extension_commands
from handlers.command_request import CommandRequest, SubcommandHandler
from handlers.directory import commands as teams_command
from handlers.forgetting import commands as forgetting_commands
from handlers.help import commands as help_command
from handlers.home import status_command
from handlers.matching import commands as matching_commands
from handlers.openings import commands as openings_command
from handlers.profiles import commands as profile_command
from handlers.stats import commands as stats_command
from infra.deps import Deps

SUBCOMMAND_HANDLERS: dict[str, SubcommandHandler] = {
    **extension_commands.SUBCOMMANDS,
    **forgetting_commands.SUBCOMMANDS,
    **help_command.SUBCOMMANDS,
    **matching_commands.SUBCOMMANDS,
    **openings_command.SUBCOMMANDS,
    **profile_command.SUBCOMMANDS,
    **stats_command.SUBCOMMANDS,
    **status_command.SUBCOMMANDS,
    **teams_command.SUBCOMMANDS,
}


def register(app: App, deps: Deps) -> None:
    @app.command("/tourism")
    def tourism(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        line = parse_command_line(command.get("text", ""))
        request = CommandRequest(
            user_id=command["user_id"],
            workspace_id=command["team_id"],
            channel_id=command.get("channel_id", ""),
            trigger_id=command.get("trigger_id", ""),
            args=line.args,
            raw_args=line.raw_args,
            ack=ack,
            respond=respond,
            client=client,
        )
        handler = SUBCOMMAND_HANDLERS.get(line.name or "help")
        if handler is None:
            ack(
                text=f"Unknown command: /tourism {line.name}",
                blocks=unknown_command_blocks(
                    line.name, closest_subcommands(line.name), deps.settings.admin_user_ids
                ),
            )
            return
        handler(request, deps)
