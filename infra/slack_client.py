"""The Web API client every part of the bot shares (Bolt copies its base URL and retry handlers)."""

from __future__ import annotations

from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from infra.metrics import SlackCallMetrics
from infra.settings import Settings

REQUEST_TIMEOUT_SECONDS = 10

# Slack has no idempotency key for these: after a 5xx or a dropped connection the message may
# be posted already, and sending it again would post it twice. Only the outbox resends, after
# looking for it in the conversation's history. A 429 was not processed: that one is retried.
NOT_IDEMPOTENT = frozenset(
    {"chat.postMessage", "chat.postEphemeral", "chat.scheduleMessage", "chat.meMessage"}
)


def api_method(request: HttpRequest) -> str:
    """`https://slack.com/api/chat.postMessage?x=y` → `chat.postMessage`."""
    return urlsplit(request.url).path.rsplit("/", 1)[-1]


class _IdempotentCallsOnly(RetryHandler):
    """Mixed into a retry handler: it never resends a call that may already have had effect."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if api_method(request) in NOT_IDEMPOTENT:
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)


class IdempotentConnectionErrorRetryHandler(_IdempotentCallsOnly, ConnectionErrorRetryHandler):
    pass


class IdempotentServerErrorRetryHandler(_IdempotentCallsOnly, ServerErrorRetryHandler):
    pass


def build_web_client(settings: Settings, client_class: type[WebClient] = WebClient) -> WebClient:
    return client_class(
        token=settings.slack_bot_token or None,  # none with many workspaces: each has its own
        base_url=settings.slack_api_url or WebClient.BASE_URL,
        timeout=REQUEST_TIMEOUT_SECONDS,
        retry_handlers=[
            SlackCallMetrics(),  # first: it counts every answer and retries nothing
            IdempotentConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),  # sleeps for Retry-After
            IdempotentServerErrorRetryHandler(max_retry_count=2),
        ],
    )
