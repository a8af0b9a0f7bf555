from bot.core.inputs import team_select
from tests.conftest import RunningBot
from tests.support.seed import seed_team


def seed_teams(bot: RunningBot, names: list[str]) -> None:
    with bot.deps.uow() as uow:
        for name in names:
            seed_team(uow, name)
        uow.commit()


def test_typing_into_a_team_picker_offers_matching_teams(bot: RunningBot):
    seed_teams(bot, ["Search", "Payments", "Search Quality", "Research", "Web Performance"])
    answer = bot.requests.block_suggestion(
        user_id="U0ALICE", action_id="home_team", value="sea"
    ).json()
    assert [o["text"]["text"] for o in answer["options"]] == [
        "Search",
        "Search Quality",
        "Research",
    ]
    assert all(o["value"].isdigit() for o in answer["options"])


def test_team_picker_search_treats_wildcards_as_text(bot: RunningBot):
    seed_teams(bot, ["100% Uptime", "Uptime"])
    answer = bot.requests.block_suggestion(user_id="U0ALICE", action_id="team", value="%").json()
    assert [o["text"]["text"] for o in answer["options"]] == ["100% Uptime"]


def test_team_select_is_static_up_to_100_teams_then_searchable():
    few = team_select("team", "Team", [(i, f"Team {i}") for i in range(100)], initial=(3, "Team 3"))
    assert few["element"]["type"] == "static_select"
    assert few["element"]["initial_option"]["value"] == "3"
    many = team_select(
        "team", "Team", [(i, f"Team {i}") for i in range(101)], initial=(3, "Team 3")
    )
    assert many["element"]["type"] == "external_select"
    assert many["element"]["initial_option"] == {
        "text": {"type": "plain_text", "text": "Team 3", "emoji": True},
        "value": "3",
    }
