"""Acknowledge first: listeners busy after their ack never keep another request from its ack."""

import time
from concurrent.futures import ThreadPoolExecutor

from infra.settings import WebServerSettings
from tests.conftest import RunningBot

STALL_SECONDS = 4.0
WORK_SLOTS = WebServerSettings.work_slots
# More than the server's threads too: with one pool of that many, none would be left for an ack.
HOME_OPENS = max(WORK_SLOTS, WebServerSettings.threads) + 2


def open_homes_while_slack_stalls(bot: RunningBot) -> None:
    """More Home tabs opened than there are work slots, each render stuck in views.publish."""
    bot.slack.inject("views.publish", delay=STALL_SECONDS, times=HOME_OPENS)
    with ThreadPoolExecutor(max_workers=HOME_OPENS) as pool:
        acks = pool.map(
            lambda n: bot.requests.event(
                {"type": "app_home_opened", "user": f"U0HOME{n}", "channel": "D0X", "tab": "home"}
            ),
            range(HOME_OPENS),
        )
        assert [ack.status for ack in acks] == [200] * HOME_OPENS
    bot.slack.wait_for("views.publish", count=WORK_SLOTS, timeout=STALL_SECONDS)


def test_a_command_is_acknowledged_while_every_work_slot_waits_on_slack(bot: RunningBot):
    open_homes_while_slack_stalls(bot)
    started = time.monotonic()
    answer = bot.requests.slash_command("help", user_id="U0ASKS")
    # With the listeners' threads all held by the stalled renders, this ack would have waited
    # for one of them to finish (or for Bolt's 3-second timeout).
    assert time.monotonic() - started < STALL_SECONDS / 2
    assert answer.status == 200
    assert "/tourism" in answer.text


def test_work_after_the_ack_waits_for_a_free_slot(bot: RunningBot):
    open_homes_while_slack_stalls(bot)
    time.sleep(0.5)  # time enough for the renders beyond the slots, were they let through
    assert len(bot.slack.calls("views.publish")) == WORK_SLOTS
    bot.slack.wait_for("views.publish", count=HOME_OPENS, timeout=3 * STALL_SECONDS)
