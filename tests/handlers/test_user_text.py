"""Text people type is cleaned once on the way in: no bidi or zero-width controls, stored in NFC,
and titles and team names compared case-folded in every script."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.core.user_text import BIDI_CONTROLS, ZERO_WIDTH
from infra.fake_slack.requests import plain, users
from storage.models import Person, Team
from tests.conftest import ORGANISER, RunningBot
from tests.handlers.test_profile import GOOD_FORM as PROFILE_FORM
from tests.handlers.test_profile import state_values as profile_values
from tests.support.openings import openings, saved_view_text, seed_openings, seed_teams, submit
from tests.support.seed import seed_team, seed_workspace

SPOOFED_TITLE = "\u202eTune\u202c the se\u200barch \u2066ranking\u2069\u200f"
SPOOFERS = BIDI_CONTROLS | ZERO_WIDTH


@pytest.fixture
def teams(bot: RunningBot) -> dict[str, int]:
    return seed_teams(bot)


def spoofs(text: str) -> bool:
    return any(character in SPOOFERS for character in text)


def test_bidi_and_zero_width_characters_are_neither_stored_nor_posted(
    bot: RunningBot, teams: dict[str, int]
):
    response = submit(
        bot,
        team=teams["Search"],
        title=SPOOFED_TITLE,
        description="Pair on \u202eranking\u202c experiments\ufeff.",
        topics_other="ka\u200bfka, \u2067search",
    )
    assert response.status == 200
    [opening] = openings(bot)
    assert opening.title == "Tune the search ranking"
    assert opening.description == "Pair on ranking experiments."
    assert not any(map(spoofs, opening.topics))
    assert "Tune the search ranking" in saved_view_text(response)
    shown = [response.json()]
    shown += [call.params for call in bot.slack.calls() if call.method.startswith("chat.")]
    assert not spoofs(json.dumps(shown, ensure_ascii=False))


def test_a_title_typed_with_a_combining_accent_is_the_same_title(
    bot: RunningBot, teams: dict[str, int]
):
    assert submit(bot, team=teams["Search"], title="Café ranking").status == 200
    answer = submit(bot, team=teams["Search"], title="Cafe\u0301 ranking").json()
    assert "already has an open opening with this title" in answer["errors"]["title"]
    [opening] = openings(bot)
    assert opening.title == "Café ranking"


def test_a_title_differing_only_in_non_ascii_case_is_a_duplicate(
    bot: RunningBot, teams: dict[str, int]
):
    seed_openings(bot, "Search", ["Über streaming"])
    answer = submit(bot, team=teams["Search"], title="über STREAMING").json()
    assert "already has an open opening with this title" in answer["errors"]["title"]
    answer = submit(bot, team=teams["Search"], title="Über\u200b streaming").json()
    assert "already has an open opening with this title" in answer["errors"]["title"]


def test_a_profile_goal_is_stored_without_controls(bot: RunningBot, teams: dict[str, int]):
    form = PROFILE_FORM | {"learning_goal": "Ship \u202ea ranking\u202c change", "note": "a\u0000b"}
    response = bot.requests.view_submission(
        user_id="U0ALICE", callback_id="profile", values=profile_values(form)
    )
    assert response.status == 200
    with bot.deps.uow() as uow:
        person = uow.session.scalars(select(Person)).one()
        assert (person.learning_goal, person.note) == ("Ship a ranking change", "ab")


def team_form(name: str) -> dict[str, Any]:
    return {"name": {"name": plain(name)}, "leads": {"leads": users(["U0LEAD1"])}}


def test_a_team_name_with_hidden_characters_or_other_case_is_taken(
    bot: RunningBot, teams: dict[str, int]
):
    for name in ("Se\u200barch", "SEARCH", "\u202esearch"):
        response = bot.requests.view_submission(
            user_id=ORGANISER, callback_id="team_form", values=team_form(name)
        )
        assert "errors" in response.json(), name
    with bot.deps.uow() as uow:
        names = sorted(uow.session.scalars(select(Team.name)))
    assert names == ["Payments", "Search"]


def test_a_team_is_found_by_a_command_whatever_its_case_in_any_script(bot: RunningBot):
    with bot.deps.uow() as uow:
        seed_workspace(uow)
        seed_team(uow, "Über Data", leads=("U0LEAD1",))
        uow.commit()
    response = bot.requests.slash_command("team edit über\u200b data", user_id=ORGANISER)
    assert response.status == 200
    [opened] = bot.slack.wait_for("views.open")
    name = next(b for b in opened.params["view"]["blocks"] if b.get("block_id") == "name")
    assert name["element"]["initial_value"] == "Über Data"
