"""The programme in numbers, for organisers only."""

from datetime import date, timedelta

from bot.home.views import ROUND_FROM_HOME, STATS_FROM_HOME
from storage.models import Retro
from tests.conftest import ORGANISER, RunningBot
from tests.support.seed import seed_opening, seed_person, seed_team, seed_tour

START = date(2027, 1, 4)


def seed_programme(bot: RunningBot) -> None:
    with bot.deps.uow() as uow:
        host = seed_team(uow, "Streaming", leads=("U0LEAD",))
        visitor = seed_person(uow, "U0LOOKING", looking=True, learn_topics=["kafka"])
        opening = seed_opening(
            uow,
            host,
            "Kafka",
            earliest_start=START,
            latest_end=START + timedelta(weeks=8),
            topics=["kafka"],
            work_mode="remote",
        )
        tour = seed_tour(
            uow,
            visitor,
            opening,
            starts_on=START,
            ends_on=START + timedelta(days=27),
            status="completed",
        )
        uow.session.add(
            Retro(workspace_id="T0TEST", tour_id=tour.id, rating=4, length_verdict="too_short")
        )
        uow.commit()


def test_stats_for_organisers(bot: RunningBot):
    seed_programme(bot)
    answer = bot.requests.slash_command("stats", user_id=ORGANISER).json()
    text = str(answer["blocks"])
    assert "Team tourism in numbers" in text
    assert "*Visits:* 1 completed" in text
    assert "*average rating:* 4.0 / 5" in text
    assert "1 too short, 0 right, 0 too long" in text


def test_stats_are_not_for_everyone(bot: RunningBot):
    answer = bot.requests.slash_command("stats", user_id="U0SOMEONE")
    assert f"<@{ORGANISER}>" in answer.text and "organisers" in answer.text


def test_home_buttons_send_the_organiser_a_round_preview_and_the_stats(bot: RunningBot):
    seed_programme(bot)
    bot.requests.block_action(user_id="U0SOMEONE", action_id=STATS_FROM_HOME)
    bot.requests.block_action(user_id=ORGANISER, action_id=ROUND_FROM_HOME)
    bot.requests.block_action(user_id=ORGANISER, action_id=STATS_FROM_HOME)
    messages = bot.slack.wait_for("chat.postMessage", count=2)
    assert [m.params["channel"] for m in messages] == [ORGANISER, ORGANISER]
    texts = sorted(m.params["text"] for m in messages)
    assert texts[0].startswith("Matching round preview")
    assert texts[1] == "Team tourism in numbers"
