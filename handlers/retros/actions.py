"""Buttons at the end of a visit: "Write my retro", the share-back reminder's Done / Not yet,
and the 90-day follow-up's "It stuck"."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.ids import row_id
from bot.retros import service as retros
from bot.retros import views
from bot.retros.service import Refusal
from handlers.applications.actions import context_of
from handlers.replies import tell
from infra.deps import Deps

log = logging.getLogger(__name__)

NO_ITEM = (0, -1)  # names no tour: refused as a visit that no longer exists


def _tour_id(body: dict[str, Any]) -> int:
    value = body["actions"][0].get("value", "")
    return row_id(value)


def clicked_message(body: dict[str, Any]) -> tuple[str, str]:
    """The channel and ts of the message whose button was clicked."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts", "")
    return channel, ts


def update_message(client: WebClient, channel: str, ts: str, message: dict[str, Any]) -> None:
    """The buttons give way to the answer; the answer is recorded whether or not this works."""
    try:
        client.chat_update(channel=channel, ts=ts, **message)
    except SlackApiError as error:
        log.warning("could not update the message %s in %s: %s", ts, channel, error)


def register(app: App, deps: Deps) -> None:
    @app.action(views.RETRO_OPEN)
    def open_retro(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        with deps.reader() as uow:
            form = retros.retro_form(uow, context_of(body, deps), _tour_id(body))
        if isinstance(form, Refusal):
            tell(client, body, form.reason)
            return
        view = views.retro_modal(form, deps.settings.announcement_channel)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.action(views.SHARE_BACK_DONE)
    def shared(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        with deps.uow() as uow:
            outcome = retros.share_back_done(uow, context_of(body, deps), _tour_id(body))
        if outcome.state is None:
            tell(client, body, outcome.refusal or "")
            return
        update_message(client, *clicked_message(body), views.updated_share_back(outcome.state))

    @app.action(views.SHARE_BACK_NOT_YET)
    def book(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        tour_id = _tour_id(body)
        with deps.reader() as uow:
            form = retros.share_back_form(uow, context_of(body, deps), tour_id)
        if isinstance(form, Refusal):
            tell(client, body, form.reason)
            return
        metadata = views.modal_metadata(tour_id, *clicked_message(body))
        client.views_open(
            trigger_id=body["trigger_id"], view=views.share_back_modal(form, metadata)
        )

    @app.action(views.RETRO_STUCK)
    def stuck(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        tour_id, index = views.stuck_target(body["actions"][0].get("value", "")) or NO_ITEM
        with deps.uow() as uow:
            outcome = retros.mark_item_stuck(uow, context_of(body, deps), tour_id, index)
        if outcome.state is None:
            tell(client, body, outcome.refusal or "")
            return
        update_message(client, *clicked_message(body), views.updated_follow_up(outcome.state))
