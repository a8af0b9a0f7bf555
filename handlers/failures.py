"""No failure is silent: when Slack refuses what a listener sends (a message, a view, a
response_url post), the refusal is logged with Slack's error, the person gets a short apology and
the organisers a DM saying what failed.

Web API refusals raise SlackApiError on their own; response_url posts (Bolt's `respond`) do not,
so every request's `respond` is swapped for one that raises. Everything then meets in one place:
Bolt's global error handler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookResponse

from bot.core.blocks import escape
from handlers.replies import refusal_of, tell, user_of
from infra.deps import Deps

log = logging.getLogger(__name__)

SORRY = "Something went wrong on our side; the organisers have been told."
MESSAGES_SHOWN = 5  # Slack lists every problem; the first few say enough


class ResponseRefusedError(Exception):
    """Slack refused a post to a response_url."""

    def __init__(self, error: str, messages: tuple[str, ...]) -> None:
        super().__init__(f"response_url post refused: {error}")
        self.error = error
        self.messages = messages


@dataclass(frozen=True)
class SlackRefusal:
    """What Slack refused: the method, its error code and its `response_metadata.messages`."""

    method: str
    error: str
    messages: tuple[str, ...]

    @classmethod
    def of(cls, error: Exception) -> SlackRefusal | None:
        if isinstance(error, ResponseRefusedError):
            return cls("response_url", error.error, error.messages)
        if not isinstance(error, SlackApiError):
            return None
        response = error.response
        data = response.data if isinstance(response.data, dict) else {}
        messages = (data.get("response_metadata") or {}).get("messages") or ()
        method = (response.api_url or "").rsplit("/", 1)[-1] or "a Slack method"
        code = data.get("error") or f"HTTP {response.status_code}"
        return cls(method, str(code), tuple(map(str, messages)))

    def describe(self) -> str:
        details = "; ".join(self.messages[:MESSAGES_SHOWN])
        return f"{self.method} answered {self.error}" + (f" ({details})" if details else "")


class CheckedRespond(Respond):
    """Bolt's `respond`, raising ResponseRefusedError when Slack refuses the post."""

    def __call__(self, *args: Any, **kwargs: Any) -> WebhookResponse:
        answer = super().__call__(*args, **kwargs)
        refusal = refusal_of(answer)
        if refusal is not None:
            raise ResponseRefusedError(*refusal)
        return answer


def register(app: App, deps: Deps) -> None:
    @app.middleware
    def checked_respond(
        context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        if context.response_url:
            context["respond"] = CheckedRespond(
                response_url=context.response_url,
                proxy=context.client.proxy,
                ssl=context.client.ssl,
            )
        return next()

    @app.error
    def report(error: Exception, body: dict[str, Any], client: WebClient) -> None:
        refusal = SlackRefusal.of(error)
        if refusal is None:
            log.error("a listener failed: %r", error, exc_info=error)
            return
        log.error("Slack refused a request: %s", refusal.describe())
        apologise(client, body)
        tell_organisers(client, deps, refusal, body)


def apologise(client: WebClient, body: dict[str, Any]) -> None:
    if user_of(body) is None:
        return
    try:
        tell(client, body, SORRY)
    except (SlackApiError, OSError) as error:  # OSError: Slack unreachable, timed out
        log.error("could not apologise either: %s", _why(error))


def tell_organisers(
    client: WebClient, deps: Deps, refusal: SlackRefusal, body: dict[str, Any]
) -> None:
    user = user_of(body)
    who = f" for <@{user}>" if user else ""
    told = " They were told it went wrong." if user else ""
    text = (
        f"Slack refused something I sent{who} while handling {_request_kind(body)}: "
        f"`{escape(refusal.describe())}`.{told} The log has the details."
    )
    for organiser in sorted(deps.settings.admin_user_ids):
        try:
            client.chat_postMessage(channel=organiser, text=text)
        except (SlackApiError, OSError) as error:
            log.error("could not tell organiser %s: %s", organiser, _why(error))


def _why(error: Exception) -> str:
    refusal = SlackRefusal.of(error)
    return refusal.describe() if refusal else repr(error)


def _request_kind(body: dict[str, Any]) -> str:
    if body.get("command"):
        line = f"{body['command']} {body.get('text', '')}".strip()
        return f"`{escape(line[:60])}`"
    if body.get("type") == "block_actions":
        action = (body.get("actions") or [{}])[0]
        return f"the button `{escape(str(action.get('action_id', '?')))}`"
    if body.get("type") in ("view_submission", "view_closed"):
        return f"the form `{escape(str((body.get('view') or {}).get('callback_id', '?')))}`"
    if body.get("event"):
        return f"the event `{escape(str(body['event'].get('type', '?')))}`"
    return f"a `{escape(str(body.get('type', 'request')))}` request"
