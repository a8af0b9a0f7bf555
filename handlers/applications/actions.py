"""Buttons of the approval workflow: apply, accept or decline, agree, confirm, withdraw."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.applications import service as workflow
from bot.applications import views
from bot.applications.service import Context, Outcome
from bot.applications.visit import VisitSnapshot
from bot.core.approval.steps import Stage
from bot.core.ids import parse_id
from bot.openings.views import APPLY
from handlers.approval import Decisions, context_of, register_decisions
from handlers.notices import deliver
from handlers.replies import tell
from infra.deps import Deps

# Other listeners take who acts from here.
__all__ = ["DECISIONS", "answer", "context_of", "register"]

DECISIONS = Decisions(
    view_type=VisitSnapshot,
    prepare=workflow.prepare_decision,
    modals={
        views.HOST_DECLINE: (Stage.HOST, lambda v: views.host_decline_modal(v.application_id)),
        views.HOME_AGREE: (Stage.HOME, views.home_agree_modal),
        views.HOME_DECLINE: (Stage.HOME, lambda v: views.home_decline_modal(v.application_id)),
    },
    host_agree=views.HOST_ACCEPT,
    host_agree_modal=views.host_accept_modal,
    host_agrees=lambda uow, ctx, application_id: workflow.host_decides(
        uow, ctx, application_id, accept=True
    ),
    deliver=deliver,
)


def _target_id(body: dict[str, Any]) -> int | None:
    value = body["actions"][0].get("value", "")
    return parse_id(value)


def answer(
    outcome: Outcome, ctx: Context, body: dict[str, Any], deps: Deps, client: WebClient
) -> None:
    if outcome.refusal is not None:
        tell(client, body, outcome.refusal)
        return
    deliver(outcome, ctx, deps, client)


def register(app: App, deps: Deps) -> None:
    register_decisions(app, deps, DECISIONS)

    @app.action(APPLY)
    def apply(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        ctx, opening_id = context_of(body, deps), _target_id(body)
        with deps.reader() as uow:
            form = workflow.apply_form(uow, ctx, opening_id or 0)
        if isinstance(form, Outcome):
            tell(client, body, form.refusal or "")
            return
        client.views_open(trigger_id=body["trigger_id"], view=views.apply_modal(form))

    @app.action(views.CHANGE_DATES)
    def change_dates(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        ctx = context_of(body, deps)
        with deps.reader() as uow:
            form = workflow.date_change_form(uow, ctx, _target_id(body) or 0)
        if isinstance(form, Outcome):
            tell(client, body, form.refusal or "")
            return
        client.views_open(trigger_id=body["trigger_id"], view=views.date_change_modal(form))

    @app.action(views.CARD_CONFIRM)
    def card_confirm(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        ctx = context_of(body, deps)
        with deps.uow() as uow:
            outcome = workflow.confirm_card(uow, ctx, _target_id(body) or 0, on_tour=deps.on_tour)
        if outcome.ok and not outcome.notices:
            tell(
                client,
                body,
                "Thanks, you confirmed the visit card. I'll tell everyone once all have.",
            )
            return
        answer(outcome, ctx, body, deps, client)

    @app.action(views.WITHDRAW)
    def open_withdrawal_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        with deps.reader() as uow:
            prepared = workflow.prepare_withdrawal(
                uow, context_of(body, deps), _target_id(body) or 0
            )
        if isinstance(prepared, Outcome):
            tell(client, body, prepared.refusal or "")
            return
        client.views_open(
            trigger_id=body["trigger_id"], view=views.withdraw_modal(prepared.application_id)
        )
