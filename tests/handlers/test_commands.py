from handlers.guards import OTHER_WORKSPACE
from infra.fake_slack.requests import SlackRequests
from tests.conftest import ORGANISER, SIGNING_SECRET, RunningBot


def all_text(blocks: list[dict]) -> str:
    parts = []
    for block in blocks:
        if "text" in block:
            parts.append(block["text"]["text"])
        parts.extend(element.get("text", "") for element in block.get("elements", []))
    return "\n".join(parts)


def test_help_round_trips_as_an_ephemeral_message(bot: RunningBot):
    response = bot.requests.slash_command("help", user_id="U0ALICE")
    assert response.status == 200
    answer = response.json()
    assert answer.get("response_type", "ephemeral") == "ephemeral"
    text = all_text(answer["blocks"])
    assert "`/tourism help`" in text
    assert f"<@{ORGANISER}>" in text
    assert len(answer["blocks"]) <= 50


def test_bare_command_shows_help(bot: RunningBot):
    answer = bot.requests.slash_command("", user_id="U0ALICE").json()
    assert "`/tourism help`" in all_text(answer["blocks"])


def test_unknown_subcommand_suggests_the_closest_only(bot: RunningBot):
    answer = bot.requests.slash_command("mtach me", user_id="U0ALICE").json()
    text = all_text(answer["blocks"])
    assert text.startswith("I don't know `/tourism mtach`. Did you mean `/tourism match`?")
    assert "`/tourism help` –" not in text  # not the whole help again
    assert len(answer["blocks"]) == 2


def test_a_word_far_from_every_command_points_at_help(bot: RunningBot):
    answer = bot.requests.slash_command("export", user_id="U0ALICE").json()
    assert all_text(answer["blocks"]) == (
        "I don't know `/tourism export`. Type `/tourism help` to see what I can do."
    )


def test_organiser_commands_are_suggested_only_to_organisers(bot: RunningBot):
    visitor = all_text(bot.requests.slash_command("rond", user_id="U0ALICE").json()["blocks"])
    organiser = all_text(bot.requests.slash_command("rond", user_id=ORGANISER).json()["blocks"])
    assert "round" not in visitor
    assert "Did you mean `/tourism round [best|fair|calendar]`?" in organiser


def test_unknown_subcommand_is_escaped(bot: RunningBot):
    answer = bot.requests.slash_command("<!channel>", user_id="U0ALICE").json()
    text = all_text(answer["blocks"])
    assert "&lt;!channel&gt;" in text
    assert "<!channel>" not in text


def test_a_request_from_another_workspace_is_answered_not_processed(bot: RunningBot):
    other = SlackRequests(bot.url, SIGNING_SECRET, team_id="T0ELSEWHERE", fake_slack=bot.slack)
    answer = other.slash_command("profile", user_id="U0ALICE")
    assert answer.status == 200
    assert answer.text == OTHER_WORKSPACE
    assert bot.slack.calls("views.open") == []
