"""Modal submissions of the approval workflow."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.services import applications as workflow
from bot.services.applications import ApplicationInput, Outcome
from bot.views import applications as views
from handlers.actions.applications import context_of
from handlers.deps import Deps
from handlers.forms import FormValues
from handlers.notices import deliver


def _acknowledge(ack: Ack, outcome: Outcome) -> None:
    """Inline errors keep the modal open; a refusal replaces it with the explanation."""
    if outcome.errors:
        ack(response_action="errors", errors=outcome.errors)
    elif outcome.refusal is not None:
        ack(response_action="update", view=views.refusal_modal(outcome.refusal))
    else:
        ack()


def register(app: App, deps: Deps) -> None:
    def submitted(callback_id: str, step: Any) -> None:
        @app.view(callback_id)
        def on_submit(
            ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
        ) -> None:
            ctx = context_of(body, deps)
            metadata = view.get("private_metadata", "")
            target_id = int(metadata) if metadata.isdigit() else 0
            with deps.uow() as uow:
                outcome = step(uow, ctx, target_id, FormValues(view))
            _acknowledge(ack, outcome)
            if outcome.ok:
                deliver(outcome, ctx, deps, client)

    submitted(
        views.APPLY_MODAL,
        lambda uow, ctx, opening_id, form: workflow.submit_application(
            uow,
            ctx,
            opening_id,
            ApplicationInput(
                motivation=form.text("motivation"),
                learning_goal=form.text("learning_goal"),
                starts_on=form.date("starts_on"),
            ),
        ),
    )
    submitted(
        views.HOST_DECLINE_MODAL,
        lambda uow, ctx, app_id, form: workflow.host_decides(
            uow, ctx, app_id, accept=False, reason=form.text("reason")
        ),
    )
    submitted(
        views.HOME_AGREE_MODAL,
        lambda uow, ctx, app_id, form: workflow.home_decides(
            uow,
            ctx,
            app_id,
            agree=True,
            covering=form.text("covering"),
            override_reason=form.text("override_reason"),
        ),
    )
    submitted(
        views.HOME_DECLINE_MODAL,
        lambda uow, ctx, app_id, form: workflow.home_decides(
            uow, ctx, app_id, agree=False, reason=form.text("reason")
        ),
    )
    submitted(
        views.DATE_CHANGE_MODAL,
        lambda uow, ctx, app_id, form: workflow.change_dates(
            uow, ctx, app_id, form.date("starts_on"), on_tour=deps.on_tour
        ),
    )
    submitted(
        views.WITHDRAW_MODAL,
        lambda uow, ctx, app_id, form: workflow.withdraw(
            uow, ctx, app_id, reason=form.text("reason"), on_tour=deps.on_tour
        ),
    )
