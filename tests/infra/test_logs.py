import json
import logging

import pytest

from app import create_app
from infra.fake_slack.requests import SlackRequests
from infra.http import HttpServer, slack_wsgi_app
from infra.logs import REDACTED, RedactingFilter, configure_logging, request_scope
from infra.settings import SettingsError, load_settings
from tests.conftest import BOT_TOKEN, SIGNING_SECRET, make_settings, settings_env


@pytest.fixture(autouse=True)
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name in ("slack_bolt", "slack_sdk", "apscheduler"):
        logging.getLogger(name).setLevel(logging.NOTSET)


def test_token_shaped_strings_and_known_secrets_are_redacted():
    redactor = RedactingFilter(secrets=["8f742231b10e8888abcd99yyyzzz85a5"])
    line = (
        "token=xoxb-123-456-abcDEF app=xapp-1-A1-2-ff secret=8f742231b10e8888abcd99yyyzzz85a5 "
        + ("sig=v0=" + "a" * 64)
    )
    redacted = redactor.redact(line)
    assert "xoxb-" not in redacted and "xapp-" not in redacted
    assert "8f742231b10e" not in redacted and "v0=aaaa" not in redacted
    assert redacted.count(REDACTED) == 4


def test_records_and_their_exceptions_are_redacted(capsys: pytest.CaptureFixture[str]):
    configure_logging("INFO", secrets=["s3cr3t-signing"])
    log = logging.getLogger("tourism.test")
    log.info("calling with %s", "xoxb-1-2-leaky")
    try:
        raise RuntimeError("failed body: token=xoxp-9-9-user&secret=s3cr3t-signing")
    except RuntimeError:
        log.exception("request failed")
    output = capsys.readouterr().err
    assert "calling with [redacted]" in output
    assert "RuntimeError" in output
    assert "xoxb-1-2-leaky" not in output and "xoxp-9" not in output and "s3cr3t" not in output


def test_slack_libraries_stay_at_warning_even_in_debug():
    configure_logging("DEBUG")
    assert logging.getLogger("slack_bolt").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("slack_sdk").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("tourism").getEffectiveLevel() == logging.DEBUG


def json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def test_json_lines_carry_the_request_id_and_never_a_token(
    database_url, fake_slack, capsys: pytest.CaptureFixture[str]
):
    configure_logging("INFO", secrets=[SIGNING_SECRET, BOT_TOKEN], fmt="json")
    probe = logging.getLogger("tourism.probe")
    settings = make_settings(
        settings_env(DATABASE_URL=database_url, SLACK_API_URL=fake_slack.base_url)
    )
    tourism = create_app(settings)

    @tourism.bolt.command("/probe")
    def answer(ack, body):  # runs in Bolt's listener pool, after the guard set the id
        probe.info("probing with %s and %s", BOT_TOKEN, body["text"])
        ack("ok")

    server = HttpServer(slack_wsgi_app(tourism.bolt, SIGNING_SECRET), "127.0.0.1", 0)
    server.start_in_background()
    try:
        requests = SlackRequests(server.url, SIGNING_SECRET, fake_slack=fake_slack)
        probed = requests.slash_command("xoxp-9-9-pasted", user_id="U0A", command="/probe")
        assert probed.status == 200
        assert requests.raw(b"forged", {"Content-Type": "text/plain"}).status == 401
    finally:
        server.stop()
        tourism.close()
    with request_scope("fixed-id"):
        probe.error("a failure in %s", SIGNING_SECRET)

    output = capsys.readouterr().err
    assert BOT_TOKEN not in output and SIGNING_SECRET not in output and "xoxp-9" not in output
    lines = json_lines(output)
    probed = next(line for line in lines if line["message"].startswith("probing"))
    assert probed["message"] == "probing with [redacted] and [redacted]"
    assert probed["level"] == "INFO" and probed["logger"] == "tourism.probe"
    assert len(probed["request_id"]) == 16
    refused = next(line for line in lines if "forged Slack signature" in line["message"])
    assert refused["request_id"] not in ("-", probed["request_id"])
    assert lines[-1]["request_id"] == "fixed-id" and "[redacted]" in lines[-1]["message"]


def test_text_lines_name_the_request_too(capsys: pytest.CaptureFixture[str]):
    configure_logging("INFO")
    with request_scope("abc123"):
        logging.getLogger("tourism.test").info("inside")
    logging.getLogger("tourism.test").info("outside")
    lines = capsys.readouterr().err.splitlines()
    assert "[abc123]: inside" in lines[0] and "[-]: outside" in lines[1]


def test_log_format_is_text_or_json():
    assert load_settings(settings_env()).log_format == "text"
    assert load_settings(settings_env(LOG_FORMAT="JSON")).log_format == "json"
    with pytest.raises(SettingsError) as refused:
        load_settings(settings_env(LOG_FORMAT="logfmt"))
    assert refused.value.problems == ["LOG_FORMAT must be text or json, not 'logfmt'."]
