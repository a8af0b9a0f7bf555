"""Modal submissions of the weekly check-in ("Need help", "Log what I shipped") and of the host
lead's mid-visit concerns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.applications.service import Context
from bot.applications.views import refusal_modal
from bot.checkins import service as checkins
from bot.checkins import views
from bot.checkins.model import CheckinRef, HostView
from bot.checkins.service import CheckinOutcome
from handlers.applications.actions import context_of
from handlers.checkins.actions import carry_out, show_midpoint_answer
from handlers.forms import FormValues
from handlers.modal_steps import acknowledge
from infra.deps import Deps

Step = Callable[[Any, Context, CheckinRef, FormValues], CheckinOutcome]


def register(app: App, deps: Deps) -> None:
    def submitted(callback_id: str, step: Step) -> None:
        @app.view(callback_id)
        def on_submit(
            ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
        ) -> None:
            target = views.read_modal_metadata(view.get("private_metadata", ""))
            if target is None:
                ack(response_action="update", view=refusal_modal("That check-in is gone."))
                return
            ref, channel, ts = target
            with deps.uow() as uow:
                outcome = step(uow, context_of(body, deps), ref, FormValues(view))
            if outcome.errors:
                ack(response_action="errors", errors=outcome.errors)
            elif outcome.refusal is not None:
                ack(response_action="update", view=refusal_modal(outcome.refusal))
            else:
                ack()
                carry_out(outcome, channel, ts, client)

    submitted(
        views.HELP_MODAL,
        lambda uow, ctx, ref, form: checkins.ask_for_help(uow, ctx, ref, form.text("details")),
    )
    submitted(
        views.SHIPPED_MODAL,
        lambda uow, ctx, ref, form: checkins.log_shipped(uow, ctx, ref, form.text("items")),
    )

    @app.view(views.MIDPOINT_MODAL)
    def on_concerns(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        tour_id, channel, ts = views.read_midpoint_metadata(view.get("private_metadata", ""))
        note = FormValues(view).text("note")
        with deps.uow() as uow:
            outcome = checkins.answer_midpoint(
                uow, context_of(body, deps), tour_id, HostView.CONCERNS, note
            )
        acknowledge(ack, outcome)
        if outcome.ok:
            show_midpoint_answer(outcome, channel, ts, client)
