"""`/tourism pause [until DATE]` and `/tourism resume` through signed HTTP: one rule with the
profile form's checkbox and date, honoured by every suggestion path (match, candidates, round,
invitations), ending by itself on the business clock."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from bot.matching import views
from storage.models import Person
from tests.conftest import ORGANISER, RunningBot
from tests.handlers.test_checkins import checkin, tour_id  # noqa: F401 - tour_id is a fixture
from tests.handlers.test_profile import initial, open_form, state_values
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team

VISITOR, OTHER, HOST_LEAD = "U0VISITOR", "U0OTHER", "U0HOSTLEAD"


@pytest.fixture
def world(bot: RunningBot) -> dict[str, int]:
    """Two people who fit the same opening: whoever pauses drops out, the other stays."""
    with bot.deps.uow() as uow:
        host = seed_team(uow, "Streaming", leads=(HOST_LEAD,))
        home = seed_team(uow, "Commissions")
        for user_id in (VISITOR, OTHER):
            seed_person(
                uow,
                user_id,
                home_team_id=home.id,
                learn_topics=["kafka"],
                available_from=date(2027, 1, 1),
                available_until=date(2027, 6, 30),
            )
        kafka = seed_opening(
            uow,
            host,
            "Kafka internals",
            earliest_start=date(2027, 1, 4),
            latest_end=date(2027, 3, 26),
            topics=["kafka"],
            work_mode="remote",
            seats=2,
        )
        uow.commit()
        return {"kafka": kafka.id}


def answer(bot: RunningBot, text: str, user_id: str = VISITOR) -> dict[str, Any]:
    """The command's answer: an ack's text, or what the handler sent to its response URL."""
    before = len(bot.slack.calls("response_url"))
    response = bot.requests.slash_command(text, user_id=user_id)
    assert response.status == 200
    if response.body:
        return response.json() if response.body.startswith(b"{") else {"text": response.text}
    return bot.slack.wait_for("response_url", count=before + 1)[-1].params


def pause_of(bot: RunningBot, user_id: str = VISITOR) -> tuple[bool, date | None]:
    with bot.deps.uow() as uow:
        person = uow.people.get_by_user(WORKSPACE, user_id)
        assert person is not None
        return person.looking, person.snoozed_until


def candidates_shown(bot: RunningBot) -> str:
    return str(answer(bot, "candidates", HOST_LEAD)["blocks"])


# --- the commands ------------------------------------------------------------------------------


def test_pause_and_resume_answer_only_the_person_and_set_the_forms_checkbox(
    bot: RunningBot, world: dict[str, int]
):
    paused = answer(bot, "pause")
    assert paused.get("response_type", "ephemeral") == "ephemeral"
    assert "Paused until you run `/tourism resume`" in paused["text"]
    assert pause_of(bot) == (False, None)
    assert not initial(open_form(bot, VISITOR), "looking")  # the form's box: unticked

    assert "Welcome back" in answer(bot, "resume")["text"]
    assert pause_of(bot) == (True, None)
    assert initial(open_form(bot, VISITOR), "looking") == ["yes"]
    assert "You were not paused" in answer(bot, "resume")["text"]
    assert bot.slack.calls("chat.postMessage") == []  # nothing public, no DM


@pytest.mark.parametrize(
    ("typed", "until"),
    [
        ("until 2027-01-15", date(2027, 1, 15)),
        ("until 15 Jan", date(2027, 1, 15)),
        ("until Jan 15th", date(2027, 1, 15)),
        ("15 january 2027", date(2027, 1, 15)),
        ("until 1 Dec", date(2026, 12, 1)),  # no year: the next 1 December
    ],
)
def test_pause_until_reads_dates_leniently(
    bot: RunningBot, world: dict[str, int], typed: str, until: date
):
    paused = answer(bot, f"pause {typed}")
    assert f"Paused until {until:%a} {until.day} {until:%b %Y}" in paused["text"]
    assert pause_of(bot) == (True, until)
    assert initial(open_form(bot, VISITOR), "snoozed_until") == until.isoformat()


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("pause until", "Until when?"),
        ("pause until someday", "I could not read “someday” as a date."),
        ("pause until 31 Feb", "I could not read “31 Feb” as a date."),
        ("pause until 2026-11-23", "“2026-11-23” is not after today."),
        ("pause until <!channel>", "I could not read “&lt;!channel&gt;” as a date."),
        ("resume tomorrow", "`/tourism resume` takes nothing after it."),
    ],
)
def test_unreadable_pauses_get_the_usage_and_change_nothing(
    bot: RunningBot, world: dict[str, int], typed: str, problem: str
):
    text = answer(bot, typed)["text"]
    assert text.startswith(problem)
    assert "`/tourism pause until DATE` with a date such as 2027-01-15 or 15 Jan" in text
    assert pause_of(bot) == (True, None)


def test_pause_without_a_profile_points_to_it(bot: RunningBot, world: dict[str, int]):
    assert "`/tourism profile`" in answer(bot, "pause", "U0STRANGER")["text"]
    with bot.deps.uow() as uow:
        assert uow.people.get_by_user(WORKSPACE, "U0STRANGER") is None


def test_the_forms_checkbox_pauses_as_the_command_does(bot: RunningBot, world: dict[str, int]):
    form = {
        "home_team": None,
        "learn_topics": ["kafka"],
        "learn_topics_other": "",
        "teach_topics": [],
        "teach_topics_other": "",
        "learning_goal": "Streams",
        "available_from": date(2027, 1, 1),
        "available_until": date(2027, 6, 30),
        "preferred_weeks": "4",
        "work_mode": "either",
        "city": "",
        "willing_to_travel": False,
        "looking": False,
        "snoozed_until": None,
        "note": "",
    }
    bot.requests.view_submission(user_id=VISITOR, callback_id="profile", values=state_values(form))
    assert pause_of(bot) == (False, None)
    assert f"<@{VISITOR}>" not in candidates_shown(bot)
    assert "You were not paused" not in answer(bot, "resume")["text"]
    assert f"<@{VISITOR}>" in candidates_shown(bot)


# --- every suggestion path -----------------------------------------------------------------


def test_a_paused_person_gets_no_matches_and_is_told_why(bot: RunningBot, world: dict[str, int]):
    assert "Kafka internals" in str(answer(bot, "match")["blocks"])
    answer(bot, "pause until 15 Jan")
    shown = str(answer(bot, "match")["blocks"])
    assert "Kafka internals" not in shown
    assert "You have paused visits until" in shown


def test_a_paused_person_is_not_a_candidate(bot: RunningBot, world: dict[str, int]):
    assert f"<@{VISITOR}>" in candidates_shown(bot)
    answer(bot, "pause")
    shown = candidates_shown(bot)
    assert f"<@{VISITOR}>" not in shown and f"<@{OTHER}>" in shown


def test_a_paused_person_is_left_out_of_a_round_and_gets_no_proposal(
    bot: RunningBot, world: dict[str, int]
):
    answer(bot, "pause")
    bot.requests.slash_command("round", user_id=ORGANISER)
    preview = bot.slack.wait_for("response_url")[-1].params
    shown = str(preview["blocks"])
    assert f"<@{OTHER}> →" in shown
    assert f"<@{VISITOR}>" not in shown  # neither placed nor "left out": not in the round at all
    send = next(
        e
        for b in preview["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == views.ROUND_SEND
    )
    bot.requests.block_action(user_id=ORGANISER, action_id=views.ROUND_SEND, value=send["value"])
    bot.slack.wait_for("response_url", count=2)
    sent_to = {c.params["channel"] for c in bot.slack.calls("chat.postMessage")}
    assert sent_to == {OTHER}


def test_an_invite_button_from_before_the_pause_sends_nothing(
    bot: RunningBot, world: dict[str, int]
):
    value = json.dumps({"opening": world["kafka"], "visitor": VISITOR})
    answer(bot, "pause until 15 Jan")
    bot.requests.block_action(
        user_id=HOST_LEAD, action_id=views.CANDIDATE_INVITE, value=value, channel_id="C0X"
    )
    [refusal] = bot.slack.wait_for("response_url")
    assert f"<@{VISITOR}> has paused visits" in refusal.params["text"]
    assert bot.slack.calls("chat.postMessage") == []
    answer(bot, "resume")
    bot.requests.block_action(
        user_id=HOST_LEAD, action_id=views.CANDIDATE_INVITE, value=value, channel_id="C0X"
    )
    [invitation] = bot.slack.wait_for("chat.postMessage")
    assert invitation.params["channel"] == VISITOR


def test_a_dated_pause_ends_by_itself_on_the_business_clock(bot: RunningBot, world: dict[str, int]):
    answer(bot, "pause until 2026-12-01")
    assert f"<@{VISITOR}>" not in candidates_shown(bot)
    bot.clock.move_to(bot.clock.now() + timedelta(days=7))  # type: ignore[attr-defined]
    assert f"<@{VISITOR}>" not in candidates_shown(bot)  # Mon 30 Nov: still paused
    bot.clock.move_to(bot.clock.now() + timedelta(days=1))  # type: ignore[attr-defined]
    assert f"<@{VISITOR}>" in candidates_shown(bot)  # Tue 1 Dec: back, with nothing to do
    with bot.deps.uow() as uow:
        assert uow.session.query(Person).filter_by(user_id=VISITOR).one().looking


def test_a_paused_visitors_visit_goes_on_with_its_check_ins(bot: RunningBot, tour_id: int):  # noqa: F811
    assert "Paused until you run `/tourism resume`" in answer(bot, "pause")["text"]
    assert checkin(bot, 1)["text"] == "How did week 1 of your visit go?"
