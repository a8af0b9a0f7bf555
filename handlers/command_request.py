"""One `/tourism …` invocation, as the subcommand handlers see it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from infra.deps import Deps


@dataclass(frozen=True)
class CommandRequest:
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
