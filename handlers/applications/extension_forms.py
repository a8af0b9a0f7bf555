"""Modal submissions of a visit under way: asking for more time and the leads' decisions."""

from __future__ import annotations

from slack_bolt import App

from bot.applications import extension_views as views
from bot.applications import extensions as service
from bot.applications.extensions import ExtensionInput
from bot.core.ids import parse_id
from handlers.applications.extension_actions import deliver
from handlers.modal_steps import Step, register_step
from infra.deps import Deps


def register(app: App, deps: Deps) -> None:
    def submitted(callback_id: str, step: Step) -> None:
        register_step(app, deps, callback_id, step, deliver)

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
        views.HOST_AGREE_MODAL,
        lambda uow, ctx, extension_id, form: service.host_decides(
            uow, ctx, extension_id, agree=True, override_reason=form.text("override_reason")
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
    return parse_id(selected)
