"""Buttons of a visit under way: ask for more time, the leads' answers, "I might like to stay"."""

from __future__ import annotations

import logging
from collections.abc import Callable
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
    ExtensionOutcome,
    SentExtensionRequest,
    StayOutcome,
)
from bot.applications.service import Context
from bot.core.ids import row_id
from handlers.applications.actions import context_of
from handlers.home.listeners import refresh_homes
from handlers.replies import tell
from infra.deps import Deps

log = logging.getLogger(__name__)

# Buttons that open a modal first: (decided as host?, modal builder).
# action id: (whether the host decides, the modal asking for the decision)
MODAL_STEPS: dict[str, tuple[bool, Callable[[ExtensionSnapshot], dict[str, Any]]]] = {
    views.HOST_DECLINE: (True, lambda v: views.host_decline_modal(v.extension_id)),
    views.HOME_AGREE: (False, views.home_agree_modal),
    views.HOME_DECLINE: (False, lambda v: views.home_decline_modal(v.extension_id)),
}


def deliver(outcome: ExtensionOutcome, ctx: Context, deps: Deps, client: WebClient) -> None:
    """Updates the requests a step answered, sends what it says to tell whom, refreshes Homes."""
    view = outcome.extension
    if view is None:
        return
    with deps.reader() as uow:
        answered = service.settled_requests(uow, ctx, view, outcome.settled)
    for request in answered:
        message = settled_message(request.kind, view, outcome.actor)
        try:
            client.chat_update(channel=request.channel_id, ts=request.ts, **message)
        except SlackApiError as error:
            log.warning("could not update an answered request: %s", error.response["error"])
    sent: list[SentExtensionRequest] = []
    for kind, user_id in outcome.notices:
        try:
            response = client.chat_postMessage(channel=user_id, **notice_message(kind, view))
        except SlackApiError as error:
            log.warning("could not send %s to %s: %s", kind, user_id, error.response["error"])
            continue
        if kind in EXTENSION_REQUESTS:
            sent.append(SentExtensionRequest(kind, user_id, response["channel"], response["ts"]))
    if sent:
        with deps.uow() as uow:
            service.remember_requests(uow, ctx, view, sent)
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


def register(app: App, deps: Deps) -> None:
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

    @app.action(views.HOST_AGREE)
    def host_agree(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        ctx = context_of(body, deps)
        with deps.reader() as uow:
            prepared = service.prepare_decision(uow, ctx, _target_id(body), as_host=True)
        if isinstance(prepared, ExtensionSnapshot) and prepared.host_warnings:
            # More weeks that break a host rule are agreed only with a reason, asked in a modal.
            client.views_open(trigger_id=body["trigger_id"], view=views.host_agree_modal(prepared))
            return
        with deps.uow() as uow:
            outcome = service.host_decides(uow, ctx, _target_id(body), agree=True)
        if outcome.refusal is not None:
            tell(client, body, outcome.refusal)
            return
        deliver(outcome, ctx, deps, client)

    @app.action(views.HOST_DECLINE)
    @app.action(views.HOME_AGREE)
    @app.action(views.HOME_DECLINE)
    def open_decision_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        as_host, build = MODAL_STEPS[body["actions"][0]["action_id"]]
        with deps.reader() as uow:
            prepared = service.prepare_decision(
                uow, context_of(body, deps), _target_id(body), as_host=as_host
            )
        if isinstance(prepared, ExtensionOutcome):
            tell(client, body, prepared.refusal or "")
            return
        client.views_open(trigger_id=body["trigger_id"], view=build(prepared))
