"""Modal submissions of a visit under way: asking for more time and the leads' decisions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.services import extensions as service
from bot.services.applications import Context
from bot.services.extensions import ExtensionInput, ExtensionOutcome
from bot.views import extensions as views
from bot.views.applications import refusal_modal
from handlers.actions.applications import context_of
from handlers.actions.extensions import deliver
from handlers.deps import Deps
from handlers.forms import FormValues

Step = Callable[[Any, Context, int, FormValues], ExtensionOutcome]


def _acknowledge(ack: Ack, outcome: ExtensionOutcome) -> None:
    """Inline errors keep the modal open; a refusal replaces it with the explanation."""
    if outcome.errors:
        ack(response_action="errors", errors=outcome.errors)
    elif outcome.refusal is not None:
        ack(response_action="update", view=refusal_modal(outcome.refusal))
    else:
        ack()


def register(app: App, deps: Deps) -> None:
    def submitted(callback_id: str, step: Step) -> None:
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
        views.EXTEND_MODAL,
        lambda uow, ctx, tour_id, form: service.request_extension(
            uow,
            ctx,
            tour_id,
            ExtensionInput(weeks=_weeks(form.selected("weeks")), reason=form.text("reason")),
        ),
    )
    submitted(
        views.HOST_DECLINE_MODAL,
        lambda uow, ctx, extension_id, form: service.host_decides(
            uow, ctx, extension_id, agree=False, reason=form.text("reason")
        ),
    )
    submitted(
        views.HOME_AGREE_MODAL,
        lambda uow, ctx, extension_id, form: service.home_decides(
            uow,
            ctx,
            extension_id,
            agree=True,
            override_reason=form.text("override_reason"),
            on_tour=deps.on_tour,
        ),
    )
    submitted(
        views.HOME_DECLINE_MODAL,
        lambda uow, ctx, extension_id, form: service.home_decides(
            uow, ctx, extension_id, agree=False, reason=form.text("reason")
        ),
    )


def _weeks(selected: str | None) -> int | None:
    return int(selected) if selected and selected.isdigit() else None
