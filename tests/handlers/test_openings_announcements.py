"""Opening announcements in TOURISM_CHANNEL: posting, joining, asking to be invited, telling the
organisers, and keeping the message up to date when the opening is edited or closed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

import tests.conftest
from infra.settings import load_settings
from tests.conftest import ORGANISER, RunningBot
from tests.support.openings import (
    ENGINEER,
    ESCAPED,
    HOSTILE,
    LEAD,
    block_text,
    buttons,
    dms,
    openings,
    seed_teams,
    submit,
)
from tests.support.replies import command_reply

CHANNEL = "C0TOURISM"


@pytest.fixture(autouse=True)
def announcement_channel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every bot in this module starts with TOURISM_CHANNEL set (the `bot` fixture reads its
    settings through tests.conftest.make_settings)."""
    monkeypatch.setattr(
        tests.conftest,
        "make_settings",
        lambda env: load_settings({**env, "TOURISM_CHANNEL": CHANNEL}),
    )


@pytest.fixture
def teams(announcement_channel: None, bot: RunningBot) -> dict[str, int]:
    return seed_teams(bot)


def channel_posts(bot: RunningBot) -> list[dict[str, Any]]:
    return bot.slack.messages(CHANNEL)


def posted(bot: RunningBot, **changes: Any) -> str:
    """Submits a good form for Search, waits for the submission's last act (refreshing the
    lead's Home) and returns what the form then tells the poster, updated once announced."""
    homes, updates = len(bot.slack.calls("views.publish")), len(bot.slack.calls("views.update"))
    answer = submit(bot, **changes).json()
    assert answer["response_action"] == "update", answer
    bot.slack.wait_for("views.publish", count=homes + 1)
    shown = [answer["view"], *(c.params["view"] for c in bot.slack.calls("views.update")[updates:])]
    return block_text(shown[-1]["blocks"])


def wait_for_dm(bot: RunningBot, user_id: str, count: int) -> str:
    """The `count`-th direct message to `user_id`, once it has arrived."""
    seen = len(bot.slack.calls("chat.postMessage"))
    while len(dms(bot, user_id)) < count:
        seen += 1
        bot.slack.wait_for("chat.postMessage", count=seen)
    return dms(bot, user_id)[count - 1]


def test_a_ticked_opening_is_announced_with_an_apply_button(bot: RunningBot, teams: dict[str, int]):
    bot.slack.add_channel(CHANNEL, "tourism")
    told = posted(bot, team=teams["Search"])
    [post] = channel_posts(bot)
    text = block_text(post["blocks"])
    assert "*Tune the search ranking* · Search" in text
    assert "A small deliverable" in text and "python, kafka" in text
    [apply] = buttons(post["blocks"])
    assert apply["text"]["text"] == "Apply"
    [saved] = openings(bot)
    assert (saved.announcement_channel, saved.announcement_ts) == (CHANNEL, post["ts"])
    assert f"announced in <#{CHANNEL}>" in told
    assert dms(bot, LEAD) == []  # the form says it, not a direct message


def test_a_form_closed_before_the_announcement_is_told_by_direct_message(
    bot: RunningBot, teams: dict[str, int]
):
    bot.slack.add_channel(CHANNEL, "tourism")
    bot.slack.inject("views.update", error="not_found")
    posted(bot, team=teams["Search"])
    [told] = dms(bot, LEAD)
    assert "is posted" in told and f"announced in <#{CHANNEL}>" in told


def test_an_unticked_opening_is_not_announced(bot: RunningBot, teams: dict[str, int]):
    bot.slack.add_channel(CHANNEL, "tourism")
    told = posted(bot, team=teams["Search"], announce=False)
    assert channel_posts(bot) == []
    assert "is posted" in told and "announced" not in told


def test_the_announcement_escapes_what_the_lead_typed(bot: RunningBot, teams: dict[str, int]):
    bot.slack.add_channel(CHANNEL, "tourism")
    posted(
        bot,
        team=teams["Search"],
        title=HOSTILE,
        description="Click <https://evil.example|here> & <!here>",
    )
    [post] = channel_posts(bot)
    text = block_text(post["blocks"]) + post["text"]
    assert f"*{ESCAPED}*" in text
    assert "&lt;https://evil.example|here&gt; &amp; &lt;!here&gt;" in text
    for raw in ("<!channel>", "<@U123>", "<https://evil", "<!here>"):
        assert raw not in text


def test_not_in_a_public_channel_the_bot_joins_and_posts_again(
    bot: RunningBot, teams: dict[str, int]
):
    bot.slack.add_channel(CHANNEL, "tourism", is_member=False)
    posted(bot, team=teams["Search"])
    assert [call.params["channel"] for call in bot.slack.calls("conversations.join")] == [CHANNEL]
    [post] = channel_posts(bot)
    assert openings(bot)[0].announcement_ts == post["ts"]


def test_not_in_a_private_channel_the_poster_learns_how_to_invite_the_bot(
    bot: RunningBot, teams: dict[str, int]
):
    bot.slack.add_channel(CHANNEL, "tourism", is_private=True, is_member=False)
    bot.slack.inject("chat.postMessage", error="not_in_channel")
    told = posted(bot, team=teams["Search"])
    assert bot.slack.calls("conversations.join") == []
    assert "is posted" in told and "It is not announced" in told
    assert f"<#{CHANNEL}> is private" in told and "`/invite @Team Tourism`" in told
    assert dms(bot, ORGANISER) == []
    assert openings(bot)[0].announcement_ts is None


@pytest.mark.parametrize(
    ("channel_kind", "poster_words", "organiser_words"),
    [
        ({"is_private": True, "is_member": False}, "I cannot find", "/invite @Team Tourism"),
        ({"is_archived": True}, "is archived", "is archived"),
        (None, "I cannot find", "set TOURISM_CHANNEL"),
    ],
    ids=["private_unseen", "archived", "deleted"],
)
def test_a_channel_that_cannot_be_used_is_reported_to_the_poster_and_the_organisers(
    bot: RunningBot,
    teams: dict[str, int],
    channel_kind: dict[str, bool] | None,
    poster_words: str,
    organiser_words: str,
):
    if channel_kind is not None:
        bot.slack.add_channel(CHANNEL, "tourism", **channel_kind)
    assert poster_words in posted(bot, team=teams["Search"])
    alert = wait_for_dm(bot, ORGANISER, 1)
    assert organiser_words in alert and "Tune the search ranking" in alert
    assert openings(bot)[0].status == "open"  # saved all the same


def test_editing_an_announced_opening_updates_its_message(bot: RunningBot, teams: dict[str, int]):
    bot.slack.add_channel(CHANNEL, "tourism")
    posted(bot, team=teams["Search"])
    [saved] = openings(bot)
    posted(
        bot,
        private_metadata=str(saved.id),
        team=teams["Search"],
        title=f"Ranking {HOSTILE}",
        seats="5",
    )
    [update] = bot.slack.calls("chat.update")
    assert (update.params["channel"], update.params["ts"]) == (CHANNEL, saved.announcement_ts)
    [post] = channel_posts(bot)  # the same message, changed
    text = block_text(post["blocks"])
    assert f"*Ranking {ESCAPED}* · Search" in text and "of 5" in text


def test_closing_an_announced_opening_marks_its_message_closed(
    bot: RunningBot, teams: dict[str, int]
):
    bot.slack.add_channel(CHANNEL, "tourism")
    posted(bot, team=teams["Search"])
    listing = command_reply(bot, "openings mine", LEAD)
    close = next(b for b in buttons(listing["blocks"]) if b["text"]["text"] == "Close")
    bot.requests.block_action(user_id=LEAD, action_id=close["action_id"], value=close["value"])
    bot.slack.wait_for("chat.update")
    [post] = channel_posts(bot)
    assert "Closed" in block_text(post["blocks"])
    assert buttons(post["blocks"]) == []
    assert openings(bot)[0].status == "closed"


def test_an_announced_opening_past_its_apply_by_date_shows_closed(
    bot: RunningBot, teams: dict[str, int]
):
    bot.slack.add_channel(CHANNEL, "tourism")
    posted(bot, team=teams["Search"], apply_by=date(2026, 11, 30))
    bot.clock.move_to(bot.clock.now().replace(month=12, day=1))  # type: ignore[attr-defined]
    answer = command_reply(bot, "openings", ENGINEER)
    assert "No openings are open right now" in answer["text"]
    bot.slack.wait_for("chat.update")
    [post] = channel_posts(bot)
    assert "Closed" in block_text(post["blocks"]) and buttons(post["blocks"]) == []


def test_an_apply_click_in_the_channel_answers_only_the_clicker(
    bot: RunningBot, teams: dict[str, int]
):
    bot.slack.add_channel(CHANNEL, "tourism")
    posted(bot, team=teams["Search"])
    [post] = channel_posts(bot)
    [apply] = buttons(post["blocks"])
    bot.requests.block_action(
        user_id=ENGINEER,
        action_id=apply["action_id"],
        value=apply["value"],
        message=post,
        channel_id=CHANNEL,
    )
    [answer] = bot.slack.wait_for("response_url")
    assert answer.params["response_type"] == "ephemeral"
    assert answer.params["replace_original"] is False
    assert "/tourism profile" in answer.params["text"]  # the clicker has no profile yet
