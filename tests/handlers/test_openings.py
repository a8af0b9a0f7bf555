"""`/tourism host`, the shortcut, `/tourism openings` end to end: signed requests in, the fake
Slack and the database checked. Announcements in a configured channel: test_openings_announcements.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from tests.conftest import ORGANISER, RunningBot
from tests.support.openings import (
    BUDDY,
    ENGINEER,
    ESCAPED,
    GOOD_FORM,
    HOSTILE,
    LEAD,
    OTHER_LEAD,
    block_text,
    buttons,
    openings,
    saved_view_text,
    seed_openings,
    seed_teams,
    submit,
)
from tests.support.replies import command_reply


@pytest.fixture
def teams(bot: RunningBot) -> dict[str, int]:
    return seed_teams(bot)


def opened_view(bot: RunningBot, before: int) -> dict[str, Any]:
    return bot.slack.wait_for("views.open", count=before + 1)[-1].params["view"]


def host_command(bot: RunningBot, user_id: str = LEAD) -> dict[str, Any]:
    before = len(bot.slack.calls("views.open"))
    response = bot.requests.slash_command("host", user_id=user_id)
    assert response.status == 200
    return opened_view(bot, before)


def shortcut(bot: RunningBot, user_id: str = LEAD) -> dict[str, Any]:
    before = len(bot.slack.calls("views.open"))
    assert bot.requests.shortcut("post_opening", user_id=user_id).status == 200
    return opened_view(bot, before)


def block(view: dict[str, Any], name: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == name)


def submit_values_of(view: dict[str, Any], team_id: int) -> dict[str, Any]:
    """The good form, for a modal whose blocks must hold every field it submits."""
    names = {b.get("block_id") for b in view["blocks"]}
    assert set(GOOD_FORM) <= names
    return GOOD_FORM | {"team": team_id}


def audit_actions(bot: RunningBot) -> list[str]:
    with bot.deps.uow() as uow:
        return uow.audit.actions(bot.slack.team_id)  # the steps, not the history they made


def list_command(bot: RunningBot, text: str, user_id: str = ENGINEER) -> dict[str, Any]:
    return command_reply(bot, text, user_id)


# --- opening the modal -------------------------------------------------------------------------


@pytest.mark.parametrize("open_modal", [host_command, shortcut], ids=["command", "shortcut"])
def test_a_lead_posts_an_opening_from_the_command_or_the_shortcut(
    bot: RunningBot, teams: dict[str, int], open_modal
):
    view = open_modal(bot)
    assert view["callback_id"] == "opening"
    assert len(view["blocks"]) <= 100
    team = block(view, "team")["element"]
    # Only the team the lead leads is offered, already picked.
    assert [o["text"]["text"] for o in team["options"]] == ["Search"]
    assert team["initial_option"]["value"] == str(teams["Search"])
    groups = block(view, "topics")["element"]["option_groups"]
    assert {g["label"]["text"] for g in groups} >= {"Languages"}
    assert block(view, "seats")["element"]["min_value"] == "1"
    assert block(view, "seats")["element"]["max_value"] == "10"
    form = submit_values_of(view, teams["Search"])

    response = submit(bot, **form | {"topics_other": "K8s, Machine-Learning"})

    assert response.status == 200
    confirmation = saved_view_text(response)  # the form turns into its result
    [saved] = openings(bot)
    assert saved.title == "Tune the search ranking"
    assert saved.host_team_id == teams["Search"]
    assert saved.topics == ["python", "kafka", "kubernetes", "machine learning"]
    assert (saved.weeks, saved.seats, saved.buddy_user_id) == (4, 2, BUDDY)
    assert (saved.work_mode, saved.expected_output) == ("remote", "deliverable")
    assert saved.apply_by == date(2026, 12, 1)
    assert saved.status == "open" and saved.created_by == LEAD
    assert "Tune the search ranking" in confirmation and "is posted" in confirmation
    assert audit_actions(bot) == ["opening_created"]
    [home] = bot.slack.wait_for("views.publish")  # the lead's Home tab lists the new opening
    assert home.params["user_id"] == LEAD
    assert "Tune the search ranking (Search): 2 of 2 seats left" in str(home.params["view"])


def test_an_organiser_may_post_for_any_team(bot: RunningBot, teams: dict[str, int]):
    view = host_command(bot, ORGANISER)
    offered = [o["text"]["text"] for o in block(view, "team")["element"]["options"]]
    assert offered == ["Payments", "Search"]
    assert "initial_option" not in block(view, "team")["element"]
    saved_view_text(submit(bot, ORGANISER, team=teams["Payments"]))
    assert [o.host_team_id for o in openings(bot)] == [teams["Payments"]]


def test_someone_who_leads_no_team_is_told_who_can_list_them(
    bot: RunningBot, teams: dict[str, int]
):
    answer = bot.requests.slash_command("host", user_id=ENGINEER).json()
    assert answer.get("response_type", "ephemeral") == "ephemeral"
    assert "not list you as a lead" in answer["text"]
    assert f"<@{ORGANISER}>" in answer["text"]
    assert bot.slack.calls("views.open") == []


def test_the_shortcut_answers_a_non_lead_in_a_small_modal(bot: RunningBot, teams: dict[str, int]):
    view = shortcut(bot, ENGINEER)
    assert "submit" not in view
    assert "not list you as a lead" in block_text(view["blocks"])
    assert f"<@{ORGANISER}>" in block_text(view["blocks"])


# --- validation --------------------------------------------------------------------------------

LONG_TOPICS = [f"topic {n}" for n in range(21)]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"latest_end": date(2026, 12, 1)}, "latest_end", "end after it starts"),
        ({"latest_end": date(2026, 12, 31)}, "latest_end", "shorter than a visit of 4 weeks"),
        ({"earliest_start": date(2026, 11, 20)}, "earliest_start", "has passed"),
        ({"latest_end": date(2026, 11, 22)}, "latest_end", "has passed"),
        ({"apply_by": date(2026, 11, 22)}, "apply_by", "has passed"),
        ({"apply_by": date(2027, 1, 3)}, "apply_by", "must start by Sat 2 Jan 2027"),
        ({"title": "   "}, "title", "Give the opening a title"),
        ({"title": "x" * 151}, "title", "150 characters"),
        ({"description": "x" * 3001}, "description", "3000 characters"),
        ({"topics": [], "topics_other": ", ".join(LONG_TOPICS)}, "topics", "keep it to 20"),
        ({"topics": [], "topics_other": ""}, "topics", "at least one topic"),
        ({"seats": "0"}, "seats", "1 to 10 seats"),
        ({"seats": "11"}, "seats", "1 to 10 seats"),
        ({"weeks": "9"}, "weeks", "1 to 8 weeks"),
    ],
)
def test_each_problem_shows_next_to_its_field_and_nothing_is_saved(
    bot: RunningBot, teams: dict[str, int], changes: dict[str, Any], field: str, words: str
):
    response = submit(bot, team=teams["Search"], **changes)
    answer = response.json()
    assert answer["response_action"] == "errors"
    assert words in answer["errors"][field]
    assert openings(bot) == []
    assert audit_actions(bot) == []


def test_a_topic_the_menu_lacks_is_questioned_until_it_is_ticked_as_new(
    bot: RunningBot, teams: dict[str, int]
):
    typed = {"team": teams["Search"], "topics_other": "kafak", "hopes_to_learn_other": "hermes"}
    answer = submit(bot, **typed).json()
    assert answer["response_action"] == "errors"
    assert answer["errors"] == {
        "topics_other": "Not in the topic list: kafak (did you mean kafka?). Pick the right ones "
        "in the menu above, or tick “These are new topics” below to keep them as typed.",
        "hopes_to_learn_other": "Not in the topic list: hermes. Pick the right ones in the menu "
        "above, or tick “These are new topics” below to keep them as typed.",
    }
    assert openings(bot) == []
    saved_view_text(submit(bot, **typed, new_topics=True))
    [saved] = openings(bot)
    assert (saved.topics, saved.hopes_to_learn) == (["python", "kafka", "kafak"], ["hermes"])


def test_an_open_opening_of_the_same_title_in_the_same_team_is_refused(
    bot: RunningBot, teams: dict[str, int]
):
    seed_openings(bot, "Search", ["Tune the search ranking"])
    answer = submit(bot, team=teams["Search"], title=" tune  the SEARCH ranking").json()
    assert "already has an open opening with this title" in answer["errors"]["title"]
    # Another team, or a closed opening of the same title, is no clash.
    seed_openings(bot, "Payments", ["Fraud rules"], status="closed")
    saved_view_text(submit(bot, ORGANISER, team=teams["Payments"], title="Fraud rules"))


def test_a_lead_cannot_submit_for_a_team_they_do_not_lead(bot: RunningBot, teams: dict[str, int]):
    answer = submit(bot, LEAD, team=teams["Payments"]).json()
    assert answer["response_action"] == "errors"
    assert "You do not lead this team" in answer["errors"]["team"]
    # Checked from the payload's user at submission: someone who leads nothing gets the same.
    answer = submit(bot, ENGINEER, team=teams["Search"]).json()
    assert "You do not lead this team" in answer["errors"]["team"]
    assert openings(bot) == []


# --- listing -----------------------------------------------------------------------------------


def test_openings_lists_open_ones_with_their_details_and_an_apply_button(
    bot: RunningBot, teams: dict[str, int]
):
    seed_openings(
        bot, "Search", ["Ranking"], topics=["kafka"], buddy_user_id=BUDDY, seats=3, seats_taken=1
    )
    seed_openings(bot, "Payments", ["Old"], status="closed")
    answer = list_command(bot, "openings")
    assert answer.get("response_type", "ephemeral") == "ephemeral"
    text = block_text(answer["blocks"])
    assert "*Ranking* · Search" in text
    assert "between Mon 7 Dec 2026 and Fri 29 Jan 2027" in text
    assert "a 4-week visit" in text
    assert "*Seats left:* 2 of 3" in text and f"<@{BUDDY}>" in text and "Hybrid" in text
    assert "kafka" in text and "Old" not in text
    [apply] = buttons(answer["blocks"])
    assert apply["text"]["text"] == "Apply"


def test_openings_about_a_topic_match_its_aliases_and_related_topics(
    bot: RunningBot, teams: dict[str, int]
):
    seed_openings(bot, "Search", ["Cluster work"], topics=["kubernetes"])
    seed_openings(bot, "Search", ["Event pipes"], topics=["messaging"])
    seed_openings(bot, "Payments", ["Python ledger"], topics=["python"])
    text = block_text(list_command(bot, "openings K8s")["blocks"])
    assert "Cluster work" in text and "Python ledger" not in text
    # kafka ~ messaging ~ streaming in the shipped vocabulary.
    text = block_text(list_command(bot, "openings Kafka")["blocks"])
    assert "Event pipes" in text and "Cluster work" not in text
    answer = list_command(bot, "openings <!here> cobol")
    assert "No open openings about &lt;!here&gt; cobol" in answer["text"]
    assert "Try `/tourism openings` for all of them" in answer["text"]


def test_no_open_opening_at_all_points_somewhere_else(bot: RunningBot):
    answer = list_command(bot, "openings")
    assert answer["text"].startswith("No openings are open right now.")
    assert "`/tourism openings`" not in answer["text"]  # not the very list just shown
    assert "`/tourism profile`" in answer["text"]


def press(bot: RunningBot, button: dict[str, Any], user_id: str = ENGINEER) -> dict[str, Any]:
    """Clicks `button` in an ephemeral message; returns what the bot sent to the response_url."""
    before = len(bot.slack.calls("response_url"))
    response = bot.requests.block_action(
        user_id=user_id, action_id=button["action_id"], value=button["value"]
    )
    assert response.status == 200
    return bot.slack.wait_for("response_url", count=before + 1)[-1].params


def test_more_than_ten_openings_page_with_next_and_previous(bot: RunningBot, teams: dict[str, int]):
    seed_openings(bot, "Search", [f"Opening {n:02d}" for n in range(25)], topics=["kafka"])
    first = list_command(bot, "openings kafka")
    assert len(buttons(first["blocks"])) == 11  # ten Apply buttons and Next
    assert "page 1 of 3" in block_text(first["blocks"])
    [next_button] = [b for b in buttons(first["blocks"]) if b["text"]["text"] == "Next"]

    second = press(bot, next_button)
    assert second["replace_original"] is True
    assert "Opening 10" in block_text(second["blocks"])
    assert "Opening 09" not in block_text(second["blocks"])
    assert [b["text"]["text"] for b in buttons(second["blocks"])][-2:] == ["Previous", "Next"]

    third = press(bot, buttons(second["blocks"])[-1])
    titles = [t for t in block_text(third["blocks"]).split("*") if t.startswith("Opening")]
    assert titles == [f"Opening {n}" for n in range(20, 25)]
    assert [b["text"]["text"] for b in buttons(third["blocks"])][-1] == "Previous"
    assert json.loads(buttons(third["blocks"])[-1]["value"])["topic"] == "kafka"

    back = press(bot, buttons(third["blocks"])[-1])
    assert "page 2 of 3" in block_text(back["blocks"])


def test_apply_from_the_list_asks_for_a_profile_first(bot: RunningBot, teams: dict[str, int]):
    seed_openings(bot, "Search", ["Ranking"])
    [apply] = buttons(list_command(bot, "openings")["blocks"])
    answer = press(bot, apply)
    assert answer["replace_original"] is False
    assert answer.get("response_type") == "ephemeral"
    assert "First tell us about yourself with `/tourism profile`" in answer["text"]


def test_openings_past_their_apply_by_date_close_themselves(bot: RunningBot, teams: dict[str, int]):
    seed_openings(bot, "Search", ["Expired"], apply_by=date(2026, 11, 22))
    # No apply-by: open while a 4-week visit can still start in the window (here until 22 Nov).
    seed_openings(
        bot,
        "Search",
        ["Late window"],
        earliest_start=date(2026, 11, 16),
        latest_end=date(2026, 12, 19),
    )
    seed_openings(bot, "Search", ["Current"], apply_by=date(2026, 11, 23))
    text = block_text(list_command(bot, "openings")["blocks"])
    assert "Current" in text and "Expired" not in text and "Late window" not in text
    assert {o.title: o.status for o in openings(bot)} == {
        "Expired": "closed",
        "Late window": "closed",
        "Current": "open",
    }


# --- mine: edit and close ----------------------------------------------------------------------


def test_mine_lists_the_leads_own_openings_with_edit_and_close(
    bot: RunningBot, teams: dict[str, int]
):
    seed_openings(bot, "Search", ["Ours"])
    seed_openings(bot, "Payments", ["Theirs"])
    answer = list_command(bot, "openings mine", user_id=LEAD)
    text = block_text(answer["blocks"])
    assert "Ours" in text and "Theirs" not in text
    edit, close = buttons(answer["blocks"])
    assert (edit["text"]["text"], close["text"]["text"]) == ("Edit", "Close")
    assert close["confirm"]["confirm"]["text"] == "Close it"
    organiser_text = block_text(list_command(bot, "openings mine", ORGANISER)["blocks"])
    assert "Ours" in organiser_text and "Theirs" in organiser_text
    refusal = list_command(bot, "openings mine", ENGINEER)
    assert "not list you as a lead" in refusal["text"]


def test_edit_opens_the_prefilled_modal_and_saving_updates_the_opening(
    bot: RunningBot, teams: dict[str, int]
):
    submit(bot, team=teams["Search"], announce=False)
    [edit, _close] = buttons(list_command(bot, "openings mine", LEAD)["blocks"])
    before = len(bot.slack.calls("views.open"))
    bot.requests.block_action(user_id=LEAD, action_id=edit["action_id"], value=edit["value"])
    view = opened_view(bot, before)
    assert block(view, "title")["element"]["initial_value"] == "Tune the search ranking"
    assert block(view, "earliest_start")["element"]["initial_date"] == "2026-12-07"
    assert block(view, "buddy")["element"]["initial_user"] == BUDDY
    assert view["private_metadata"] == edit["value"]

    response = submit(
        bot,
        private_metadata=view["private_metadata"],
        team=teams["Search"],
        title="Tune the ranking",
        seats="3",
        announce=False,
    )
    assert "is saved" in saved_view_text(response)
    [saved] = openings(bot)
    assert (saved.title, saved.seats) == ("Tune the ranking", 3)
    assert audit_actions(bot) == ["opening_created", "opening_updated"]


def test_only_the_host_teams_leads_may_edit_or_close(bot: RunningBot, teams: dict[str, int]):
    [opening_id] = seed_openings(bot, "Search", ["Ours"])
    refused = press(bot, {"action_id": "opening_close", "value": str(opening_id)}, OTHER_LEAD)
    assert "Only the host team's leads or an organiser" in refused["text"]
    refused = press(bot, {"action_id": "opening_edit", "value": str(opening_id)}, OTHER_LEAD)
    assert "Only the host team's leads or an organiser" in refused["text"]
    answer = submit(bot, OTHER_LEAD, private_metadata=str(opening_id), team=teams["Payments"])
    assert "Only the host team's leads" in answer.json()["errors"]["team"]
    assert [o.status for o in openings(bot)] == ["open"]


def test_close_closes_and_replaces_the_list(bot: RunningBot, teams: dict[str, int]):
    seed_openings(bot, "Search", ["Ours", "Also ours"])
    listing = list_command(bot, "openings mine", LEAD)
    close = next(b for b in buttons(listing["blocks"]) if b["text"]["text"] == "Close")
    answer = press(bot, close, LEAD)
    assert answer["replace_original"] is True
    text = block_text(answer["blocks"])
    assert "Closed *Ours* of Search" in text
    assert "*Also ours* · Search" in text and "*Ours* · Search" not in text
    assert [o.status for o in openings(bot)] == ["closed", "open"]
    assert audit_actions(bot) == ["opening_closed"]
    again = press(bot, close, LEAD)
    assert "closed already" in again["text"]


# --- escaping and the missing channel ----------------------------------------------------------


def test_user_text_is_escaped_in_lists(bot: RunningBot, teams: dict[str, int]):
    submit(bot, team=teams["Search"], title=HOSTILE, announce=False)
    text = block_text(list_command(bot, "openings")["blocks"])
    assert f"*{ESCAPED}*" in text
    assert "<!channel>" not in text and "<@U123>" not in text


def test_without_a_channel_the_poster_is_told_it_is_saved_but_not_announced(
    bot: RunningBot, teams: dict[str, int]
):
    assert "is posted" in saved_view_text(submit(bot, team=teams["Search"], announce=True))
    [update] = bot.slack.wait_for("views.update")  # once the announcement is tried
    told = block_text(update.params["view"]["blocks"])
    assert "is posted" in told
    assert "no announcement channel is configured" in told
    assert f"<@{ORGANISER}>" in told and "TOURISM_CHANNEL" in told
    assert openings(bot)[0].announcement_ts is None
