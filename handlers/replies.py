"""Answering the person who clicked, wherever the click came from."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

log = logging.getLogger(__name__)


def tell(client: WebClient, body: dict[str, Any], text: str) -> None:
    """An answer only the person who clicked sees: through the message's response_url, else
    ephemeral in the channel of the click, else (a modal, the Home tab) a DM."""
    user_id = body["user"]["id"]
    if body.get("response_url"):
        answer = WebhookClient(body["response_url"]).send(
            text=text, response_type="ephemeral", replace_original=False
        )
        if answer.status_code == 200:
            return
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    try:
        if channel:
            client.chat_postEphemeral(channel=channel, user=user_id, text=text)
            return
    except SlackApiError as error:
        log.info("ephemeral answer failed (%s), sending a DM instead", error.response["error"])
    client.chat_postMessage(channel=user_id, text=text)


def workspace_of(body: dict[str, Any]) -> str:
    return (body.get("team") or {}).get("id") or body["user"]["team_id"]
