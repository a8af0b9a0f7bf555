"""A modal that submits one workflow step: ack with inline errors or a refusal, then deliver.

Used by the approval workflow and extensions, whose outcomes share `errors`, `refusal`, `ok`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.applications.service import Context
from bot.applications.views import refusal_modal
from bot.core.ids import row_id
from handlers.applications.actions import context_of
from handlers.forms import FormValues
from infra.deps import Deps


class StepOutcome(Protocol):
    errors: dict[str, str]
    refusal: str | None

    @property
    def ok(self) -> bool: ...


Step = Callable[..., Any]  # (uow, ctx, id, form[, what read_first read]) -> an outcome
ReadFirst = Callable[[Any, Context, int | None, FormValues], Any]
Deliver = Callable[[Any, Context, Deps, WebClient], None]


def acknowledge(ack: Ack, outcome: StepOutcome) -> None:
    """Inline errors keep the modal open; a refusal replaces it with the explanation."""
    if outcome.errors:
        ack(response_action="errors", errors=outcome.errors)
    elif outcome.refusal is not None:
        ack(response_action="update", view=refusal_modal(outcome.refusal))
    else:
        ack()


def register_step(
    app: App,
    deps: Deps,
    callback_id: str,
    step: Step,
    deliver: Deliver,
    *,
    read_first: ReadFirst | None = None,
) -> None:
    """`step(uow, ctx, id from private_metadata, form)` runs when the modal is submitted.

    `read_first(reader, ctx, id, form)`, when given, runs before it in a read-only unit of work, for
    what the step needs that is slow to compute (outside the write lock, which the step's unit
    of work holds from its start on SQLite); its result is the step's fifth argument.
    """

    @app.view(callback_id)
    def on_submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        ctx = context_of(body, deps)
        metadata = view.get("private_metadata", "")
        target_id = row_id(metadata)
        form = FormValues(view)
        read: tuple[Any, ...] = ()
        if read_first is not None:
            with deps.reader() as reader:
                read = (read_first(reader, ctx, target_id, form),)
        with deps.uow() as uow:
            outcome = step(uow, ctx, target_id, form, *read)
        acknowledge(ack, outcome)
        if outcome.ok:
            deliver(outcome, ctx, deps, client)
