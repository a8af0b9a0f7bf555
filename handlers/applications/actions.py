"""Buttons of the approval workflow: apply, accept or decline, agree, confirm, withdraw."""

from __future__ import annotations

from collections.abc import Callable
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
from handlers.notices import deliver
from handlers.replies import tell, workspace_of
from infra.deps import Deps

# Buttons that open a modal first. action id: (the decision, the modal asking for it)
MODAL_STEPS: dict[str, tuple[Stage, Callable[[VisitSnapshot], dict[str, Any]]]] = {
    views.HOST_DECLINE: (Stage.HOST, lambda v: views.host_decline_modal(v.application_id)),
    views.HOME_AGREE: (Stage.HOME, views.home_agree_modal),
    views.HOME_DECLINE: (Stage.HOME, lambda v: views.home_decline_modal(v.application_id)),
}


def context_of(body: dict[str, Any], deps: Deps) -> Context:
    return Context(
        workspace_id=workspace_of(body),
        actor=body["user"]["id"],
        now=deps.clock.now(),
        today=deps.today(),
        organisers=deps.settings.admin_user_ids,
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

    @app.action(views.HOST_ACCEPT)
    def host_accept(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        ctx = context_of(body, deps)
        with deps.reader() as uow:
            prepared = workflow.prepare_decision(uow, ctx, _target_id(body) or 0, Stage.HOST)
        if isinstance(prepared, VisitSnapshot) and prepared.host_warnings:
            # Dates that break a host rule are accepted only with a reason, asked in a modal.
            client.views_open(trigger_id=body["trigger_id"], view=views.host_accept_modal(prepared))
            return
        with deps.uow() as uow:
            outcome = workflow.host_decides(uow, ctx, _target_id(body) or 0, accept=True)
        answer(outcome, ctx, body, deps, client)

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

    @app.action(views.HOST_DECLINE)
    @app.action(views.HOME_AGREE)
    @app.action(views.HOME_DECLINE)
    def open_decision_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        stage, build = MODAL_STEPS[body["actions"][0]["action_id"]]
        with deps.reader() as uow:
            prepared = workflow.prepare_decision(
                uow, context_of(body, deps), _target_id(body) or 0, stage
            )
        if isinstance(prepared, Outcome):
            tell(client, body, prepared.refusal or "")
            return
        client.views_open(trigger_id=body["trigger_id"], view=build(prepared))

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
