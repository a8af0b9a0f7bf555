"""`/tourism`: read the subcommand and hand it to its handler (found in the features' modules)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.commands.model import CommandLine, closest_subcommands, parse_command_line
from bot.commands.views import unknown_command_blocks
from handlers import subcommands
from handlers.command_request import AnsweredAfterAck, CommandRequest, acknowledge
from infra.deps import Deps


def _command_request(
    command: dict[str, Any], line: CommandLine, ack: Ack, respond: Respond, client: WebClient
) -> CommandRequest:
    return CommandRequest(
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


def register(app: App, deps: Deps) -> None:
    handlers = subcommands()

    def line_of(command: dict[str, Any]) -> CommandLine:
        return parse_command_line(command.get("text", ""))

    def answered_after_ack(command: dict[str, Any]) -> bool:
        return isinstance(handlers.get(line_of(command).name or "help"), AnsweredAfterAck)

    def answer(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        line = line_of(command)
        handler = handlers[line.name or "help"]
        assert isinstance(handler, AnsweredAfterAck)
        handler.answer(_command_request(command, line, ack, respond, client), deps)

    # Registered first: Bolt runs the first listener that matches.
    app.command("/tourism", matchers=[answered_after_ack])(ack=acknowledge, lazy=[answer])

    @app.command("/tourism")
    def tourism(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        line = line_of(command)
        request = _command_request(command, line, ack, respond, client)
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
