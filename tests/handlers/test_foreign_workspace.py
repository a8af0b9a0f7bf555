"""Requests from another workspace, as Slack Connect sends them: the person's `team.id` is theirs
while the view says the app is installed in ours. Each kind is answered, never processed."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.home.views import PROFILE_EDIT
from bot.openings.views import SHORTCUT
from handlers.guards import OTHER_WORKSPACE
from infra.fake_slack.requests import Response, SlackRequests, plain, radio, static, users
from infra.fake_slack.requests import date as picked_date
from storage.models import Person, Team
from tests.conftest import ORGANISER, SIGNING_SECRET, RunningBot
from tests.support.seed import WORKSPACE, seed_team, seed_workspace

ALICE = "U0ALICE"
ELSEWHERE = "T0ELSEWHERE"


@pytest.fixture(autouse=True)
def registered_workspace(bot: RunningBot) -> None:
    with bot.deps.uow() as uow:
        seed_workspace(uow)
        seed_team(uow, "Search", leads=("U0LEAD",))
        uow.commit()


@pytest.fixture
def connect(bot: RunningBot) -> SlackRequests:
    """Someone of another workspace, in a channel shared with ours."""
    return SlackRequests(
        bot.url,
        SIGNING_SECRET,
        team_id=ELSEWHERE,
        fake_slack=bot.slack,
        installed_team_id=WORKSPACE,
    )


def rows(bot: RunningBot, model: type) -> int:
    with bot.deps.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def slack_calls(bot: RunningBot) -> list[str]:
    """The Web API calls made, after giving a listener that was wrongly let through (they run
    after the ack) time to make its own."""
    time.sleep(0.3)
    return [call.method for call in bot.slack.calls() if call.method != "auth.test"]


def assert_refused_modal(response: Response) -> None:
    assert response.status == 200
    answer = response.json()
    assert answer["response_action"] == "update"
    assert OTHER_WORKSPACE in answer["view"]["blocks"][0]["text"]["text"]


def test_a_profile_submitted_from_another_workspace_is_answered_not_saved(
    bot: RunningBot, connect: SlackRequests
):
    values = {
        "learn_topics": {"learn_topics": {"type": "multi_static_select", "selected_options": []}},
        "learning_goal": {"learning_goal": plain("Learn search")},
        "available_from": {"available_from": picked_date(date(2026, 12, 7))},
        "available_until": {"available_until": picked_date(date(2027, 1, 29))},
        "preferred_weeks": {"preferred_weeks": static("4")},
        "work_mode": {"work_mode": radio("either")},
    }
    response = connect.view_submission(user_id=ALICE, callback_id="profile", values=values)
    assert_refused_modal(response)
    assert rows(bot, Person) == 0


def test_a_team_submitted_from_another_workspace_is_answered_not_saved(
    bot: RunningBot, connect: SlackRequests
):
    values = {
        "name": {"name": plain("Payments")},
        "leads": {"leads": users(["U0LEAD"])},
    }
    response = connect.view_submission(user_id=ORGANISER, callback_id="team_form", values=values)
    assert_refused_modal(response)
    assert rows(bot, Team) == 1


def test_a_team_search_from_another_workspace_gets_no_options(
    bot: RunningBot, connect: SlackRequests
):
    response = connect.block_suggestion(user_id=ALICE, action_id="home_team", value="sea")
    assert response.status == 200
    assert response.json() == {"options": []}


def test_a_home_tab_button_from_another_workspace_is_not_processed(
    bot: RunningBot, connect: SlackRequests
):
    home = {
        "id": "V0HOME",
        "type": "home",
        "team_id": ELSEWHERE,
        "app_installed_team_id": WORKSPACE,
    }
    response = connect.block_action(user_id=ALICE, action_id=PROFILE_EDIT, view=home)
    assert response.status == 200
    assert response.text == OTHER_WORKSPACE
    assert slack_calls(bot) == []


def _event(connect: SlackRequests) -> Response:
    return connect.event({"type": "app_home_opened", "user": ALICE, "tab": "home"})


KINDS: dict[str, Callable[[SlackRequests], Response]] = {
    "command": lambda r: r.slash_command("profile", user_id=ALICE),
    "button in a message": lambda r: r.block_action(user_id=ALICE, action_id=PROFILE_EDIT),
    "closed modal": lambda r: r.view_closed(user_id=ALICE, callback_id="profile"),
    "shortcut": lambda r: r.shortcut(SHORTCUT, user_id=ALICE),
    "event": _event,
}


@pytest.mark.parametrize("kind", KINDS)
def test_every_other_kind_of_request_from_another_workspace_is_answered_not_processed(
    bot: RunningBot, connect: SlackRequests, kind: str
):
    response: Any = KINDS[kind](connect)
    assert response.status == 200
    assert response.text == OTHER_WORKSPACE
    assert slack_calls(bot) == []
    assert rows(bot, Person) == 0
