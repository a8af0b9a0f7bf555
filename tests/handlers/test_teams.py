"""`/tourism team …` end to end: signed requests in, the fake Slack and the database checked."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select, update

from infra.fake_slack.requests import conversation, number, plain, users
from infra.fake_slack.requests import date as picked_date
from storage.models import (
    Application,
    AuditEntry,
    Blackout,
    Opening,
    Person,
    Team,
    TeamLead,
    Tour,
)
from tests.conftest import ORGANISER, RunningBot
from tests.support.seed import WORKSPACE, seed_opening, seed_person, seed_team, seed_workspace

ALICE = "U0ALICE"
ESCAPED = "&lt;!channel&gt; &amp; &lt;@U123&gt;"

GOOD_FORM: dict[str, Any] = {
    "name": "Search",
    "leads": ["U0LEAD1", "U0LEAD2"],
    "channel": "C0SEARCH",
    "city": "Amsterdam",
    "away_cap": "2",
    "blackouts": "2026-12-14..2026-12-18 release freeze\n2027-01-04 on-call handover",
    "sprint_weeks": "2",
    "sprint_start": date(2026, 1, 5),
    "visitors_per_quarter": "3",
    "rest_days": "10",
}
SHAPES = {
    "leads": users,
    "channel": conversation,
    "sprint_start": picked_date,
    "away_cap": number,
    "sprint_weeks": number,
    "visitors_per_quarter": number,
    "rest_days": number,
}


@pytest.fixture(autouse=True)
def registered_workspace(bot: RunningBot) -> None:
    """The workspace row the bot writes when it starts."""
    with bot.deps.uow() as uow:
        seed_workspace(uow)
        uow.commit()


def state_values(form: dict[str, Any]) -> dict[str, Any]:
    """The modal's state.values for `form`, shaped as Slack sends each element (None = empty)."""
    return {
        name: {name: SHAPES.get(name, plain)(value if value != "" else None)}
        for name, value in form.items()
    }


def submit(bot: RunningBot, user_id: str = ORGANISER, metadata: str = "", **changes: Any):
    return bot.requests.view_submission(
        user_id=user_id,
        callback_id="team_form",
        values=state_values(GOOD_FORM | changes),
        private_metadata=metadata,
    )


def command(bot: RunningBot, text: str, user_id: str = ORGANISER):
    response = bot.requests.slash_command(f"team {text}", user_id=user_id)
    assert response.status == 200
    return response


def answer_text(response: Any) -> str:
    """Everything an ephemeral answer shows: a text-only ack is the bare text, which Slack
    shows ephemerally; otherwise the JSON message's text and blocks."""
    if not response.text.startswith("{"):
        return response.text
    answer = response.json()
    assert answer.get("response_type", "ephemeral") == "ephemeral"
    parts = [answer.get("text", "")]
    for block in answer.get("blocks", []):
        parts.append((block.get("text") or {}).get("text", ""))
        parts.extend(element.get("text", "") for element in block.get("elements", []))
    return "\n".join(str(part) for part in parts)


def open_form(bot: RunningBot, text: str) -> dict[str, Any]:
    before = len(bot.slack.calls("views.open"))
    response = command(bot, text)
    assert response.body == b""
    return bot.slack.wait_for("views.open", count=before + 1)[-1].params["view"]


def saved_text(response: Any, title: str) -> str:
    """The form turned into its result (not a DM): its title and what it says."""
    answer = response.json()
    assert answer["response_action"] == "update"
    assert answer["view"]["title"]["text"] == title
    return str(answer["view"]["blocks"])


def element(view: dict[str, Any], name: str) -> dict[str, Any]:
    return next(block for block in view["blocks"] if block.get("block_id") == name)["element"]


def teams(bot: RunningBot) -> list[SimpleNamespace]:
    """The stored teams, read while their session is open, with leads and blackouts sorted."""
    with bot.deps.uow() as uow:
        return [
            SimpleNamespace(
                **{column.key: getattr(team, column.key) for column in Team.__table__.columns},
                leads=sorted(lead.user_id for lead in team.leads),
                blackouts=sorted((b.starts_on, b.ends_on, b.reason) for b in team.blackouts),
            )
            for team in uow.session.scalars(select(Team).order_by(Team.id))
        ]


def audit_actions(bot: RunningBot) -> list[str]:
    with bot.deps.uow() as uow:
        return uow.audit.actions(WORKSPACE)


def seed_directory(bot: RunningBot, *names: str, **fields: Any) -> list[int]:
    with bot.deps.uow() as uow:
        ids = [seed_team(uow, name, leads=("U0LEAD1",), **fields).id for name in names]
        uow.commit()
    return ids


# --- who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["add", "edit Search", "list", "remove Search", "", "bogus"])
def test_only_organisers_may_use_the_directory(bot: RunningBot, text: str):
    seed_directory(bot, "Search")
    shown = answer_text(command(bot, text, user_id=ALICE))
    assert "Only organisers can" in shown
    assert f"ask <@{ORGANISER}>." in shown
    assert bot.slack.calls("views.open") == []
    assert [team.name for team in teams(bot)] == ["Search"]


def test_a_form_submitted_by_someone_else_is_refused(bot: RunningBot):
    errors = submit(bot, user_id=ALICE).json()["errors"]
    assert f"ask <@{ORGANISER}>" in errors["name"]
    assert teams(bot) == []


# --- add ------------------------------------------------------------------------------------


def test_add_opens_the_form_with_its_defaults(bot: RunningBot):
    view = open_form(bot, "add")
    assert view["callback_id"] == "team_form"
    names = [block["block_id"] for block in view["blocks"]]
    assert names == list(GOOD_FORM)
    assert element(view, "leads")["type"] == "multi_users_select"
    assert element(view, "channel")["type"] == "conversations_select"
    assert element(view, "away_cap")["initial_value"] == "1"
    assert element(view, "away_cap")["max_value"] == "50"
    assert element(view, "rest_days")["initial_value"] == "0"
    assert "initial_value" not in element(view, "name")
    assert element(view, "blackouts")["multiline"] is True


def test_add_with_a_name_prefills_it(bot: RunningBot):
    view = open_form(bot, "add Web Performance")
    assert element(view, "name")["initial_value"] == "Web Performance"


def test_adding_a_team_saves_everything_and_confirms(bot: RunningBot):
    view = open_form(bot, "add")
    response = submit(bot, metadata=view["private_metadata"])
    assert response.status == 200
    assert "Added *Search* in the team directory" in saved_text(response, "Team added")
    [team] = teams(bot)
    assert team.name == "Search"
    assert team.leads == ["U0LEAD1", "U0LEAD2"]
    assert (team.channel_id, team.city, team.away_cap) == ("C0SEARCH", "Amsterdam", 2)
    assert (team.sprint_weeks, team.sprint_start) == (2, date(2026, 1, 5))
    assert (team.visitors_per_quarter, team.rest_days_between_visitors) == (3, 10)
    assert team.blackouts == [
        (date(2026, 12, 14), date(2026, 12, 18), "release freeze"),
        (date(2027, 1, 4), date(2027, 1, 4), "on-call handover"),
    ]
    assert audit_actions(bot) == ["team_added"]
    assert bot.slack.calls("chat.postMessage") == []  # no direct message besides


def test_optional_fields_may_stay_empty(bot: RunningBot):
    submit(
        bot,
        channel=None,
        city="",
        away_cap="",
        blackouts="",
        sprint_weeks="",
        sprint_start=None,
        visitors_per_quarter="",
        rest_days="",
    )
    [team] = teams(bot)
    assert (team.channel_id, team.city, team.away_cap, team.rest_days_between_visitors) == (
        None,
        None,
        1,
        0,
    )
    assert (team.sprint_weeks, team.sprint_start, team.visitors_per_quarter) == (None, None, None)
    assert team.blackouts == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Give the team a name."),
        ({"name": "   "}, "name", "Give the team a name."),
        ({"name": "x" * 151}, "name", "Keep the name to 150 characters"),
        ({"leads": []}, "leads", "Name at least one lead"),
        ({"away_cap": "51"}, "away_cap", "from 0 to 50"),
        ({"away_cap": "-1"}, "away_cap", "from 0 to 50"),
        ({"away_cap": "1.5"}, "away_cap", "from 0 to 50"),
        (
            {"blackouts": "2026-12-14..2026-12-18 freeze\nnext week sometime"},
            "blackouts",
            "Line 2 (next week sometime): write a period as 2026-12-14..2026-12-18",
        ),
        (
            {"blackouts": "2026-12-18..2026-12-14 freeze"},
            "blackouts",
            "Line 1 (2026-12-18..2026-12-14 freeze): it ends before it starts.",
        ),
        (
            {"blackouts": "2026-02-30..2026-03-02"},
            "blackouts",
            "Line 1 (2026-02-30..2026-03-02): write a period",
        ),
        ({"sprint_start": None}, "sprint_start", "Give both the sprint length"),
        ({"sprint_weeks": ""}, "sprint_weeks", "Give both the sprint length"),
        ({"sprint_weeks": "7"}, "sprint_weeks", "from 1 to 6"),
        ({"visitors_per_quarter": "51"}, "visitors_per_quarter", "from 0 to 50"),
        ({"rest_days": "-3"}, "rest_days", "from 0 to 365"),
    ],
)
def test_each_invalid_field_is_reported_inline_and_nothing_is_saved(
    bot: RunningBot, changes: dict[str, Any], field: str, message: str
):
    answer = submit(bot, **changes).json()
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [field]
    assert message in answer["errors"][field]
    assert teams(bot) == []
    assert audit_actions(bot) == []


def test_a_duplicate_name_is_refused_whatever_its_case(bot: RunningBot):
    seed_directory(bot, "Search")
    answer = submit(bot, name="  SEARCH ").json()
    assert answer["errors"] == {"name": "There is already a team called SEARCH: pick another name."}
    assert len(teams(bot)) == 1


def test_all_problems_are_reported_at_once(bot: RunningBot):
    answer = submit(bot, name="", leads=[], away_cap="99", sprint_start=None).json()
    assert set(answer["errors"]) == {"name", "leads", "away_cap", "sprint_start"}


# --- edit -----------------------------------------------------------------------------------


def test_edit_opens_the_form_prefilled(bot: RunningBot):
    with bot.deps.uow() as uow:
        team_id = seed_team(
            uow,
            "Search",
            leads=("U0LEAD1", "U0LEAD2"),
            blackouts=((date(2026, 12, 14), date(2026, 12, 18)),),
            channel_id="C0SEARCH",
            city="Amsterdam",
            away_cap=2,
            sprint_weeks=2,
            sprint_start=date(2026, 1, 5),
            visitors_per_quarter=3,
            rest_days_between_visitors=10,
        ).id
        uow.commit()
    view = open_form(bot, "edit search")
    assert json.loads(view["private_metadata"]) == {"team_id": team_id}
    assert view["title"]["text"] == "Edit team"
    assert element(view, "name")["initial_value"] == "Search"
    assert element(view, "leads")["initial_users"] == ["U0LEAD1", "U0LEAD2"]
    assert element(view, "channel")["initial_conversation"] == "C0SEARCH"
    assert element(view, "city")["initial_value"] == "Amsterdam"
    assert element(view, "away_cap")["initial_value"] == "2"
    assert element(view, "blackouts")["initial_value"] == "2026-12-14..2026-12-18"
    assert element(view, "sprint_weeks")["initial_value"] == "2"
    assert element(view, "sprint_start")["initial_date"] == "2026-01-05"
    assert element(view, "visitors_per_quarter")["initial_value"] == "3"
    assert element(view, "rest_days")["initial_value"] == "10"


def test_editing_overwrites_the_team_and_replaces_its_leads(bot: RunningBot):
    [team_id] = seed_directory(bot, "Search")
    view = open_form(bot, "edit Search")
    response = submit(
        bot,
        metadata=view["private_metadata"],
        name="search",  # its own name in another case is fine
        leads=["U0LEAD2", "U0LEAD3"],
        blackouts="",
    )
    assert "Saved *search* in the team directory" in saved_text(response, "Team saved")
    [team] = teams(bot)
    assert (team.id, team.name) == (team_id, "search")
    assert team.leads == ["U0LEAD2", "U0LEAD3"]
    assert team.blackouts == []
    assert audit_actions(bot) == ["team_updated"]
    with bot.deps.uow() as uow:
        detail = uow.session.scalars(select(AuditEntry.detail)).one()
    assert {"name", "leads", "city"} <= set(detail["changed"])
    assert "blackouts" not in detail["changed"]  # none before, none after


def test_editing_keeps_a_lead_who_stays(bot: RunningBot):
    seed_directory(bot, "Search")
    view = open_form(bot, "edit Search")
    submit(bot, metadata=view["private_metadata"], leads=["U0LEAD1", "U0LEAD9"])
    with bot.deps.uow() as uow:
        rows = uow.session.scalars(select(TeamLead.user_id).order_by(TeamLead.user_id)).all()
    assert rows == ["U0LEAD1", "U0LEAD9"]


def test_renaming_to_another_teams_name_is_refused(bot: RunningBot):
    seed_directory(bot, "Search", "Mobile")
    view = open_form(bot, "edit Mobile")
    answer = submit(bot, metadata=view["private_metadata"], name="search").json()
    assert "already a team called search" in answer["errors"]["name"]
    assert sorted(team.name for team in teams(bot)) == ["Mobile", "Search"]


def test_an_invalid_edit_changes_nothing(bot: RunningBot):
    seed_directory(bot, "Search", city="Warsaw")
    view = open_form(bot, "edit Search")
    answer = submit(bot, metadata=view["private_metadata"], city="Lisbon", away_cap="77").json()
    assert list(answer["errors"]) == ["away_cap"]
    assert teams(bot)[0].city == "Warsaw"


def test_editing_a_team_removed_meanwhile_says_so(bot: RunningBot):
    seed_directory(bot, "Search")
    view = open_form(bot, "edit Search")
    with bot.deps.uow() as uow:
        uow.session.delete(uow.session.scalars(select(Team)).one())
        uow.commit()
    answer = submit(bot, metadata=view["private_metadata"]).json()
    assert "removed from the directory while you edited it" in answer["errors"]["name"]
    assert teams(bot) == []


def test_edit_of_an_unknown_team_suggests_names_and_lists_them(bot: RunningBot):
    seed_directory(bot, "Search", "Search Quality", "Mobile", "Listings")
    shown = answer_text(command(bot, "edit Serch"))
    assert "There is no team called *Serch*. Did you mean *Search*" in shown
    assert "Usage: `/tourism team edit NAME`" in shown
    assert "Teams in the directory: Listings, Mobile, Search, Search Quality." in shown
    assert bot.slack.calls("views.open") == []


def test_edit_without_a_name_shows_the_usage_and_the_teams(bot: RunningBot):
    seed_directory(bot, "Search")
    shown = answer_text(command(bot, "edit"))
    assert "Say which team: `/tourism team edit NAME`." in shown
    assert "Teams in the directory: Search." in shown


def test_a_quoted_name_is_found(bot: RunningBot):
    seed_directory(bot, "Web Performance")
    view = open_form(bot, 'edit "web performance"')
    assert element(view, "name")["initial_value"] == "Web Performance"


# --- usage ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "The team directory commands"),
        ("frobnicate", "I don't know `/tourism team frobnicate`."),
        ("list 2", "`/tourism team list` takes nothing after it."),
        ("<!channel>", "I don't know `/tourism team &lt;!channel&gt;`."),
    ],
)
def test_wrong_usage_explains_the_right_one(bot: RunningBot, text: str, expected: str):
    shown = answer_text(command(bot, text))
    assert expected in shown
    assert "`/tourism team remove NAME` – remove a team" in shown
    assert "<!channel>" not in shown


def test_help_lists_the_team_command_for_organisers(bot: RunningBot):
    shown = answer_text(bot.requests.slash_command("help", user_id=ALICE))
    assert "*For organisers*\n`/tourism team add|edit NAME|list|remove NAME`" in shown


# --- list -----------------------------------------------------------------------------------


def test_list_shows_each_team_with_its_details(bot: RunningBot):
    with bot.deps.uow() as uow:
        seed_team(
            uow,
            ESCAPED.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"),
            leads=("U0LEAD1", "U0LEAD2"),
            channel_id="C0SEARCH",
            city="Amsterdam <b>",
            away_cap=2,
            sprint_weeks=2,
            sprint_start=date(2026, 1, 5),
            visitors_per_quarter=3,
            rest_days_between_visitors=10,
        )
        team = uow.session.scalars(select(Team)).one()
        team.blackouts = [
            Blackout(workspace_id=WORKSPACE, starts_on=s, ends_on=e, reason=r)
            for s, e, r in (
                (date(2026, 11, 2), date(2026, 11, 6), "long past"),
                (date(2026, 12, 14), date(2026, 12, 18), "freeze <!here>"),
            )
        ]
        uow.commit()
    answer = command(bot, "list").json()
    text = answer_text(command(bot, "list"))
    assert len(answer["blocks"]) <= 50
    assert f"*{ESCAPED}* · <#C0SEARCH> · Amsterdam &lt;b&gt;" in text
    assert "Leads: <@U0LEAD1>, <@U0LEAD2>" in text
    assert "May be away at once: 2 · Sprints: 2 weeks, one began 2026-01-05" in text
    assert "Hosts at most 3 visitors a quarter, 10 rest days between visitors" in text
    assert "Blackouts: 2026-12-14..2026-12-18 freeze &lt;!here&gt;" in text
    assert "long past" not in text
    assert "<!channel>" not in text and "<!here>" not in text
    assert not any(block["type"] == "actions" for block in answer["blocks"])


def test_an_empty_directory_says_how_to_fill_it(bot: RunningBot):
    assert "`/tourism team add`" in answer_text(command(bot, "list"))


def test_a_long_directory_pages_with_next_and_previous(bot: RunningBot):
    seed_directory(bot, *(f"Team {n:03}" for n in range(100)))
    first = command(bot, "list").json()
    assert len(first["blocks"]) <= 50
    shown = answer_text(command(bot, "list"))
    assert "Teams 1–45 of 100" in shown
    assert "*Team 000*" in shown and "*Team 044*" in shown and "Team 045" not in shown
    [buttons] = [block for block in first["blocks"] if block["type"] == "actions"]
    [next_button] = buttons["elements"]
    assert (next_button["action_id"], next_button["text"]["text"]) == (
        "team_directory_next",
        "Next",
    )

    def click(button: dict[str, Any]) -> dict[str, Any]:
        before = len(bot.slack.calls("response_url"))
        bot.requests.block_action(
            user_id=ORGANISER, action_id=button["action_id"], value=button["value"]
        )
        return bot.slack.wait_for("response_url", count=before + 1)[-1].params

    second = click(next_button)
    assert second["replace_original"] is True
    assert len(second["blocks"]) <= 50
    assert "Teams 46–90 of 100" in json.dumps(second["blocks"], ensure_ascii=False)
    previous, following = second["blocks"][-1]["elements"]
    third = click(following)
    assert "Teams 91–100 of 100" in json.dumps(third["blocks"], ensure_ascii=False)
    assert [b["text"]["text"] for b in third["blocks"][-1]["elements"]] == ["Previous"]
    assert "Teams 1–45 of 100" in json.dumps(click(previous)["blocks"], ensure_ascii=False)


def test_someone_else_cannot_page_through_the_directory(bot: RunningBot):
    seed_directory(bot, *(f"Team {n:03}" for n in range(50)))
    bot.requests.block_action(user_id=ALICE, action_id="team_directory_next", value="45")
    answer = bot.slack.wait_for("response_url")[-1].params
    assert "Only organisers can see the team directory" in answer["text"]
    assert answer["replace_original"] is False


# --- remove ---------------------------------------------------------------------------------


def test_remove_asks_for_confirmation_with_a_danger_button(bot: RunningBot):
    [team_id] = seed_directory(bot, "Search")
    with bot.deps.uow() as uow:
        seed_person(uow, "U0MEMBER", home_team_id=team_id)
        uow.commit()
    answer = command(bot, "remove search").json()
    text = answer_text(command(bot, "remove search"))
    assert "Remove *Search* from the team directory?" in text
    assert "1 person lists it as their home team and will have none." in text
    [actions] = [block for block in answer["blocks"] if block["type"] == "actions"]
    remove, keep = actions["elements"]
    assert (remove["action_id"], remove["style"], remove["value"]) == (
        "team_remove",
        "danger",
        str(team_id),
    )
    assert remove["confirm"]["confirm"]["text"] == "Remove"
    assert remove["confirm"]["style"] == "danger"
    assert keep["action_id"] == "team_remove_keep"
    assert [team.name for team in teams(bot)] == ["Search"]  # nothing removed yet


def test_confirming_removes_the_team_and_records_it(bot: RunningBot):
    [team_id] = seed_directory(bot, "Search")
    bot.requests.block_action(user_id=ORGANISER, action_id="team_remove", value=str(team_id))
    answer = bot.slack.wait_for("response_url")[-1].params
    assert answer["replace_original"] is True
    assert answer["text"] == "Removed *Search* from the team directory."
    assert teams(bot) == []
    with bot.deps.uow() as uow:
        assert uow.session.scalars(select(TeamLead)).all() == []
    assert audit_actions(bot) == ["team_removed"]


def test_keep_it_removes_nothing(bot: RunningBot):
    seed_directory(bot, "Search")
    bot.requests.block_action(user_id=ORGANISER, action_id="team_remove_keep")
    assert bot.slack.wait_for("response_url")[-1].params["text"] == "Nothing was removed."
    assert len(teams(bot)) == 1


def test_someone_else_clicking_remove_is_refused(bot: RunningBot):
    [team_id] = seed_directory(bot, "Search")
    bot.requests.block_action(user_id=ALICE, action_id="team_remove", value=str(team_id))
    answer = bot.slack.wait_for("response_url")[-1].params
    assert "Only organisers can change the team directory" in answer["text"]
    assert len(teams(bot)) == 1
    assert audit_actions(bot) == []


def seed_commitments(bot: RunningBot, team_id: int) -> None:
    """Two open openings and a scheduled visit hosted by the team."""
    with bot.deps.uow() as uow:
        team = uow.session.get(Team, team_id)
        window = {"earliest_start": date(2027, 1, 4), "latest_end": date(2027, 3, 26)}
        seed_opening(uow, team, "Ranking", **window)
        seed_opening(uow, team, "Indexing", **window)
        booked = seed_opening(uow, team, "Booked", status="filled", **window)
        visitor = seed_person(uow, "U0VISITOR")
        application = Application(
            workspace_id=WORKSPACE,
            opening_id=booked.id,
            person_id=visitor.id,
            status="confirmed",
            starts_on=date(2027, 1, 4),
            ends_on=date(2027, 1, 29),
        )
        uow.session.add(application)
        uow.session.flush()
        uow.session.add(
            Tour(
                workspace_id=WORKSPACE,
                application_id=application.id,
                person_id=visitor.id,
                opening_id=booked.id,
                host_team_id=team_id,
                starts_on=date(2027, 1, 4),
                ends_on=date(2027, 1, 29),
            )
        )
        uow.commit()


def test_a_team_with_openings_or_visits_cannot_be_removed(bot: RunningBot):
    [team_id] = seed_directory(bot, "Search")
    seed_commitments(bot, team_id)
    shown = answer_text(command(bot, "remove Search"))
    assert (
        "I can't remove *Search* yet: it has 2 open openings and 1 visit planned or under way."
        in shown
    )
    assert "ask <@U0LEAD1> to close the openings and wait until the visits have ended" in shown
    assert "team_remove" not in command(bot, "remove Search").text
    assert len(teams(bot)) == 1


def test_a_visit_from_the_team_also_prevents_its_removal(bot: RunningBot):
    home_id, host_id = seed_directory(bot, "Search", "Mobile")
    seed_commitments(bot, host_id)
    with bot.deps.uow() as uow:
        tour = uow.session.scalars(select(Tour)).one()
        tour.home_team_id = home_id
        uow.commit()
    shown = answer_text(command(bot, "remove Search"))
    assert "it has 1 visit planned or under way" in shown


def test_removal_is_checked_again_when_confirmed(bot: RunningBot):
    [team_id] = seed_directory(bot, "Search")
    command(bot, "remove Search")  # the question is asked while nothing depends on the team
    seed_commitments(bot, team_id)
    bot.requests.block_action(user_id=ORGANISER, action_id="team_remove", value=str(team_id))
    answer = bot.slack.wait_for("response_url")[-1].params
    assert "I can't remove *Search* yet: it has 2 open openings" in answer["text"]
    assert len(teams(bot)) == 1
    with bot.deps.uow() as uow:
        assert uow.session.scalars(select(Person)).all() != []


def test_past_openings_and_visits_are_named_before_they_go(bot: RunningBot):
    [team_id] = seed_directory(bot, "Search")
    seed_commitments(bot, team_id)
    with bot.deps.uow() as uow:
        uow.session.execute(update(Tour).values(status="completed"))
        uow.session.execute(update(Opening).values(status="closed"))
        uow.commit()
    shown = answer_text(command(bot, "remove Search"))
    assert "Its 3 closed openings and 1 past visit will be deleted with it." in shown


def test_an_unknown_name_is_shown_escaped(bot: RunningBot):
    shown = answer_text(command(bot, "edit <!channel> & <@U123>"))
    assert f"There is no team called *{ESCAPED}*." in shown
    assert "<!channel>" not in shown


def test_remove_of_an_unknown_team_suggests_names(bot: RunningBot):
    seed_directory(bot, "Search")
    shown = answer_text(command(bot, "remove serch"))
    assert "Did you mean *Search*?" in shown
    assert "Usage: `/tourism team remove NAME`" in shown
