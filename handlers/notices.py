"""Sends what a workflow step says to tell whom, and updates the requests it has answered."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.applications.service import (
    REQUESTS,
    Context,
    Notice,
    Outcome,
    remember_requests,
    settled_requests,
)
from bot.applications.views import notice_message, settled_message
from bot.core.approval.requests import SentRequest
from handlers.approval import Delivery, Messages
from handlers.approval import deliver as deliver_request
from handlers.home.listeners import refresh_homes
from handlers.openings.announcements import update_announcements
from infra.deps import Deps

MESSAGES = Messages(notice_message, settled_message, frozenset(REQUESTS))


def deliver(outcome: Outcome, ctx: Context, deps: Deps, client: WebClient) -> None:
    view = outcome.visit
    if view is None:
        return
    with deps.reader() as uow:
        answered = settled_requests(uow, view.application_id, outcome.settled)
    subject = f"application #{view.application_id}"
    delivery = Delivery(subject, view, outcome.actor, outcome.notices, answered)

    def remember(sent: list[SentRequest[Notice]]) -> None:
        with deps.uow() as uow:
            remember_requests(uow, ctx, view.application_id, sent)

    deliver_request(client, deps, delivery, MESSAGES, remember)
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
