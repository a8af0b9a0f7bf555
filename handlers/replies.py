"""Answering the person who clicked, wherever the click came from."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient, WebhookResponse

log = logging.getLogger(__name__)


def refusal_of(answer: WebhookResponse) -> tuple[str, tuple[str, ...]] | None:
    """Slack's error code and messages when it refused a response_url post (WebhookClient does
    not raise), else None. Slack answers HTTP 200 with `ok: false`, or a non-200 status."""
    try:
        data = json.loads(answer.body) if answer.body else {}
    except ValueError:
        data = {}
    data = data if isinstance(data, dict) else {}
    if answer.status_code == 200 and data.get("ok", True):
        return None
    messages = (data.get("response_metadata") or {}).get("messages") or ()
    error = data.get("error") or answer.body or f"HTTP {answer.status_code}"
    return str(error), tuple(map(str, messages))


def user_of(body: dict[str, Any]) -> str | None:
    """Who sent the request: interactions, commands and events carry the user differently."""
    return (
        (body.get("user") or {}).get("id")
        or body.get("user_id")
        or (body.get("event") or {}).get("user")
    )


def tell(
    client: WebClient,
    body: dict[str, Any],
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    *,
    replace: bool = False,
) -> None:
    """An answer only the person who clicked (or typed a command) sees: through the
    response_url (in place of the message clicked when `replace`), else ephemeral in the
    channel, else (a modal, the Home tab) a DM."""
    user_id = user_of(body) or ""
    if body.get("response_url"):
        answer = WebhookClient(body["response_url"]).send(
            text=text, blocks=blocks, response_type="ephemeral", replace_original=replace
        )
        if refusal_of(answer) is None:
            return
    channel = (
        (body.get("channel") or {}).get("id")
        or (body.get("container") or {}).get("channel_id")
        or body.get("channel_id")
    )
    try:
        if channel:
            client.chat_postEphemeral(channel=channel, user=user_id, text=text, blocks=blocks)
            return
    except SlackApiError as error:
        log.info("ephemeral answer failed (%s), sending a DM instead", error.response["error"])
    client.chat_postMessage(channel=user_id, text=text, blocks=blocks)


def workspace_of(body: dict[str, Any]) -> str:
    return str((body.get("team") or {}).get("id") or body["user"]["team_id"])
