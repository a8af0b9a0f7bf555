"""`/tourism profile` end to end: signed requests in, the fake Slack and the database checked."""

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from infra.fake_slack.requests import checkboxes, multi_static, option, plain, radio, static
from infra.fake_slack.requests import date as picked_date
from storage.models import AuditEntry, Person
from tests.conftest import ORGANISER, RunningBot
from tests.support.seed import WORKSPACE, seed_person, seed_team, seed_workspace

ALICE = "U0ALICE"
ESCAPED = "&lt;!channel&gt; &amp; &lt;@U123&gt;"

GOOD_FORM: dict[str, Any] = {
    "home_team": None,
    "learn_topics": ["python"],
    "learn_topics_other": "",
    "teach_topics": [],
    "teach_topics_other": "",
    "new_topics": False,
    "learning_goal": "Ship a ranking change on my own",
    "available_from": date(2026, 12, 7),
    "available_until": date(2027, 1, 29),
    "preferred_weeks": "4",
    "work_mode": "either",
    "city": "",
    "willing_to_travel": False,
    "looking": True,
    "snoozed_until": None,
    "note": "",
}


def state_values(form: dict[str, Any]) -> dict[str, Any]:
    """The modal's state.values for `form`, shaped as Slack sends each element."""
    shapes = {
        "home_team": static,
        "learn_topics": multi_static,
        "teach_topics": multi_static,
        "preferred_weeks": static,
        "work_mode": radio,
        "willing_to_travel": lambda v: checkboxes(["yes"] if v else []),
        "looking": lambda v: checkboxes(["yes"] if v else []),
        "new_topics": lambda v: checkboxes(["yes"] if v else []),
        "available_from": picked_date,
        "available_until": picked_date,
        "snoozed_until": picked_date,
    }
    return {
        name: {name: shapes.get(name, lambda v: plain(v or None))(value)}
        for name, value in form.items()
    }


@pytest.fixture(autouse=True)
def registered_workspace(bot: RunningBot) -> None:
    """The workspace row the bot writes when it starts (register_this_workspace)."""
    with bot.deps.uow() as uow:
        seed_workspace(uow)
        uow.commit()


def submit(bot: RunningBot, user_id: str = ALICE, **changes: Any):
    return bot.requests.view_submission(
        user_id=user_id, callback_id="profile", values=state_values(GOOD_FORM | changes)
    )


def open_form(bot: RunningBot, user_id: str = ALICE) -> dict[str, Any]:
    before = len(bot.slack.calls("views.open"))
    response = bot.requests.slash_command("profile", user_id=user_id)
    assert response.status == 200
    calls = bot.slack.wait_for("views.open", count=before + 1)
    return calls[-1].params["view"]


def element(view: dict[str, Any], name: str) -> dict[str, Any]:
    block = next(block for block in view["blocks"] if block.get("block_id") == name)
    return block["element"]


def initial(view: dict[str, Any], name: str) -> Any:
    """What the input shows when the modal opens, as a plain value."""
    found = element(view, name)
    if "initial_options" in found:
        return [o["value"] for o in found["initial_options"]]
    if "initial_option" in found:
        return found["initial_option"]["value"]
    return found.get("initial_value") or found.get("initial_date")


def people(bot: RunningBot) -> list[Person]:
    with bot.deps.uow() as uow:
        found = list(uow.session.scalars(select(Person)))
        uow.session.expunge_all()  # readable after the unit of work closes
        return found


def audit_actions(bot: RunningBot) -> list[str]:
    with bot.deps.uow() as uow:
        return list(uow.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def saved_view(response) -> dict[str, Any]:
    """The form turned into its result: the saved profile, in place of the form (not a DM)."""
    answer = response.json()
    assert answer["response_action"] == "update"
    assert answer["view"]["title"]["text"] == "Profile saved"
    return answer["view"]


def saved_text(response) -> str:
    return "\n".join(
        block.get("text", {}).get("text", "")
        + "".join(e.get("text", "") for e in block.get("elements", []))
        for block in saved_view(response)["blocks"]
    )


def seed_teams(bot: RunningBot, *names: str) -> dict[str, int]:
    with bot.deps.uow() as uow:
        ids = {name: seed_team(uow, name).id for name in names}
        uow.commit()
    return ids


# --- opening the form ------------------------------------------------------------------------


def test_a_newcomer_gets_an_empty_form_that_says_who_fills_the_directory(bot: RunningBot):
    view = open_form(bot)
    assert view["callback_id"] == "profile"
    assert view["type"] == "modal"
    block_ids = [block.get("block_id") for block in view["blocks"]]
    assert "home_team" not in block_ids  # nothing to pick from
    assert any(
        "directory is empty" in block.get("text", {}).get("text", "")
        and f"<@{ORGANISER}>" in block["text"]["text"]
        for block in view["blocks"]
    )
    assert initial(view, "preferred_weeks") == "4"
    assert (
        "two weeks"
        in next(b for b in view["blocks"] if b.get("block_id") == "preferred_weeks")["hint"]["text"]
    )
    assert initial(view, "work_mode") == "either"
    assert initial(view, "looking") == ["yes"]
    assert initial(view, "learn_topics") is None
    assert initial(view, "learning_goal") is None
    groups = element(view, "learn_topics")["option_groups"]
    assert [group["label"]["text"] for group in groups] == list(bot.deps.vocabulary.categories)
    assert len(view["blocks"]) <= 100


def test_the_form_is_prefilled_with_the_saved_profile(bot: RunningBot):
    teams = seed_teams(bot, "Payments", "Search")
    with bot.deps.uow() as uow:
        seed_person(
            uow,
            ALICE,
            home_team_id=teams["Search"],
            learn_topics=["kubernetes", "quantum basket weaving", "go"],
            teach_topics=["python"],
            learning_goal="Learn how search ranking works",
            available_from=date(2026, 12, 1),
            available_until=date(2027, 2, 26),
            preferred_weeks=6,
            work_mode="onsite",
            city="Kraków",
            willing_to_travel=True,
            looking=True,
            snoozed_until=date(2026, 12, 20),
            note="Mornings only",
        )
        uow.commit()
    view = open_form(bot)
    assert element(view, "home_team")["type"] == "static_select"
    assert initial(view, "home_team") == str(teams["Search"])
    assert initial(view, "learn_topics") == ["kubernetes", "go"]
    # A topic the vocabulary does not know stays, in the free-text box: nothing is lost.
    assert initial(view, "learn_topics_other") == "quantum basket weaving"
    assert initial(view, "teach_topics") == ["python"]
    assert initial(view, "learning_goal") == "Learn how search ranking works"
    assert initial(view, "available_from") == "2026-12-01"
    assert initial(view, "available_until") == "2027-02-26"
    assert initial(view, "preferred_weeks") == "6"
    assert initial(view, "work_mode") == "onsite"
    assert initial(view, "city") == "Kraków"
    assert initial(view, "willing_to_travel") == ["yes"]
    assert initial(view, "snoozed_until") == "2026-12-20"
    assert initial(view, "note") == "Mornings only"


def test_a_start_date_that_has_passed_is_offered_as_today(bot: RunningBot):
    with bot.deps.uow() as uow:
        seed_person(
            uow,
            ALICE,
            learn_topics=["go"],
            available_from=date(2026, 11, 2),
            snoozed_until=date(2026, 11, 20),
        )
        uow.commit()
    view = open_form(bot)
    assert initial(view, "available_from") == "2026-11-23"
    assert initial(view, "snoozed_until") is None


def test_past_100_teams_the_home_team_is_a_searchable_select(bot: RunningBot):
    teams = seed_teams(bot, *(f"Team {number:03}" for number in range(101)))
    with bot.deps.uow() as uow:
        seed_person(uow, ALICE, home_team_id=teams["Team 057"])
        uow.commit()
    view = open_form(bot)
    home_team = element(view, "home_team")
    assert home_team["type"] == "external_select"
    assert home_team["initial_option"]["text"]["text"] == "Team 057"

    external = {"type": "external_select", "selected_option": option(str(teams["Team 099"]))}
    values = state_values(GOOD_FORM) | {"home_team": {"home_team": external}}
    response = bot.requests.view_submission(user_id=ALICE, callback_id="profile", values=values)
    assert response.status == 200
    assert people(bot)[0].home_team_id == teams["Team 099"]
    assert "*Home team:* Team 099" in saved_text(response)


def test_a_form_slack_would_not_open_is_explained(bot: RunningBot):
    bot.slack.inject("views.open", error="expired_trigger_id")
    bot.requests.slash_command("profile", user_id=ALICE)
    answer = bot.slack.wait_for("response_url")[-1].params
    assert "run `/tourism profile` again" in answer["text"]


# --- saving -----------------------------------------------------------------------------------


def test_saving_a_profile_sends_it_back_and_the_form_reopens_with_it(bot: RunningBot):
    teams = seed_teams(bot, "Payments", "Search")
    bot.slack.add_user(ALICE, tz="America/New_York")
    form = {
        "home_team": str(teams["Payments"]),
        "learn_topics": ["machine learning", "go"],
        "learn_topics_other": "K8s, Quantum Basket-Weaving; go",
        "teach_topics": ["python"],
        "teach_topics_other": "Chess Openings",
        "new_topics": True,  # "quantum basket weaving" and "chess openings" are not in the menu
        "preferred_weeks": "6",
        "available_until": date(2027, 2, 26),
        "work_mode": "onsite",
        "city": "Kraków",
        "willing_to_travel": True,
        "snoozed_until": date(2026, 12, 1),
        "note": "Mornings only",
    }
    response = submit(bot, **form)
    assert response.status == 200
    text = saved_text(response)  # the form shows what was saved
    assert bot.slack.calls("chat.postMessage") == []  # rather than a direct message
    [home] = bot.slack.wait_for("views.publish")  # the Home tab shows the new profile
    assert home.params["user_id"] == ALICE and "Mornings only" in str(home.params["view"])

    [person] = people(bot)
    assert person.workspace_id == WORKSPACE
    assert person.user_id == ALICE
    assert person.home_team_id == teams["Payments"]
    assert person.learn_topics == ["machine learning", "go", "kubernetes", "quantum basket weaving"]
    assert person.teach_topics == ["python", "chess openings"]
    assert person.preferred_weeks == 6
    assert (person.work_mode, person.city, person.willing_to_travel) == ("onsite", "Kraków", True)
    assert person.updated_at == bot.clock.now()
    assert audit_actions(bot) == ["profile_created"]

    assert "*Home team:* Payments" in text
    assert "machine learning, go, kubernetes, quantum basket weaving" in text
    assert "Mon 7 Dec 2026 to Fri 26 Feb 2027" in text
    assert "paused until Tue 1 Dec 2026" in text
    assert "`/tourism match`" in text
    assert "`/tourism openings`" in text

    view = open_form(bot)
    assert initial(view, "home_team") == str(teams["Payments"])
    assert initial(view, "learn_topics") == ["machine learning", "go", "kubernetes"]
    assert initial(view, "learn_topics_other") == "quantum basket weaving"
    assert initial(view, "teach_topics_other") == "chess openings"
    assert initial(view, "preferred_weeks") == "6"
    assert initial(view, "city") == "Kraków"
    assert initial(view, "note") == "Mornings only"

    # Resubmitting what was shown changes nothing but is recorded as an update.
    resubmitted = GOOD_FORM | form | {"learn_topics": ["machine learning", "go", "kubernetes"]}
    resubmitted["learn_topics_other"] = "quantum basket weaving"
    resubmitted["new_topics"] = False  # topics already on the profile need no second tick
    saved_text(submit(bot, **resubmitted))
    [again] = people(bot)
    assert again.learn_topics == person.learn_topics
    assert audit_actions(bot) == ["profile_created", "profile_updated"]
    # users.info runs after the ack; its answer is stored before the Home tab is refreshed.
    bot.slack.wait_for("views.publish", count=2)
    assert people(bot)[0].timezone == "America/New_York"


def test_a_topic_the_menu_lacks_gets_the_closest_entries_and_nothing_is_saved(bot: RunningBot):
    answer = submit(bot, learn_topics_other="hermes, Kafak", teach_topics_other="pyhton").json()
    assert answer == {
        "response_action": "errors",
        "errors": {
            "learn_topics_other": "Not in the topic list: hermes, kafak (did you mean kafka?). "
            "Pick the right ones in the menu above, or tick “These are new topics” below to keep "
            "them as typed.",
            "teach_topics_other": "Not in the topic list: pyhton (did you mean python?). "
            "Pick the right ones in the menu above, or tick “These are new topics” below to keep "
            "them as typed.",
        },
    }
    assert people(bot) == [] and audit_actions(bot) == []


def test_topics_ticked_as_new_are_saved_as_typed(bot: RunningBot):
    saved_text(submit(bot, learn_topics_other="Hermes", new_topics=True))
    assert people(bot)[0].learn_topics == ["python", "hermes"]
    # An alias is no new topic: it is saved as its vocabulary entry without a tick.
    saved_text(submit(bot, learn_topics_other="hermes, K8s"))
    assert people(bot)[0].learn_topics == ["python", "hermes", "kubernetes"]


def test_a_user_slack_cannot_describe_still_gets_their_profile_saved(bot: RunningBot):
    # users.info answers user_not_found for a user the fake does not know
    saved_text(submit(bot))
    bot.slack.wait_for("views.publish")
    [person] = people(bot)
    assert person.timezone is None
    assert person.learning_goal == GOOD_FORM["learning_goal"]


def test_text_the_person_typed_is_escaped_in_the_summary(bot: RunningBot):
    typed = "<!channel> & <@U123>"
    team_named_by_an_organiser = seed_teams(bot, typed)[typed]
    response = submit(
        bot,
        home_team=str(team_named_by_an_organiser),
        learning_goal=typed,
        note=typed,
        city=typed,
    )
    text = saved_text(response)
    assert text.count(ESCAPED) == 4
    assert "<!channel>" not in text
    assert "<@U123>" not in text


def test_a_long_note_full_of_ampersands_stays_within_a_section_and_whole(bot: RunningBot):
    view = saved_view(submit(bot, note="&" * 3000))
    note = next(b for b in view["blocks"] if b["text"]["text"].startswith("*Note:*"))
    assert len(note["text"]["text"]) <= 3000
    assert note["text"]["text"].endswith("&amp;…")


VALID_FROM = GOOD_FORM["available_from"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"available_until": date(2026, 12, 1)}, "available_until", "after the one"),
        ({"available_from": date(2026, 11, 22)}, "available_from", "has passed"),
        (
            {"available_from": None, "available_until": date(2026, 11, 20)},
            "available_until",
            "has passed",
        ),
        ({"available_until": date(2027, 1, 2)}, "available_until", "less than the 4 weeks"),
        ({"learn_topics": [], "learn_topics_other": ""}, "learn_topics", "at least one"),
        (
            {"learn_topics_other": ", ".join(f"topic {n}" for n in range(20))},
            "learn_topics",
            "21 topics",
        ),
        (
            {"teach_topics_other": ", ".join(f"topic {n}" for n in range(21))},
            "teach_topics",
            "21 topics",
        ),
        ({"learn_topics_other": "x" * 76}, "learn_topics", "75 characters"),
        ({"learning_goal": "g" * 301}, "learning_goal", "300 characters"),
        ({"learning_goal": ""}, "learning_goal", "one sentence"),
        ({"note": "n" * 3001}, "note", "3000 characters"),
        ({"snoozed_until": date(2026, 11, 22)}, "snoozed_until", "has passed"),
        ({"work_mode": "onsite", "city": ""}, "city", "on-site"),
        ({"city": "c" * 101}, "city", "100 characters"),
        ({"home_team": "999999"}, "home_team", "not in the directory"),
        ({"home_team": "x"}, "home_team", "not in the directory"),
        ({"preferred_weeks": "9"}, "preferred_weeks", "1 to 8"),
        ({"work_mode": "moon"}, "work_mode", "on-site, remote or either"),
    ],
)
def test_each_problem_is_shown_next_to_its_field_and_nothing_is_saved(
    bot: RunningBot, changes: dict[str, Any], field: str, message: str
):
    response = submit(bot, **changes)
    answer = response.json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [field]
    assert message in answer["errors"][field]
    assert people(bot) == []
    assert audit_actions(bot) == []
    assert bot.slack.calls("chat.postMessage") == []


def test_several_problems_come_back_together(bot: RunningBot):
    answer = submit(
        bot, learning_goal="", work_mode="onsite", available_until=date(2026, 12, 1)
    ).json()
    assert set(answer["errors"]) == {"learning_goal", "city", "available_until"}


def test_a_rejected_edit_leaves_the_saved_profile_as_it_was(bot: RunningBot):
    saved_text(submit(bot, note="first"))
    answer = submit(bot, note="second", available_until=date(2026, 12, 1)).json()
    assert answer["response_action"] == "errors"
    assert people(bot)[0].note == "first"
    assert audit_actions(bot) == ["profile_created"]


def test_today_is_the_organisations_today(bot: RunningBot):
    # 23:30 UTC on the 23rd is already the 24th in Warsaw (TOURISM_TIMEZONE): the 23rd has passed.
    bot.clock.move_to(datetime.fromisoformat("2026-11-23T23:30:00+00:00"))
    answer = submit(bot, available_from=date(2026, 11, 23)).json()
    assert "has passed" in answer["errors"]["available_from"]
    saved_text(submit(bot, available_from=date(2026, 11, 24)))
