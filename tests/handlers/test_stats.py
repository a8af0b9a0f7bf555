"""`/tourism stats`: figures and charts for organisers, one's own visits for everyone else."""

from datetime import date, timedelta

import pytest

import tests.conftest
from bot.home.views import ROUND_FROM_HOME, STATS_FROM_HOME
from infra.settings import load_settings
from tests.conftest import ORGANISER, RunningBot
from tests.support.seed import seed_opening, seed_person, seed_team, seed_tour
from tests.support.stats import STREAMING_LEAD, seed_programme

END = date(2026, 12, 31)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
VISITS_TABLE = """*Visits*
```                     Q4 2026  2026
started                    3     4
completed                  2     3
cancelled                  1     1
distinct visitors          3     4
distinct host teams        2     2```"""
HOST_TABLE = """*Host teams (visitors hosted, planned included)*
```team       limit a quarter  Q4 2026  2026  rating  busiest buddy
Streaming                2        2     3     4.0       3 visits
Payments                 –        2     2     4.0        1 visit```"""
LENGTH_TABLE = """*Rating and length by visit length*
```length    retros  rating  too short  right  too long
2 weeks        1     3.0          1      0         0
3 weeks        1     4.0          0      1         0
4+ weeks       1     5.0          0      1         0```"""
CHECKINS_TABLE = """*Check-ins by month*
```month     answers  so-so or need help  meetings half+  pulled home
Feb 2026        1                   0               0            0
Oct 2026        2                   1               1            1
Nov 2026        1                   1               1            1```"""


def seeded(bot: RunningBot) -> RunningBot:
    with bot.deps.uow() as uow:
        seed_programme(uow)
    return bot


def texts(answer: dict) -> list[str]:
    return [block["text"]["text"] for block in answer["blocks"] if "text" in block]


def test_organisers_get_every_figure(bot: RunningBot):
    answer = seeded(bot).requests.slash_command("stats", user_id=ORGANISER).json()
    assert texts(answer) == [
        "Team tourism in numbers",
        VISITS_TABLE,
        HOST_TABLE,
        LENGTH_TABLE,
        CHECKINS_TABLE,
        "Shared back at home: 2 of 3 completed visits (67%)\n"
        "What stuck after 90 days: 1 of 2 items brought home (50%)",
        "*Openings nobody applied to (1):* Idle",
        "*Decisions waiting over a week (1):*\n"
        "• <@U0EVE> for *Kafka*: waiting for the host team lead since Tue 10 Nov 2026",
    ]
    assert answer["blocks"][1]["elements"][0]["text"] == (
        "Q4 2026 and 2026, as of Mon 23 Nov 2026. Charts follow in a direct message."
    )


def test_the_charts_reach_the_organisers_dm_as_png_images(bot: RunningBot):
    seeded(bot).requests.slash_command("stats", user_id=ORGANISER)
    bot.slack.wait_for("files.completeUploadExternal", timeout=30)
    shared = bot.slack.shared_files()
    assert [file["name"] for file in shared] == [
        "visits-per-month.png",
        "rating-by-length.png",
        "host-load.png",
    ]
    for file in shared:  # a real PNG: its signature, then the header chunk with its size
        png = file["content"]
        assert png[:8] == PNG_SIGNATURE and png[12:16] == b"IHDR"
        assert (int.from_bytes(png[16:20]), int.from_bytes(png[20:24])) == (800, 450)
    assert {file["channels"][0] for file in shared} == {f"D{ORGANISER}"}
    assert shared[0]["comment"].startswith("Team tourism charts, 2026")
    assert "Feb 2026 1, Mar 2026 0" in shared[0]["alt_txt"]
    assert "Streaming 3, Payments 2" in shared[2]["alt_txt"]


@pytest.fixture
def announcement_channel(monkeypatch: pytest.MonkeyPatch) -> None:
    """TOURISM_CHANNEL for the bot of the test asking for this before `bot`."""
    monkeypatch.setattr(
        tests.conftest,
        "make_settings",
        lambda env: load_settings({**env, "TOURISM_CHANNEL": "C0TOURISM"}),
    )


def test_organisers_may_send_the_charts_to_the_announcement_channel(
    announcement_channel, bot: RunningBot
):
    seeded(bot).slack.add_channel("C0TOURISM", "team-tourism")
    answer = bot.requests.slash_command("stats Channel", user_id=ORGANISER).json()
    assert texts(answer)[0] == "Team tourism in numbers"
    bot.slack.wait_for("files.completeUploadExternal", timeout=30)
    assert {file["channels"][0] for file in bot.slack.shared_files()} == {"C0TOURISM"}
    assert not bot.slack.calls("conversations.open")


def test_sharing_needs_an_organiser_and_a_channel_and_other_words_get_the_usage(bot: RunningBot):
    seeded(bot)
    answers = {
        (user, text): bot.requests.slash_command(text, user_id=user).text
        for user, text in (
            (ORGANISER, "stats channel"),
            ("U0ANA", "stats channel"),
            (ORGANISER, "stats everything"),
        )
    }
    assert "No announcement channel is set (TOURISM_CHANNEL)" in answers[ORGANISER, "stats channel"]
    assert f"for organisers (<@{ORGANISER}>)" in answers["U0ANA", "stats channel"]
    assert "Usage: `/tourism stats`" in answers[ORGANISER, "stats everything"]
    assert not bot.slack.calls("files.getUploadURLExternal")


def test_a_visitor_sees_their_own_visits_and_no_programme_figures(bot: RunningBot):
    answer = seeded(bot).requests.slash_command("stats", user_id="U0ANA").json()
    assert texts(answer) == [
        "Your team tourism",
        "*Your visits*\n"
        "• *Payments*: Mon 7 Dec 2026 – Fri 18 Dec 2026 (2 weeks), scheduled\n"
        "• *Streaming*: Mon 2 Feb 2026 – Fri 27 Feb 2026 (4 weeks), completed, rated 5/5, "
        "shared back",
    ]
    assert not bot.slack.calls("files.getUploadURLExternal")


def test_a_lead_sees_the_visitors_their_teams_host_this_year(bot: RunningBot):
    answer = seeded(bot).requests.slash_command("stats", user_id=STREAMING_LEAD).json()
    assert texts(answer)[1:] == [
        "You have not visited another team yet: `/tourism openings` shows where you could go.",
        "*Visitors your teams host this year*\n"
        "• <@U0DAN> at *Streaming*: Mon 16 Nov 2026 – Fri 11 Dec 2026 (4 weeks), active\n"
        "• <@U0BEN> at *Streaming*: Mon 5 Oct 2026 – Fri 16 Oct 2026 (2 weeks), completed, "
        "rated 3/5\n"
        "• <@U0ANA> at *Streaming*: Mon 2 Feb 2026 – Fri 27 Feb 2026 (4 weeks), completed, "
        "rated 5/5, shared back",
    ]


def test_many_host_teams_show_the_busiest_and_how_many_more(bot: RunningBot):
    start = date(2026, 10, 5)
    with bot.deps.uow() as uow:
        for number in range(25):
            team = seed_team(uow, f"Team <{number:02d}> & co")
            opening = seed_opening(
                uow, team, "Deep dive", earliest_start=start, latest_end=date(2026, 12, 31)
            )
            for visitor in range(number % 3 + 1):
                person = seed_person(uow, f"U0V{number:02d}{visitor}")
                seed_tour(uow, person, opening, starts_on=start, ends_on=start + timedelta(days=11))
            if number < 12:
                seed_opening(uow, team, f"Idle {number:02d}", earliest_start=start, latest_end=END)
        uow.commit()
    answer = bot.requests.slash_command("stats", user_id=ORGANISER).json()
    [table] = [text for text in texts(answer) if text.startswith("*Host teams")]
    rows = table.split("\n")[2:]
    assert len(rows) == 11 and rows[-1] == "… and 15 more```"
    assert rows[0].startswith("Team &lt;02&gt; &amp; co ")  # three visitors, escaped
    idle = ", ".join(f"Idle {number:02d}" for number in range(10))
    assert f"*Openings nobody applied to (12):* {idle}, … and 2 more" in texts(answer)
    bot.slack.wait_for("files.completeUploadExternal", timeout=30)


def test_home_buttons_send_the_organiser_a_round_preview_and_the_stats(bot: RunningBot):
    seeded(bot)
    bot.requests.block_action(user_id="U0SOMEONE", action_id=STATS_FROM_HOME)
    bot.requests.block_action(user_id=ORGANISER, action_id=ROUND_FROM_HOME)
    bot.requests.block_action(user_id=ORGANISER, action_id=STATS_FROM_HOME)
    messages = bot.slack.wait_for("chat.postMessage", count=2)
    assert [m.params["channel"] for m in messages] == [ORGANISER, ORGANISER]
    texts_sent = sorted(m.params["text"] for m in messages)
    assert texts_sent[0].startswith("Matching round preview")
    assert texts_sent[1] == "Team tourism in numbers"
    bot.slack.wait_for("files.completeUploadExternal", timeout=30)
    assert len(bot.slack.shared_files()) == 3
