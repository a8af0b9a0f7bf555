"""Buttons of a visit under way: ask for more time, the leads' answers, "I might like to stay"."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.applications import extension_views as views
from bot.applications import extensions as service
from bot.applications.changes import ExtensionSnapshot
from bot.applications.extension_views import (
    notice_message,
    settled_message,
    stay_answer,
    stay_message,
)
from bot.applications.extensions import (
    EXTENSION_REQUESTS,
    ExtensionNotice,
    ExtensionOutcome,
    StayOutcome,
)
from bot.applications.service import Context
from bot.core.approval.requests import SentRequest
from bot.core.approval.steps import Stage
from bot.core.ids import row_id
from handlers.approval import Decisions, Delivery, Messages, context_of, register_decisions
from handlers.approval import deliver as deliver_request
from handlers.home.listeners import refresh_homes
from handlers.replies import tell
from infra.deps import Deps

log = logging.getLogger(__name__)

MESSAGES = Messages(notice_message, settled_message, frozenset(EXTENSION_REQUESTS))


def deliver(outcome: ExtensionOutcome, ctx: Context, deps: Deps, client: WebClient) -> None:
    """Updates the requests a step answered, sends what it says to tell whom, refreshes Homes."""
    view = outcome.extension
    if view is None:
        return
    with deps.reader() as uow:
        answered = service.settled_requests(uow, view, outcome.settled)
    subject = f"request for more time #{view.extension_id}"
    delivery = Delivery(subject, view, outcome.actor, outcome.notices, answered)

    def remember(sent: list[SentRequest[ExtensionNotice]]) -> None:
        with deps.uow() as uow:
            service.remember_requests(uow, ctx, view, sent)

    deliver_request(client, deps, delivery, MESSAGES, remember)
    refresh_homes(client, deps, ctx.workspace_id, [outcome.actor, view.visitor_id])


def tell_leads(client: WebClient, deps: Deps, workspace_id: str, outcome: StayOutcome) -> None:
    """The private flag goes to the two teams' leads by DM, never to a channel."""
    for lead in outcome.leads:
        try:
            client.chat_postMessage(channel=lead, **stay_message(outcome))
        except SlackApiError as error:
            log.warning("could not tell %s about staying on: %s", lead, error.response["error"])
    refresh_homes(client, deps, workspace_id, [outcome.visitor_id])


def _target_id(body: dict[str, Any]) -> int:
    value = body["actions"][0].get("value", "")
    return row_id(value)


DECISIONS = Decisions(
    view_type=ExtensionSnapshot,
    prepare=service.prepare_decision,
    modals={
        views.HOST_DECLINE: (Stage.HOST, lambda v: views.host_decline_modal(v.extension_id)),
        views.HOME_AGREE: (Stage.HOME, views.home_agree_modal),
        views.HOME_DECLINE: (Stage.HOME, lambda v: views.home_decline_modal(v.extension_id)),
    },
    host_agree=views.HOST_AGREE,
    host_agree_modal=views.host_agree_modal,
    host_agrees=lambda uow, ctx, extension_id: service.host_decides(
        uow, ctx, extension_id, agree=True
    ),
    deliver=deliver,
)


def register(app: App, deps: Deps) -> None:
    register_decisions(app, deps, DECISIONS)

    @app.action(views.EXTEND)
    def ask_for_more_time(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        with deps.reader() as uow:
            form = service.extension_form(uow, context_of(body, deps), _target_id(body))
        if isinstance(form, ExtensionOutcome):
            tell(client, body, form.refusal or "")
            return
        client.views_open(trigger_id=body["trigger_id"], view=views.extension_modal(form))

    @app.action(views.STAY)
    @app.action(views.STAY_OFF)
    def might_stay(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        ctx = context_of(body, deps)
        staying = body["actions"][0]["action_id"] == views.STAY
        with deps.uow() as uow:
            outcome = service.set_might_stay(uow, ctx, _target_id(body), might_stay=staying)
        if outcome.refusal is not None:
            tell(client, body, outcome.refusal)
            return
        tell(client, body, stay_answer(outcome))
        tell_leads(client, deps, ctx.workspace_id, outcome)
