"""`tourism serve`, `web` and `worker` as an operator runs them: real processes, real signals."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from infra.fake_slack.requests import SlackRequests
from tests.conftest import SIGNING_SECRET
from tests.test_cli import ROOT, free_port, run_tourism


def start_tourism(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "TOURISM_", "SOCKET_", "WEB_"))
    }
    return subprocess.Popen(
        [sys.executable, str(ROOT / "app.py"), *args],
        env=clean | env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def http_env(tmp_path: Path, fake_slack, port: int) -> dict[str, str]:
    return {
        "SLACK_BOT_TOKEN": "xoxb-1-2-3",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.base_url,
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}",
        "TOURISM_TICK_SECONDS": "1",
    }


def wait_until_healthy(requests: SlackRequests, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if requests.raw(b"", {}, path="/healthz").status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the bot did not start: {process.communicate(timeout=10)[0]}")


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_serve_answers_the_request_in_progress_on_a_stop_signal_and_exits_0(
    tmp_path: Path, fake_slack, stop_signal
):
    port = free_port()
    process = start_tourism(["serve"], http_env(tmp_path, fake_slack, port), tmp_path)
    requests = SlackRequests(f"http://127.0.0.1:{port}", SIGNING_SECRET, fake_slack=fake_slack)
    try:
        wait_until_healthy(requests, process)
        fake_slack.inject("views.open", delay=2)  # keeps the /tourism profile request busy
        answers = []
        asking = threading.Thread(
            target=lambda: answers.append(requests.slash_command("profile", user_id="U0ALICE"))
        )
        asking.start()
        fake_slack.wait_for("views.open", timeout=30)
        process.send_signal(stop_signal)
        asking.join(timeout=30)
        output, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert [answer.status for answer in answers] == [200]
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert f"{stop_signal.name} received" in output
    assert "scheduler stopped" in output
    assert output.rstrip().endswith("stopped")


def test_worker_runs_only_the_scheduler_and_stops_on_sigterm(tmp_path: Path, fake_slack):
    port = free_port()
    process = start_tourism(["worker"], http_env(tmp_path, fake_slack, port), tmp_path)
    try:
        output_lines: list[str] = []
        for line in process.stdout:
            output_lines.append(line)
            if "scheduler started" in line:
                break
        with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
            pass  # a worker does not listen
        process.send_signal(signal.SIGTERM)
        rest, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    output = "".join(output_lines) + rest
    assert process.returncode == 0, output
    assert "scheduler stopped" in output
    assert "listening" not in output


def test_a_busy_port_is_one_line_and_the_scheduler_never_starts(tmp_path: Path, fake_slack):
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = http_env(tmp_path, fake_slack, port) | {"LOG_LEVEL": "DEBUG"}
        result = run_tourism(["serve"], env, tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"tourism: cannot start: PORT {port} is already in use" in result.stderr
    assert "scheduler started" not in result.stderr
    assert fake_slack.calls("chat.postMessage") == []


def test_a_refused_app_token_in_socket_mode_is_one_line_naming_it(tmp_path: Path, fake_slack):
    fake_slack.inject("apps.connections.open", error="invalid_auth", times=5)
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1-2-3",
        "SLACK_APP_TOKEN": "xapp-1-A0-revoked",
        "SLACK_API_URL": fake_slack.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}",
    }
    result = run_tourism(["serve", "--socket-mode"], env, tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "tourism: cannot start: Slack refused SLACK_APP_TOKEN" in result.stderr
    assert "invalid_auth" in result.stderr
    assert "SLACK_BOT_TOKEN" not in result.stderr
    assert "connected through Socket Mode" not in result.stderr
    assert "xapp-1-A0-revoked" not in result.stderr
