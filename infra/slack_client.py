"""The Web API client every part of the bot shares (Bolt copies its base URL and retry handlers)."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.settings import Settings
from infra.metrics import SlackCallMetrics

REQUEST_TIMEOUT_SECONDS = 10


def build_web_client(settings: Settings) -> WebClient:
    options: dict[str, str] = {}
    if settings.slack_api_url:
        options["base_url"] = settings.slack_api_url
    return WebClient(
        token=settings.slack_bot_token,
        timeout=REQUEST_TIMEOUT_SECONDS,
        retry_handlers=[
            SlackCallMetrics(),  # first: it counts every answer and retries nothing
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),  # sleeps for Retry-After
            ServerErrorRetryHandler(max_retry_count=2),
        ],
        **options,
    )
