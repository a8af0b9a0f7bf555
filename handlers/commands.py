"""`/tourism` and its subcommands: parse, call the domain, answer with a view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.commands import closest_subcommands, parse_command_line
from bot.views.help import help_blocks, help_text, unknown_command_blocks
from handlers.deps import Deps


@dataclass(frozen=True)
class CommandRequest:
    """One `/tourism …` invocation, as the subcommand handlers see it."""

    user_id: str
    workspace_id: str
    channel_id: str
    trigger_id: str
    args: tuple[str, ...]
    raw_args: str
    ack: Ack
    respond: Respond
    client: WebClient


SubcommandHandler = Callable[[CommandRequest, Deps], None]


def show_help(request: CommandRequest, deps: Deps) -> None:
    request.ack(text=help_text(), blocks=help_blocks(deps.settings.admin_user_ids))


SUBCOMMAND_HANDLERS: dict[str, SubcommandHandler] = {
    "help": show_help,
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
