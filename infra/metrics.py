"""Prometheus metrics: Slack requests, Slack Web API errors and rate limits, the outbox.

Counters and histograms live in prometheus-client's default registry. Under a pre-forking server
(gunicorn) set PROMETHEUS_MULTIPROC_DIR to an empty directory before the processes start: each
process then writes its values there and a scrape adds them up (prometheus-client's multiprocess
mode; the server should call `process_exited(pid)` when a worker exits). The outbox gauges are
counted in the database at each scrape, so every process reports the same, true numbers.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.http_retry import RetryHandler, RetryState
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from sqlalchemy.exc import SQLAlchemyError

from infra.listeners import dispatch_acking_first
from infra.logs import ContextThreadPool, request_scope

log = logging.getLogger(__name__)

MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
LABEL_LENGTH = 80
# Slack wants an acknowledgement within 3 s: the buckets resolve the range around that limit.
ACK_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
LISTENER_THREADS = 5  # Bolt's own default

SLACK_REQUESTS = Counter(
    "tourism_slack_requests",
    "Requests from Slack handled by the bot, by listener and outcome",
    ["listener", "outcome"],
)
ACK_SECONDS = Histogram(
    "tourism_slack_ack_seconds",
    "Time from a Slack request reaching the app to its acknowledgement",
    ["kind"],
    buckets=ACK_BUCKETS,
)
SLACK_API_ERRORS = Counter(
    "tourism_slack_api_errors",
    "Slack Web API calls answered with an error, by method and error code",
    ["method", "code"],
)
RATE_LIMIT_WAITS = Counter(
    "tourism_slack_rate_limit_waits",
    "Slack Web API calls answered 429 (the caller waits for Retry-After), by method",
    ["method"],
)
RATE_LIMIT_WAIT_SECONDS = Counter(
    "tourism_slack_rate_limit_wait_seconds",
    "Seconds Slack asked the bot to wait (Retry-After), by method",
    ["method"],
)
OUTBOX_STATES = ("due", "sending", "failed")
UNVERIFIED = "unverified"  # the listener label of requests refused before Bolt saw them


# --- Slack requests ---------------------------------------------------------------------------


def _first_action(body: Mapping[str, Any]) -> Mapping[str, Any]:
    actions = body.get("actions") or [{}]
    return actions[0] if isinstance(actions[0], Mapping) else {}


def listener_of(body: Mapping[str, Any]) -> str:
    """A bounded label for the listener a request goes to: `kind name` (no user text)."""
    kind = str(body.get("type") or ("command" if "command" in body else "unknown"))
    match kind:
        case "command":
            name = body.get("command")
        case "event_callback":
            name = (body.get("event") or {}).get("type")
        case "block_actions":
            name = _first_action(body).get("action_id")
        case "block_suggestion":
            name = body.get("action_id")
        case "view_submission" | "view_closed":
            name = (body.get("view") or {}).get("callback_id")
        case "shortcut" | "message_action":
            name = body.get("callback_id")
        case _:
            name = None
    return f"{kind} {name}"[:LABEL_LENGTH] if name else kind[:LABEL_LENGTH]


def outcome_of(status: int) -> str:
    if status < 300:
        return "ok"
    if status == 404:
        return "unhandled"
    if status < 500:
        return "refused"
    return "error"


class ObservedApp(App):
    """Bolt's App, with each request measured and its log lines tagged with a request id.

    `dispatch` is where HTTP mode and Socket Mode meet; it returns once the listener has
    acknowledged, so its duration is the acknowledgement latency. Listeners run in a pool that
    carries the request id along; with an AckFirstPool, their work after ack() waits its turn
    (infra/listeners.py).
    """

    def __init__(self, **options: Any) -> None:
        options.setdefault("listener_executor", ContextThreadPool(max_workers=LISTENER_THREADS))
        super().__init__(**options)

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        with request_scope():
            started = time.perf_counter()
            listener = listener_of(req.body)
            outcome = "error"
            try:
                # A context of its own: what middleware sets for this request (its workspace's
                # scope, infra/workspace_scope.py) ends with it.
                response = contextvars.copy_context().run(
                    dispatch_acking_first, super().dispatch, req
                )
                outcome = outcome_of(response.status)
                return response
            finally:
                ACK_SECONDS.labels(listener.split(" ", 1)[0]).observe(time.perf_counter() - started)
                SLACK_REQUESTS.labels(listener, outcome).inc()


# --- Slack Web API calls ----------------------------------------------------------------------


def _retry_after(response: HttpResponse) -> float:
    for name, values in (response.headers or {}).items():
        if name.lower() == "retry-after":
            value = values[0] if isinstance(values, list) else values
            try:
                return max(float(value), 0.0)
            except ValueError:
                return 0.0
    return 0.0


def _json_object(data: bytes | None) -> Mapping[str, Any]:
    try:
        parsed = json.loads(data or b"{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, Mapping) else {}


class SlackCallMetrics(RetryHandler):
    """Counts errors and rate limits of every Web API call; never retries anything itself.

    slack-sdk shows each response to the client's retry handlers, and Bolt copies the handlers
    into the clients its listeners get, so put this first in `retry_handlers`.
    """

    def can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        method = request.url.rsplit("/", 1)[-1][:LABEL_LENGTH]
        if response is None:
            SLACK_API_ERRORS.labels(method, type(error).__name__ if error else "no_response").inc()
            return False
        body = response.body if response.body is not None else _json_object(response.data)
        if response.status_code == 429:
            RATE_LIMIT_WAITS.labels(method).inc()
            RATE_LIMIT_WAIT_SECONDS.labels(method).inc(_retry_after(response))
        if response.status_code >= 400 or body.get("ok") is False:
            code = str(body.get("error") or f"http_{response.status_code}")[:LABEL_LENGTH]
            SLACK_API_ERRORS.labels(method, code).inc()
        return False


# --- the outbox, counted at scrape time -------------------------------------------------------


class OutboxCollector(Collector):
    """Outbox rows due now, being sent and failed, counted in the database at each scrape."""

    def __init__(self, count: Callable[[], Mapping[str, int]]) -> None:
        self._count = count

    def collect(self) -> Iterable[Metric]:
        try:
            counts = self._count()
        except SQLAlchemyError as error:
            log.warning("metrics: cannot count the outbox (%s)", error.__class__.__name__)
            return
        gauge = GaugeMetricFamily(
            "tourism_outbox_messages",
            "Outbox messages due and not yet sent, being sent now, or failed for good",
            labels=["state"],
        )
        for state in OUTBOX_STATES:
            gauge.add_metric([state], counts.get(state, 0))
        yield gauge


class MetricsExposition:
    """The text a scrape of /metrics gets: this process's (or all processes') metrics and the
    collectors given (computed fresh at each scrape)."""

    def __init__(self, collectors: Iterable[Collector] = ()) -> None:
        self._extra = CollectorRegistry()
        for collector in collectors:
            self._extra.register(collector)

    def render(self) -> tuple[bytes, str]:
        if os.environ.get(MULTIPROCESS_DIR_VARIABLE):
            shared = CollectorRegistry()
            # prometheus_client.multiprocess is unannotated.
            multiprocess.MultiProcessCollector(shared)  # type: ignore[no-untyped-call]
        else:
            shared = REGISTRY
        return generate_latest(shared) + generate_latest(self._extra), CONTENT_TYPE_LATEST


def process_exited(pid: int) -> None:
    """For a pre-forking server's child-exit hook: drops a dead worker's live gauges."""
    if os.environ.get(MULTIPROCESS_DIR_VARIABLE):
        multiprocess.mark_process_dead(pid)  # type: ignore[no-untyped-call]
