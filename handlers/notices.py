"""Sends what a workflow step says to tell whom, and updates the requests it has answered."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.applications.service import (
    REQUESTS,
    Context,
    Notice,
    Outcome,
    SentRequest,
    remember_requests,
    settled_requests,
)
from bot.applications.views import notice_message, settled_message
from handlers.home.listeners import refresh_homes
from handlers.openings.announcements import update_announcements
from infra.deps import Deps

log = logging.getLogger(__name__)


def deliver(outcome: Outcome, ctx: Context, deps: Deps, client: WebClient) -> None:
    view = outcome.visit
    if view is None:
        return
    failed: list[str] = []
    with deps.reader() as uow:
        answered = settled_requests(uow, ctx, view.application_id, outcome.settled)
    for request in answered:
        message = settled_message(request.purpose, view, outcome.actor)
        try:
            client.chat_update(channel=request.channel_id, ts=request.ts, **message)
        except SlackApiError as error:
            log.warning("could not update an answered request: %s", error.response["error"])
    sent: list[SentRequest] = []
    for kind, user_id in outcome.notices:
        try:
            response = client.chat_postMessage(channel=user_id, **notice_message(kind, view))
        except SlackApiError as error:
            failed.append(f"{kind.value} to <@{user_id}> ({error.response['error']})")
            continue
        if kind in REQUESTS:
            sent.append(SentRequest(kind, user_id, response["channel"], response["ts"]))
    if sent:
        with deps.uow() as uow:
            remember_requests(uow, ctx, view.application_id, sent)
    if failed:
        _tell_organisers(client, deps, view.application_id, failed)
    if any(kind in SEATS_CHANGED for kind, _ in outcome.notices):
        _update_announcement(client, deps, ctx.workspace_id, view.opening_id)
    concerned = [outcome.actor, *view.card_people()]
    refresh_homes(client, deps, ctx.workspace_id, concerned)


# A booked visit takes a seat, a cancelled one gives it back: the announcement shows seats left.
SEATS_CHANGED = frozenset({Notice.CONFIRMED, Notice.ENDED, Notice.SEAT_GONE})


def _update_announcement(client: WebClient, deps: Deps, workspace_id: str, opening_id: int) -> None:
    with deps.reader() as uow:
        opening = uow.openings.get(workspace_id, opening_id)
    if opening is not None:
        update_announcements(client, deps, [opening])


def _tell_organisers(client: WebClient, deps: Deps, application_id: int, failed: list[str]) -> None:
    text = (
        f"I could not deliver some messages about application #{application_id}: "
        + "; ".join(failed)
        + ". Please pass them on."
    )
    for organiser in sorted(deps.settings.admin_user_ids):
        try:
            client.chat_postMessage(channel=organiser, text=text)
        except SlackApiError:
            log.exception("could not tell organiser %s about undelivered messages", organiser)
