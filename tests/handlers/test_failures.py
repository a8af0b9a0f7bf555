"""A surface Slack refuses is never silent, through signed HTTP: Slack's error is logged (never
the token), the person is told something went wrong and the organisers get a DM saying what."""

import logging
import time

import pytest

from bot.home.views import PROFILE_EDIT
from handlers.failures import SORRY
from tests.conftest import BOT_TOKEN, ORGANISER, RunningBot

SOMEONE = "U0SOMEONE"
HOME = {"id": "V0HOME", "type": "home"}
REFUSED = {
    "ok": False,
    "error": "invalid_blocks",
    "response_metadata": {
        "messages": ["[ERROR] action_ids must be unique within a block [json-pointer:/blocks/3]"]
    },
}


def organiser_dms(bot: RunningBot) -> list[str]:
    calls = bot.slack.wait_for("chat.postMessage", count=1)
    return [c.params["text"] for c in calls if c.params["channel"] == ORGANISER]


def wait_for_log(caplog: pytest.LogCaptureFixture, words: str) -> str:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        lines = [r.getMessage() for r in caplog.records if words in r.getMessage()]
        if lines:
            return lines[0]
        time.sleep(0.02)
    raise AssertionError(f"nothing logged with {words!r}: {caplog.messages}")


def test_a_refused_respond_is_logged_apologised_for_and_reported(bot: RunningBot, caplog):
    caplog.set_level(logging.ERROR, logger="handlers.failures")
    bot.slack.inject("response_url", body=REFUSED)

    bot.requests.slash_command("round", user_id=ORGANISER)

    logged = wait_for_log(caplog, "Slack refused")
    assert "response_url answered invalid_blocks" in logged
    assert "action_ids must be unique within a block" in logged
    assert BOT_TOKEN not in "\n".join(caplog.messages)
    apology = bot.slack.wait_for("response_url", count=2)[-1]
    assert apology.params["text"] == SORRY
    assert apology.params["response_type"] == "ephemeral"
    [report] = organiser_dms(bot)
    assert "`/tourism round`" in report
    assert "response_url answered invalid_blocks" in report


def test_a_refused_view_from_the_home_tab_is_apologised_for_by_dm(bot: RunningBot, caplog):
    caplog.set_level(logging.ERROR, logger="handlers.failures")
    bot.slack.inject(
        "views.open",
        body={
            "ok": False,
            "error": "invalid_arguments",
            "response_metadata": {"messages": ["[ERROR] must be no longer than 24 characters"]},
        },
    )

    bot.requests.block_action(user_id=SOMEONE, action_id=PROFILE_EDIT, view=HOME)

    calls = bot.slack.wait_for("chat.postMessage", count=2)
    by_channel = {c.params["channel"]: c.params["text"] for c in calls}
    assert by_channel[SOMEONE] == SORRY
    assert f"for <@{SOMEONE}>" in by_channel[ORGANISER]
    assert f"`{PROFILE_EDIT}`" in by_channel[ORGANISER]
    assert "views.open answered invalid_arguments" in by_channel[ORGANISER]
    assert "views.open answered invalid_arguments" in wait_for_log(caplog, "Slack refused")
