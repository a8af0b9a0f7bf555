import logging

import pytest

from infra.logs import REDACTED, RedactingFilter, configure_logging


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
