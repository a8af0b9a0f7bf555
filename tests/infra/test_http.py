import json
import time
from urllib.parse import urlencode

from infra.fake_slack.requests import sign
from infra.http import MAX_BODY_BYTES
from tests.conftest import RunningBot

FORM = "application/x-www-form-urlencoded"


def command_body(text: str = "help") -> bytes:
    return urlencode(
        {"command": "/tourism", "text": text, "user_id": "U0ALICE", "team_id": "T0TEST"}
    ).encode()


def test_forged_signature_is_401(bot: RunningBot):
    body = command_body()
    headers = bot.requests.signed_headers(body)
    headers["X-Slack-Signature"] = sign(
        "someone-else-secret", headers["X-Slack-Request-Timestamp"], body
    )
    assert bot.requests.raw(body, headers).status == 401


def test_body_changed_after_signing_is_401(bot: RunningBot):
    headers = bot.requests.signed_headers(command_body("help"))
    assert bot.requests.raw(command_body("help me"), headers).status == 401


def test_stale_signature_is_401(bot: RunningBot):
    ten_minutes_ago = int(time.time()) - 600
    assert (
        bot.requests.slash_command("help", user_id="U0A", timestamp=ten_minutes_ago).status == 401
    )


def test_non_numeric_timestamp_is_401_not_500(bot: RunningBot):
    body = command_body()
    headers = bot.requests.signed_headers(body)
    headers["X-Slack-Request-Timestamp"] = "yesterday"
    assert bot.requests.raw(body, headers).status == 401


def test_missing_signature_headers_are_401(bot: RunningBot):
    assert bot.requests.raw(command_body(), {"Content-Type": FORM}).status == 401


def test_signed_garbage_is_400_not_500(bot: RunningBot):
    assert bot.requests.post(b"{not json", "application/json").status == 400
    assert bot.requests.post(b"[1, 2]", "application/json").status == 400
    assert bot.requests.post(b"payload=%7Bnope", FORM).status == 400
    assert bot.requests.post(b"\xff\xfe", FORM).status == 400


def test_oversized_body_is_413_before_anything_else(bot: RunningBot):
    body = b"x" * (MAX_BODY_BYTES + 1)
    response = bot.requests.post(body, FORM)
    assert response.status == 413


def test_body_at_the_limit_is_accepted(bot: RunningBot):
    padding = "p" * (MAX_BODY_BYTES - len(command_body()) - 10)
    body = command_body() + b"&pad=" + padding.encode()
    assert len(body) <= MAX_BODY_BYTES
    assert bot.requests.post(body, FORM).status == 200


def test_other_paths_are_404(bot: RunningBot):
    # /healthz, /readyz and /metrics are answered in front of the guard: test_operations.py
    assert bot.requests.raw(b"{}", {}, path="/elsewhere").status == 404


def test_url_verification_answers_the_challenge(bot: RunningBot):
    response = bot.requests.url_verification("abc123")
    assert response.status == 200
    assert json.loads(response.body)["challenge"] == "abc123"
