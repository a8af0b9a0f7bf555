"""The buttons and deliveries of any request two teams decide on (a visit, more time on it).

Its decision buttons check, before a modal opens, that the person who clicked (the payload's
user, never the button's value) may take that decision. Delivering what a step says updates the
requests it answered in place, sends each notice to its person, remembers the requests asking
for a decision, and reports what Slack would not deliver to the organisers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.applications.service import Context
from bot.core.approval.requests import SentRequest, Undelivered
from bot.core.approval.steps import Stage, StepOutcome
from bot.core.approval.views import undelivered_report
from bot.core.ids import row_id
from handlers.replies import tell, workspace_of
from infra.deps import Deps

log = logging.getLogger(__name__)

Kind = TypeVar("Kind", bound=StrEnum)
View = TypeVar("View")
Message = dict[str, Any]


Prepare = Callable[[Any, Context, int, Stage], Any]  # (reader, ctx, id, stage) -> view or outcome
Decide = Callable[[Any, Context, int], Any]  # (uow, ctx, id) -> an outcome
Deliver = Callable[[Any, Context, Deps, WebClient], None]


def context_of(body: dict[str, Any], deps: Deps) -> Context:
    """Who acts (the payload's user), where and when."""
    return Context(
        workspace_id=workspace_of(body),
        actor=body["user"]["id"],
        now=deps.clock.now(),
        today=deps.today(),
        organisers=deps.settings.admin_user_ids,
    )


def _target_id(body: dict[str, Any]) -> int:
    return row_id(body["actions"][0].get("value", ""))


@dataclass(frozen=True)
class Decisions(Generic[View]):
    """The decision buttons of one kind of request."""

    view_type: type[View]  # what `prepare` returns when the person may decide
    prepare: Prepare
    modals: dict[str, tuple[Stage, Callable[[View], Message]]]  # action id: (decision, modal)
    host_agree: str  # the host's button that agrees at once, unless soft rules need a reason
    host_agree_modal: Callable[[View], Message]
    host_agrees: Decide
    deliver: Deliver


def register_decisions(app: App, deps: Deps, decisions: Decisions[Any]) -> None:
    @app.action(decisions.host_agree)
    def host_agree(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        ctx = context_of(body, deps)
        with deps.reader() as uow:
            prepared = decisions.prepare(uow, ctx, _target_id(body), Stage.HOST)
        if isinstance(prepared, decisions.view_type) and prepared.host_warnings:
            # Dates that break a host rule are agreed to only with a reason, asked in a modal.
            modal = decisions.host_agree_modal(prepared)
            client.views_open(trigger_id=body["trigger_id"], view=modal)
            return
        with deps.uow() as uow:
            outcome: StepOutcome[Any] = decisions.host_agrees(uow, ctx, _target_id(body))
        if outcome.refusal is not None:
            tell(client, body, outcome.refusal)
            return
        decisions.deliver(outcome, ctx, deps, client)

    def open_decision_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        stage, build = decisions.modals[body["actions"][0]["action_id"]]
        with deps.reader() as uow:
            prepared = decisions.prepare(uow, context_of(body, deps), _target_id(body), stage)
        if not isinstance(prepared, decisions.view_type):
            tell(client, body, prepared.refusal or "")
            return
        client.views_open(trigger_id=body["trigger_id"], view=build(prepared))

    for action_id in decisions.modals:
        app.action(action_id)(open_decision_modal)


@dataclass(frozen=True)
class Messages(Generic[Kind, View]):
    """How one kind of request renders what its steps say."""

    notice: Callable[[Kind, View], Message]
    answered: Callable[[Kind, View, str], Message]  # (kind, view, who answered)
    # The notices that ask for a decision: remembered, and updated once answered.
    asking: frozenset[Kind]


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
