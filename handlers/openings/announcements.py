"""Carrying out what bot.openings.service decided about an opening's channel announcement.

Shared by the modal submission (post or update) and the buttons (close); the ticker's upkeep
calls `update_announcements` (handed to it by app.py) for the openings `close_expired_openings`
closed, as a manual close does.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.openings.model import PostedOpening
from bot.openings.service import (
    AnnouncementOutcome,
    AnnouncementPlan,
    AnnouncementProblem,
    AnnouncementStep,
    NotInChannel,
    announcement_problem,
    record_announcement,
    when_not_in_channel,
)
from bot.openings.views import announcement_message, organiser_alert_text
from infra.deps import Deps

log = logging.getLogger(__name__)


def carry_out(
    client: WebClient, deps: Deps, opening: PostedOpening, plan: AnnouncementPlan
) -> AnnouncementOutcome:
    """Posts or updates the announcement; a problem is returned, never swallowed. Organisers are
    told of problems with the channel setting itself."""
    outcome = _attempt(client, deps, opening, plan)
    if outcome.problem is not None and outcome.problem.organisers_must_know:
        alert = organiser_alert_text(opening, outcome.problem, outcome.channel_id)
        for organiser in sorted(deps.settings.admin_user_ids):
            send_dm(client, organiser, alert)
    return outcome


def _attempt(
    client: WebClient, deps: Deps, opening: PostedOpening, plan: AnnouncementPlan
) -> AnnouncementOutcome:
    if plan.step is AnnouncementStep.NONE:
        return AnnouncementOutcome()
    if plan.step is AnnouncementStep.NOT_CONFIGURED or plan.channel_id is None:
        return AnnouncementOutcome(problem=AnnouncementProblem.NOT_CONFIGURED)
    channel = plan.channel_id
    message = announcement_message(opening)
    try:
        if plan.step is AnnouncementStep.UPDATE and opening.announcement is not None:
            client.chat_update(channel=channel, ts=opening.announcement.ts, **message)
            return AnnouncementOutcome(channel_id=channel)
        ts = post_in_channel(client, channel, message)
    except SlackApiError as error:
        return _failed(error, channel)
    record_announcement(deps.uow, opening.workspace_id, opening.id, channel, ts)
    return AnnouncementOutcome(posted_in=channel, channel_id=channel)


def post_in_channel(client: WebClient, channel: str, message: dict[str, Any]) -> str:
    """Posts; when not in the channel, joins a public one and posts again (a private one raises:
    someone must invite the bot)."""
    try:
        return str(client.chat_postMessage(channel=channel, **message)["ts"])
    except SlackApiError as error:
        if _code(error) != "not_in_channel":
            raise
        if (
            when_not_in_channel(is_private=_is_private(client, channel))
            is NotInChannel.ASK_FOR_INVITE
        ):
            raise
    client.conversations_join(channel=channel)
    return str(client.chat_postMessage(channel=channel, **message)["ts"])


def _is_private(client: WebClient, channel: str) -> bool | None:
    """None when Slack will not say (a private channel the bot is not in looks like that)."""
    try:
        return bool(client.conversations_info(channel=channel)["channel"].get("is_private"))
    except SlackApiError as error:
        log.info("conversations.info on %s failed: %s", channel, _code(error))
        return None


def _failed(error: SlackApiError, channel: str) -> AnnouncementOutcome:
    code = _code(error)
    log.warning("announcing an opening in %s failed: %s", channel, code)
    return AnnouncementOutcome(
        problem=announcement_problem(code), slack_error=code, channel_id=channel
    )


def _code(error: SlackApiError) -> str:
    return str(error.response.get("error") or "unknown_error")


def update_announcements(
    client: WebClient, deps: Deps, openings: Iterable[PostedOpening]
) -> list[AnnouncementOutcome]:
    """Brings the announcements of these openings (e.g. just closed) up to date."""
    return [
        carry_out(
            client,
            deps,
            opening,
            AnnouncementPlan(AnnouncementStep.UPDATE, opening.announcement.channel_id),
        )
        for opening in openings
        if opening.announcement is not None
    ]


def send_dm(client: WebClient, user_id: str, text: str) -> None:
    try:
        client.chat_postMessage(channel=user_id, text=text)
    except SlackApiError as error:
        log.warning("could not send %s a message: %s", user_id, _code(error))
