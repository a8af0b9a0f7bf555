"""Ids in button values and `private_metadata` come back from the client, and anyone can send
any: a forged one (too big for the database, not digits, superscript digits) is answered like a
button that is no longer valid, never with an error page."""

from __future__ import annotations

import json

import pytest

from bot.applications import views as application_views
from bot.openings.views import APPLY, HOST_CALLBACK
from infra.fake_slack.requests import plain
from tests.conftest import ORGANISER, RunningBot
from tests.support.seed import seed_workspace

ALICE = "U0ALICE"
HUGE = "9" * 30
FORGED = [HUGE, "²", "-1", "1e3", " 7"]


@pytest.fixture(autouse=True)
def registered_workspace(bot: RunningBot) -> None:
    with bot.deps.uow() as uow:
        seed_workspace(uow)
        uow.commit()


def inline_errors(response) -> str:
    assert response.status == 200
    answer = response.json()
    assert answer["response_action"] in ("errors", "update")
    if answer["response_action"] == "errors":
        return " ".join(answer["errors"].values())
    return json.dumps(answer["view"]["blocks"])


@pytest.mark.parametrize("forged", FORGED)
def test_an_opening_form_with_a_forged_id_says_the_opening_is_gone(bot: RunningBot, forged: str):
    response = bot.requests.view_submission(
        user_id=ORGANISER,
        callback_id=HOST_CALLBACK,
        values={"title": {"title": plain("Search ranking")}},
        private_metadata=forged,
    )
    assert "no longer exists" in inline_errors(response)


def test_a_team_form_with_a_forged_id_says_the_team_is_gone(bot: RunningBot):
    response = bot.requests.view_submission(
        user_id=ORGANISER,
        callback_id="team_form",
        values={"name": {"name": plain("Search")}},
        private_metadata=json.dumps({"team_id": int(HUGE)}),
    )
    assert "removed from the directory" in inline_errors(response)


@pytest.mark.parametrize("forged", FORGED)
def test_a_workflow_form_with_a_forged_id_is_refused(bot: RunningBot, forged: str):
    response = bot.requests.view_submission(
        user_id=ALICE,
        callback_id=application_views.WITHDRAW_MODAL,
        values={"reason": {"reason": plain("Plans changed")}},
        private_metadata=forged,
    )
    assert response.status == 200
    assert response.json()["response_action"] == "update"


@pytest.mark.parametrize(
    "action_id", [application_views.HOST_ACCEPT, application_views.WITHDRAW, APPLY]
)
def test_a_button_with_a_forged_id_is_answered_as_no_longer_valid(bot: RunningBot, action_id: str):
    response = bot.requests.block_action(user_id=ALICE, action_id=action_id, value=HUGE)
    assert response.status == 200
    [answer] = bot.slack.wait_for("response_url")
    assert answer.params["response_type"] == "ephemeral"
    assert answer.params["text"]
