"""Modal submissions of the approval workflow."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt import App

from bot.applications import service as workflow
from bot.applications import views
from bot.applications.service import ApplicationInput, Context, Outcome
from bot.matching.service import fit_explanation
from handlers.forms import FormValues
from handlers.modal_steps import Step, register_step
from handlers.notices import deliver
from infra.deps import Deps


def register(app: App, deps: Deps) -> None:
    def submitted(callback_id: str, step: Step) -> None:
        register_step(app, deps, callback_id, step, deliver)

    def fit_before_applying(
        reader: Any, ctx: Context, opening_id: int | None, form: FormValues
    ) -> str:
        # Asked before applying: a live application takes the pair out of the matcher's view.
        # Read first, as the matcher may refresh its index: never while holding the write lock.
        return fit_explanation(
            reader,
            ctx.workspace_id,
            ctx.actor,
            opening_id or 0,
            today=ctx.today,
            related=deps.vocabulary.related_map(),
            requested=form.date("starts_on"),
        )

    def apply(uow: Any, ctx: Context, opening_id: int, form: FormValues, fit: str) -> Outcome:
        application = ApplicationInput(
            motivation=form.text("motivation"),
            learning_goal=form.text("learning_goal"),
            starts_on=form.date("starts_on"),
        )
        outcome = workflow.submit_application(uow, ctx, opening_id, application)
        if outcome.visit is None:
            return outcome
        return replace(outcome, visit=replace(outcome.visit, fit=fit))

    register_step(app, deps, views.APPLY_MODAL, apply, deliver, read_first=fit_before_applying)
    submitted(
        views.HOST_DECLINE_MODAL,
        lambda uow, ctx, app_id, form: workflow.host_decides(
            uow, ctx, app_id, accept=False, reason=form.text("reason")
        ),
    )
    submitted(
        views.HOST_ACCEPT_MODAL,
        lambda uow, ctx, app_id, form: workflow.host_decides(
            uow, ctx, app_id, accept=True, override_reason=form.text("override_reason")
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
            uow,
            ctx,
            app_id,
            form.date("starts_on"),
            override_reason=form.text("override_reason"),
            on_tour=deps.on_tour,
        ),
    )
    submitted(
        views.WITHDRAW_MODAL,
        lambda uow, ctx, app_id, form: workflow.withdraw(
            uow, ctx, app_id, reason=form.text("reason"), on_tour=deps.on_tour
        ),
    )
