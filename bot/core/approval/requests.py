"""Where the messages asking for a decision went, so that answering one updates every copy, and
what could not be delivered, so that the organisers pass it on.

The messages of a request for more time are kept with its visit's application: each kind of
request names its messages (`purpose`) so that they are told apart.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

Kind = TypeVar("Kind", bound=StrEnum)


@dataclass(frozen=True)
class RequestMessage:
    """One message asking for a decision, as it is kept."""

    purpose: str
    user_id: str
    channel_id: str
    ts: str


class RequestMessages(Protocol):
    """The port keeping them, per application."""

    def remember_request(
        self, workspace_id: str, application_id: int, message: RequestMessage, now: datetime
    ) -> None: ...

    def requests_sent(
        self, application_id: int, purposes: Sequence[str]
    ) -> list[RequestMessage]: ...


@dataclass(frozen=True)
class SentRequest(Generic[Kind]):
    """A message of some kind asking `user_id` for a decision, where it went."""

    kind: Kind
    user_id: str
    channel_id: str
    ts: str


Purpose = Callable[[Kind], str]  # how a kind of message is named where it is kept


def remember(
    messages: RequestMessages,
    workspace_id: str,
    application_id: int,
    sent: Sequence[SentRequest[Kind]],
    *,
    purpose: Purpose[Kind],
    now: datetime,
) -> None:
    for request in sent:
        message = RequestMessage(
            purpose(request.kind), request.user_id, request.channel_id, request.ts
        )
        messages.remember_request(workspace_id, application_id, message, now)


def answered(
    messages: RequestMessages,
    application_id: int,
    kinds: Sequence[Kind],
    purpose: Purpose[Kind],
) -> list[SentRequest[Kind]]:
    """The messages of `kinds` sent for one request: a step that answers them updates them."""
    if not kinds:
        return []
    by_purpose = {purpose(kind): kind for kind in kinds}
    return [
        SentRequest(by_purpose[m.purpose], m.user_id, m.channel_id, m.ts)
        for m in messages.requests_sent(application_id, list(by_purpose))
    ]


@dataclass(frozen=True)
class Undelivered:
    """A notice Slack would not deliver: the organisers are told, to pass it on."""

    kind: str
    user_id: str
    error: str
