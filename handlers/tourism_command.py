"""`/tourism`: read the subcommand and hand it to its handler (found in the features' modules)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.commands.model import closest_subcommands, parse_command_line
from bot.commands.views import unknown_command_blocks
from handlers import subcommands
from handlers.command_request import CommandRequest
from infra.deps import Deps


def register(app: App, deps: Deps) -> None:
    handlers = subcommands()

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
        handler = handlers.get(line.name or "help")
        if handler is None:
            ack(
                text=f"Unknown command: /tourism {line.name}",
                blocks=unknown_command_blocks(
                    line.name,
                    closest_subcommands(
                        line.name, organiser=request.user_id in deps.settings.admin_user_ids
                    ),
                ),
            )
            return
        handler(request, deps)
