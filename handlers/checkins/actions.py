"""Buttons and menus of the weekly check-in (the answers, "Need help" and "Log what I shipped"),
and the host lead's mid-visit buttons (Going fine / Concerns…)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.checkins import service as checkins
from bot.checkins import views
from bot.checkins.model import CheckinRef, HostView, Question
from bot.checkins.service import CheckinOutcome, MidpointOutcome
from bot.core.ids import parse_id
from handlers.applications.actions import context_of
from handlers.replies import tell
from infra.deps import Deps

log = logging.getLogger(__name__)

NO_CHECKIN = CheckinRef(0, 0)  # a block id that names no check-in: refused as a missing visit


def _clicked(body: dict[str, Any]) -> tuple[CheckinRef, str, str]:
    """The check-in clicked on, and the channel and ts of its message."""
    ref = views.ref_of(body["actions"][0].get("block_id", "")) or NO_CHECKIN
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts", "")
    return ref, channel, ts


def _midpoint_clicked(body: dict[str, Any]) -> tuple[int | None, str, str]:
    """The visit a mid-visit button names, and the channel and ts of its message."""
    _, channel, ts = _clicked(body)
    return parse_id(body["actions"][0].get("value", "")), channel, ts


def carry_out(outcome: CheckinOutcome, channel: str, ts: str, client: WebClient) -> None:
    """The message's buttons give way to the answer. Alerts are outbox rows by now: the
    deliverer's next tick (TOURISM_TICK_SECONDS) sends them, retrying until they are through."""
    if outcome.state is not None:
        _update(client, channel, ts, views.checkin_message(outcome.state))


def show_midpoint_answer(
    outcome: MidpointOutcome, channel: str, ts: str, client: WebClient
) -> None:
    """The mid-visit message's buttons give way to the answer (the outbox tells the others)."""
    if outcome.midpoint is not None:
        message = views.midpoint_message(outcome.midpoint, outcome.view, outcome.told)
        _update(client, channel, ts, message)


def _update(client: WebClient, channel: str, ts: str, message: dict[str, Any]) -> None:
    try:
        client.chat_update(channel=channel, ts=ts, **message)
    except SlackApiError as error:
        log.warning("could not update %r: %s", message["text"], error.response["error"])


def register(app: App, deps: Deps) -> None:
    def answer(body: dict[str, Any], client: WebClient, question: Question, value: str) -> None:
        ref, channel, ts = _clicked(body)
        with deps.uow() as uow:
            outcome = checkins.record_answer(uow, context_of(body, deps), ref, question, value)
        if outcome.refusal is not None:
            tell(client, body, outcome.refusal)
            return
        carry_out(outcome, channel, ts, client)

    @app.action(views.GOING_WELL)
    @app.action(views.SO_SO)
    def mood(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        chosen = views.MOOD_BUTTONS[body["actions"][0]["action_id"]]
        answer(body, client, Question.MOOD, str(chosen))

    @app.action(views.MEETINGS)
    @app.action(views.PULLED_BACK)
    def menu(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        action = body["actions"][0]
        selected = action.get("selected_option") or {}
        answer(body, client, views.MENUS[action["action_id"]], selected.get("value", ""))

    @app.action(views.NEED_HELP)
    @app.action(views.LOG_SHIPPED)
    def open_modal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        ref, channel, ts = _clicked(body)
        need_help = body["actions"][0]["action_id"] == views.NEED_HELP
        with deps.reader() as uow:
            prepared = checkins.prepare(
                uow, context_of(body, deps), ref, Question.MOOD if need_help else None
            )
        if isinstance(prepared, CheckinOutcome):
            tell(client, body, prepared.refusal or "")
            return
        build = views.help_modal if need_help else views.shipped_modal
        metadata = views.modal_metadata(ref, channel, ts)
        client.views_open(trigger_id=body["trigger_id"], view=build(prepared, metadata))

    @app.action(views.MIDPOINT_FINE)
    def midpoint_fine(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        tour_id, channel, ts = _midpoint_clicked(body)
        with deps.uow() as uow:
            outcome = checkins.answer_midpoint(uow, context_of(body, deps), tour_id, HostView.FINE)
        if outcome.refusal is not None:
            tell(client, body, outcome.refusal)
            return
        show_midpoint_answer(outcome, channel, ts, client)

    @app.action(views.MIDPOINT_CONCERNS)
    def midpoint_concerns(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        tour_id, channel, ts = _midpoint_clicked(body)
        with deps.reader() as uow:
            midpoint = checkins.midpoint_of(uow, context_of(body, deps), tour_id)
        if isinstance(midpoint, MidpointOutcome):
            tell(client, body, midpoint.refusal or "")
            return
        metadata = views.midpoint_metadata(midpoint.tour_id, channel, ts)
        client.views_open(
            trigger_id=body["trigger_id"], view=views.concerns_modal(midpoint, metadata)
        )
