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


@dataclass(frozen=True)
class AnsweredAfterAck:
    """A subcommand acknowledged at once, with nothing said, and answered through `respond` by
    `answer`: the acknowledgement needs nothing of it, so `answer` may run in another process
    (a Bolt lazy listener)."""

    answer: SubcommandHandler

    def __call__(self, request: CommandRequest, deps: Deps) -> None:
        request.ack()
        self.answer(request, deps)


def acknowledge(ack: Ack) -> None:
    """The acknowledgement of a listener whose work is all in its lazy listeners."""
    ack()
