"""`tourism` as a newcomer runs it: a real process, settings from the environment."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from infra.fake_slack.requests import SlackRequests
from tests.conftest import SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[1]


def run_tourism(
    args: list[str], env: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "TOURISM_"))
    }
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, str(ROOT / "app.py"), *args],
        env=clean | env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "SLACK_BOT_TOKEN is missing"),
        (
            {
                "SLACK_BOT_TOKEN": "xoxb-1",
                "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
                "TOURISM_TIMEZONE": "Nowhere/Land",
            },
            "TOURISM_TIMEZONE is not a time zone",
        ),
        (
            {
                "SLACK_BOT_TOKEN": "xoxb-1",
                "SLACK_APP_TOKEN": "xapp-1",
                "DATABASE_URL": "oracle://x",
            },
            "DATABASE_URL uses 'oracle'",
        ),
    ],
)
def test_a_bad_setting_stops_the_start_with_one_clear_line(tmp_path: Path, env, expected):
    result = run_tourism(["serve"], env, tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"tourism: cannot start: {expected}" in result.stderr
    assert result.stdout == ""


def test_settings_are_read_from_dotenv_in_the_working_directory(tmp_path: Path):
    (tmp_path / ".env").write_text(
        "SLACK_BOT_TOKEN=xoxb-from-dotenv\nSLACK_APP_TOKEN=xapp-1\nLOG_LEVEL=chatty\n"
    )
    result = run_tourism(["serve"], {}, tmp_path)
    assert result.returncode == 2
    assert "LOG_LEVEL must be one of" in result.stderr
    assert "SLACK_BOT_TOKEN" not in result.stderr


def test_migrate_needs_only_the_database(tmp_path: Path):
    result = run_tourism(["migrate"], {"DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert (tmp_path / "t.db").exists()


def test_an_unreachable_database_is_one_clear_line(tmp_path: Path):
    env = {"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    result = run_tourism(["migrate"], env, tmp_path)
    assert result.returncode == 2
    assert "tourism: cannot start: cannot reach the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_token_slack_refuses_is_one_clear_line(tmp_path: Path, fake_slack):
    fake_slack.inject("auth.test", error="invalid_auth", times=5)
    env = {
        "SLACK_BOT_TOKEN": "xoxb-revoked",
        "SLACK_SIGNING_SECRET": "8f742231b10e8888abcd99yyyzzz85a5",
        "SLACK_API_URL": fake_slack.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}",
    }
    result = run_tourism(["serve"], env, tmp_path)
    assert result.returncode == 2
    assert "Slack refused to start the bot" in result.stderr
    assert "invalid_auth" in result.stderr
    assert "xoxb-revoked" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_answers_signed_requests_over_http(tmp_path: Path, fake_slack):
    port = free_port()
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1-2-3",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.base_url,
        "PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}",
        "LOG_LEVEL": "DEBUG",
    }
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "TOURISM_"))
    }
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py"), "serve"],
        env=clean | env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        requests = SlackRequests(f"http://127.0.0.1:{port}", SIGNING_SECRET, fake_slack=fake_slack)
        deadline = time.monotonic() + 120  # a busy machine imports slowly; healthy ends it
        while time.monotonic() < deadline:
            try:
                if requests.raw(b"", {}, path="/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        answer = requests.slash_command("help", user_id="U0ALICE").json()
        assert "`/tourism help`" in json.dumps(answer)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert "xoxb-1-2-3" not in output
    assert f"listening on http://0.0.0.0:{port}/slack/events" in output


def test_an_unreachable_slack_is_one_clear_line(tmp_path: Path):
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1-2-3",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": f"http://127.0.0.1:{free_port()}/api/",
        "DATABASE_URL": f"sqlite:///{tmp_path / 't.db'}",
    }
    result = run_tourism(["serve"], env, tmp_path)
    assert result.returncode == 2
    assert "tourism: cannot start: cannot reach the Slack API" in result.stderr
    assert "Traceback" not in result.stderr
