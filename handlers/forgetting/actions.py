"""The answers to `/tourism forget-me`: forget whoever pressed the button, or keep everything."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.forgetting.model import ForgottenBy
from bot.forgetting.service import ForgetRequest, forget_person
from bot.forgetting.views import FORGET_ME_CANCEL, FORGET_ME_CONFIRM, KEPT, forgotten_text
from handlers.replies import workspace_of
from infra.deps import Deps


def register(app: App, deps: Deps) -> None:
    @app.action(FORGET_ME_CONFIRM)
    def confirm(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        # The person who pressed is the one forgotten: the button carries nobody's id.
        request = ForgetRequest(
            workspace_of(body),
            body["user"]["id"],
            ForgottenBy.THEMSELVES,
            deps.settings.tombstone_salt,
            deps.clock.now(),
        )
        removed = forget_person(deps.uow, request)
        respond(replace_original=True, text=forgotten_text(removed))

    @app.action(FORGET_ME_CANCEL)
    def cancel(ack: Ack, respond: Respond) -> None:
        ack()
        respond(replace_original=True, text=KEPT)
