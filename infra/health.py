"""Health, readiness and metrics over HTTP, for load balancers, orchestrators and Prometheus.

- `GET /healthz`: the process is alive and answering (200 `ok`), nothing else is checked;
- `GET /readyz`: 200 when the database answers, its schema is at the newest migration and, in a
  process that runs the ticker, the ticker has beaten recently; 503 otherwise, with each check's
  result as JSON;
- `GET /metrics`: Prometheus text format (infra/metrics.py).

`OperationsRoutes` is WSGI middleware, so it sits in front of the Slack app in HTTP mode under any
WSGI server, or alone on HEALTH_PORT (Socket Mode, or a process serving no Slack requests).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from infra.deps import Deps
from infra.http import HttpServer, StartResponse, WsgiApp
from infra.metrics import MetricsExposition, OutboxCollector
from storage.migrate import schema_is_current

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
# A ticker that missed this many beats in a row is taken for dead.
MISSED_BEATS = 3
BEAT_GRACE_SECONDS = 5.0


class Heartbeat:
    """The ticker beats on every tick; readiness reads how long ago it last did."""

    def __init__(self, interval_seconds: float) -> None:
        self.max_age = MISSED_BEATS * interval_seconds + BEAT_GRACE_SECONDS
        self._last: float | None = None
        self._lock = threading.Lock()

    def beat(self) -> None:
        with self._lock:
            self._last = time.monotonic()

    def age(self) -> float | None:
        """Seconds since the last beat, or None before the first."""
        with self._lock:
            return None if self._last is None else time.monotonic() - self._last

    def alive(self) -> bool:
        age = self.age()
        return age is not None and age <= self.max_age


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


class Readiness:
    """What /readyz checks: the database and its schema, and the ticker if this process has one."""

    def __init__(self, engine: Engine, heartbeat: Heartbeat | None = None) -> None:
        self._engine = engine
        self._heartbeat = heartbeat

    def checks(self) -> list[Check]:
        checks = [self._database()]
        if self._heartbeat is not None:
            checks.append(self._ticker(self._heartbeat))
        return checks

    def _database(self) -> Check:
        try:
            current = schema_is_current(self._engine)
        except SQLAlchemyError as error:
            log.warning("not ready: the database does not answer (%s)", error.__class__.__name__)
            return Check("database", False, "unreachable")
        if not current:
            return Check("database", False, "schema is not at the newest migration")
        return Check("database", True, "reachable, schema at the newest migration")

    @staticmethod
    def _ticker(heartbeat: Heartbeat) -> Check:
        age = heartbeat.age()
        if age is None:
            return Check("ticker", False, "not started yet")
        if not heartbeat.alive():
            return Check("ticker", False, f"last beat {age:.0f}s ago")
        return Check("ticker", True, f"last beat {age:.0f}s ago")


def _answer(
    start_response: StartResponse, status: str, body: bytes, content_type: str
) -> list[bytes]:
    start_response(
        status,
        [("Content-Type", content_type), ("Cache-Control", "no-store")],
    )
    return [body]


class OperationsRoutes:
    """WSGI middleware answering /healthz, /readyz and /metrics; anything else goes to `inner`
    (404 without one)."""

    def __init__(
        self, inner: WsgiApp | None, readiness: Readiness, metrics: MetricsExposition
    ) -> None:
        self._inner = inner
        self._readiness = readiness
        self._metrics = metrics

    def in_front_of(self, inner: WsgiApp) -> OperationsRoutes:
        return OperationsRoutes(inner, self._readiness, self._metrics)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH:
            return _answer(start_response, "200 OK", b"ok", "text/plain; charset=utf-8")
        if path == READY_PATH:
            return self._ready(start_response)
        if path == METRICS_PATH:
            body, content_type = self._metrics.render()
            return _answer(start_response, "200 OK", body, content_type)
        if self._inner is None:
            return _answer(start_response, "404 Not Found", b"Not Found", "text/plain")
        return self._inner(environ, start_response)

    def _ready(self, start_response: StartResponse) -> list[bytes]:
        checks = self._readiness.checks()
        ready = all(check.ok for check in checks)
        body = json.dumps({"ready": ready, "checks": [asdict(check) for check in checks]}).encode()
        status = "200 OK" if ready else "503 Service Unavailable"
        return _answer(start_response, status, body, "application/json")


def operations_routes(deps: Deps, engine: Engine, heartbeat: Heartbeat | None) -> OperationsRoutes:
    """The routes for this process: readiness includes the ticker when `heartbeat` is given."""

    def count_outbox() -> dict[str, int]:
        with deps.uow() as uow:
            return uow.outbox.operational_counts(deps.clock.now())

    metrics = MetricsExposition([OutboxCollector(count_outbox)])
    return OperationsRoutes(None, Readiness(engine, heartbeat), metrics)


def start_health_server(routes: OperationsRoutes, port: int, host: str = "0.0.0.0") -> HttpServer:
    """The small listener on HEALTH_PORT, answering in a background thread."""
    server = HttpServer(routes, host, port)
    server.start_in_background()
    log.info("health and metrics on %s (/healthz, /readyz, /metrics)", server.url)
    return server
