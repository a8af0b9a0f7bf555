"""Delivering what a step of any request (a visit, more time on it) says: the requests it
answered are updated in place, each notice goes to its person, the requests asking for a
decision are remembered, and what Slack would not deliver is reported to the organisers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.approval.requests import SentRequest, Undelivered
from bot.core.approval.views import undelivered_report
from infra.deps import Deps

log = logging.getLogger(__name__)

Kind = TypeVar("Kind", bound=StrEnum)
View = TypeVar("View")
Message = dict[str, Any]


@dataclass(frozen=True)
class Messages(Generic[Kind, View]):
    """How one kind of request renders what its steps say."""

    notice: Callable[[Kind, View], Message]
    answered: Callable[[Kind, View, str], Message]  # (kind, view, who answered)
    asking: frozenset[
        Kind
    ]  # the notices that ask for a decision: remembered, updated once answered


@dataclass(frozen=True)
class Delivery(Generic[Kind, View]):
    """What one step says, about `subject` ("application #12"), as its person sees it."""

    subject: str
    view: View
    actor: str
    notices: Sequence[tuple[Kind, str]]  # (kind, user id)
    answered: Sequence[SentRequest[Kind]]  # the requests the step answered


def deliver(
    client: WebClient,
    deps: Deps,
    delivery: Delivery[Kind, View],
    messages: Messages[Kind, View],
    remember: Callable[[list[SentRequest[Kind]]], None],
) -> None:
    """Updates the answered requests, sends the notices, `remember`s the requests sent, and
    tells the organisers what could not be delivered so that they pass it on."""
    view = delivery.view
    for request in delivery.answered:
        message = messages.answered(request.kind, view, delivery.actor)
        try:
            client.chat_update(channel=request.channel_id, ts=request.ts, **message)
        except SlackApiError as error:
            log.warning("could not update an answered request: %s", error.response["error"])
    sent: list[SentRequest[Kind]] = []
    failed: list[Undelivered] = []
    for kind, user_id in delivery.notices:
        try:
            response = client.chat_postMessage(channel=user_id, **messages.notice(kind, view))
        except SlackApiError as error:
            failed.append(Undelivered(kind.value, user_id, error.response["error"]))
            continue
        if kind in messages.asking:
            sent.append(SentRequest(kind, user_id, response["channel"], response["ts"]))
    if sent:
        remember(sent)
    if failed:
        _tell_organisers(client, deps, undelivered_report(delivery.subject, failed))


def _tell_organisers(client: WebClient, deps: Deps, text: str) -> None:
    for organiser in sorted(deps.settings.admin_user_ids):
        try:
            client.chat_postMessage(channel=organiser, text=text)
        except SlackApiError:
            log.exception("could not tell organiser %s about undelivered messages", organiser)
