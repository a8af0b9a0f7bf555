"""Health, readiness and metrics over real HTTP, in front of the real app or on their own."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from app import create_app
from bot.core.clock import FixedClock
from bot.scheduling.planning import Kind, PlannedMessage
from infra.deps import Deps
from infra.fake_slack import FakeSlack
from infra.fake_slack.requests import SlackRequests
from infra.health import Heartbeat, operations_routes, start_health_server
from infra.http import HttpServer, slack_wsgi_app
from infra.settings import SettingsError, load_settings
from infra.slack_client import build_web_client
from storage.db import create_db_engine
from tests.conftest import NOW, SIGNING_SECRET, make_settings, settings_env
from tests.support.seed import WORKSPACE, seed_workspace
from tests.test_cli import free_port

ROOT = Path(__file__).resolve().parents[2]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, frozenset(labels.items())), 0.0)


@dataclass
class Served:
    url: str
    deps: Deps
    heartbeat: Heartbeat
    requests: SlackRequests


@pytest.fixture
def served(database_url: str, fake_slack: FakeSlack) -> Iterator[Served]:
    """The real app behind the operations routes, as `tourism serve` composes them."""
    settings = make_settings(
        settings_env(DATABASE_URL=database_url, SLACK_API_URL=fake_slack.base_url)
    )
    tourism = create_app(settings, FixedClock(NOW))
    heartbeat = Heartbeat(interval_seconds=30)
    routes = operations_routes(tourism.deps, tourism.engine, heartbeat)
    server = HttpServer(
        routes.in_front_of(slack_wsgi_app(tourism.bolt, SIGNING_SECRET)), "127.0.0.1", 0
    )
    server.start_in_background()
    try:
        yield Served(
            server.url,
            tourism.deps,
            heartbeat,
            SlackRequests(server.url, SIGNING_SECRET, fake_slack=fake_slack),
        )
    finally:
        server.stop()
        tourism.close()


def test_liveness_asks_nothing_and_readiness_checks_database_and_ticker(served: Served):
    assert get(served.url + "/healthz") == (200, "ok")
    status, body = get(served.url + "/readyz")
    assert status == 503  # the ticker has not beaten yet
    checks = {check["name"]: check for check in json.loads(body)["checks"]}
    assert checks["database"]["ok"] is True
    assert checks["ticker"] == {"name": "ticker", "ok": False, "detail": "not started yet"}

    served.heartbeat.beat()
    status, body = get(served.url + "/readyz")
    assert status == 200, body
    assert json.loads(body)["ready"] is True


def test_a_ticker_that_stopped_beating_is_not_ready():
    heartbeat = Heartbeat(interval_seconds=0)
    heartbeat.max_age = 0.0  # the grace period, shortened for the test
    heartbeat.beat()
    assert not heartbeat.alive()
    heartbeat.max_age = 60.0
    assert heartbeat.alive()


def serve_operations(database_url: str, deps: Deps) -> HttpServer:
    engine = create_db_engine(database_url)
    return start_health_server(operations_routes(deps, engine, None), 0, host="127.0.0.1")


def test_readiness_fails_while_the_database_is_down(served: Served):
    server = serve_operations("postgresql+psycopg://nobody@127.0.0.1:1/none", served.deps)
    try:
        assert get(server.url + "/healthz") == (200, "ok")  # alive, but not ready
        status, body = get(server.url + "/readyz")
        assert status == 503
        assert json.loads(body)["checks"] == [
            {"name": "database", "ok": False, "detail": "unreachable"}
        ]
    finally:
        server.stop()


def test_readiness_fails_on_a_database_not_migrated(served: Served, tmp_path: Path):
    server = serve_operations(f"sqlite:///{tmp_path / 'empty.db'}", served.deps)
    try:
        status, body = get(server.url + "/readyz")
        assert status == 503
        assert json.loads(body)["checks"][0]["detail"] == "schema is not at the newest migration"
    finally:
        server.stop()


def test_the_health_listener_answers_only_operations_paths(served: Served, database_url: str):
    server = serve_operations(database_url, served.deps)
    try:
        assert get(server.url + "/readyz")[0] == 200  # no ticker in this process: not checked
        assert get(server.url + "/slack/events")[0] == 404
    finally:
        server.stop()


def plan(deps: Deps, key: str, due_in_hours: int) -> None:
    with deps.uow() as uow:
        seed_workspace(uow)
        uow.outbox.upsert(
            WORKSPACE,
            [
                PlannedMessage(
                    key, Kind.DIGEST, "C0DIGEST", NOW + timedelta(hours=due_in_hours), "x"
                )
            ],
        )
        uow.commit()


def test_metrics_count_signed_requests_slack_errors_and_the_outbox(
    served: Served, fake_slack: FakeSlack
):
    before = get(served.url + "/metrics")[1]
    assert served.requests.slash_command("help", user_id="U0ALICE").status == 200
    assert served.requests.raw(b"forged", {"Content-Type": "text/plain"}).status == 401
    plan(served.deps, "due", -1)
    plan(served.deps, "later", +5)
    client = build_web_client(served.deps.settings)
    with pytest.raises(Exception, match="channel_not_found"):
        client.chat_postMessage(channel="C0MISSING", text="hello")

    status, after = get(served.url + "/metrics")
    assert status == 200
    command = {"listener": "command /tourism", "outcome": "ok"}
    assert (
        value(after, "tourism_slack_requests_total", **command)
        - value(before, "tourism_slack_requests_total", **command)
        == 1
    )
    assert value(after, "tourism_slack_ack_seconds_count", kind="command") > value(
        before, "tourism_slack_ack_seconds_count", kind="command"
    )
    refused = {"listener": "unverified", "outcome": "refused"}
    assert (
        value(after, "tourism_slack_requests_total", **refused)
        - value(before, "tourism_slack_requests_total", **refused)
        == 1
    )
    errors = {"method": "chat.postMessage", "code": "channel_not_found"}
    assert value(after, "tourism_slack_api_errors_total", **errors) - value(
        before, "tourism_slack_api_errors_total", **errors
    ) == pytest.approx(1)
    assert value(after, "tourism_outbox_messages", state="due") == 1
    assert value(after, "tourism_outbox_messages", state="sending") == 0


def test_rate_limit_waits_are_counted(served: Served, fake_slack: FakeSlack):
    before = get(served.url + "/metrics")[1]
    fake_slack.inject("users.info", status=429, retry_after=1, times=1)
    fake_slack.add_user("U0ALICE", tz="Europe/Warsaw")
    build_web_client(served.deps.settings).users_info(user="U0ALICE")  # waits 1 s, then works
    after = get(served.url + "/metrics")[1]
    for name, change in (
        ("tourism_slack_rate_limit_waits_total", 1),
        ("tourism_slack_rate_limit_wait_seconds_total", 1),
    ):
        assert value(after, name, method="users.info") - value(
            before, name, method="users.info"
        ) == pytest.approx(change)


COUNT_ONE_REQUEST = """
from infra.metrics import SLACK_REQUESTS
SLACK_REQUESTS.labels("command /tourism", "ok").inc()
"""
RENDER = """
from infra.metrics import MetricsExposition
print(MetricsExposition().render()[0].decode())
"""


def test_metrics_of_several_processes_add_up_in_multiprocess_mode(tmp_path: Path):
    env = os.environ | {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}

    def python(code: str) -> str:
        return subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout

    python(COUNT_ONE_REQUEST)
    python(COUNT_ONE_REQUEST)
    exposed = python(RENDER)
    labels = {"listener": "command /tourism", "outcome": "ok"}
    assert value(exposed, "tourism_slack_requests_total", **labels) == 2


def test_serve_is_ready_on_its_port_and_on_health_port(tmp_path: Path, fake_slack: FakeSlack):
    port, health_port = free_port(), free_port()
    env = settings_env(
        SLACK_API_URL=fake_slack.base_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 't.db'}",
        PORT=str(port),
        HEALTH_PORT=str(health_port),
        TOURISM_TICK_SECONDS="1",
        LOG_FORMAT="json",
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TOURISM_"))}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py"), "serve"],
        env=clean | env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for url in (f"http://127.0.0.1:{port}", f"http://127.0.0.1:{health_port}"):
            deadline = time.monotonic() + 120  # a busy machine imports slowly
            answer: tuple[int, str] = (0, "")
            while time.monotonic() < deadline and answer[0] != 200:
                try:
                    answer = get(url + "/readyz")
                except OSError:
                    time.sleep(0.2)
            assert answer[0] == 200, answer
            assert [check["name"] for check in json.loads(answer[1])["checks"]] == [
                "database",
                "ticker",
            ]
            assert "tourism_outbox_messages" in get(url + "/metrics")[1]
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)
    logged = [json.loads(line) for line in errors.splitlines() if line.startswith("{")]
    assert any("health and metrics on" in line["message"] for line in logged), errors


def test_health_port_is_optional_and_validated():
    assert load_settings(settings_env()).health_port is None
    assert load_settings(settings_env(HEALTH_PORT="8081")).health_port == 8081
    with pytest.raises(SettingsError) as refused:
        load_settings(settings_env(HEALTH_PORT="http"))
    assert refused.value.problems == [
        "HEALTH_PORT must be a whole number from 1 to 65535, not 'http'."
    ]
