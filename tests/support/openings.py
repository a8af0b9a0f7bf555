"""Helpers for the opening tests: a valid form, its state.values, seeds, and reading answers."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from infra.fake_slack.requests import (
    checkboxes,
    multi_static,
    number,
    plain,
    radio,
    static,
    user,
)
from infra.fake_slack.requests import date as picked_date
from storage.models import Opening
from tests.conftest import RunningBot
from tests.support.seed import seed_opening, seed_team, seed_workspace, team_row

LEAD = "U0LEAD"
OTHER_LEAD = "U0OTHERLEAD"
ENGINEER = "U0ENGINEER"
BUDDY = "U0BUDDY"
ESCAPED = "&lt;!channel&gt; &amp; &lt;@U123&gt;"
HOSTILE = "<!channel> & <@U123>"

# Today is Mon 23 Nov 2026 in Europe/Warsaw (tests/conftest.py NOW).
GOOD_FORM: dict[str, Any] = {
    "team": None,  # filled in with the seeded team's id
    "title": "Tune the search ranking",
    "description": "Pair on ranking experiments and ship one behind a flag.",
    "topics": ["python", "kafka"],
    "topics_other": "",
    "hopes_to_learn": [],
    "hopes_to_learn_other": "",
    "new_topics": False,
    "expected_output": "deliverable",
    "earliest_start": date(2026, 12, 7),
    "latest_end": date(2027, 1, 29),
    "weeks": "4",
    "seats": "2",
    "buddy": BUDDY,
    "work_mode": "remote",
    "first_day_kit": "https://wiki.example.com/search/onboarding",
    "apply_by": date(2026, 12, 1),
    "announce": True,
}

_SHAPES = {
    "team": lambda v: static(None if v is None else str(v)),
    "topics": multi_static,
    "hopes_to_learn": multi_static,
    "expected_output": radio,
    "weeks": static,
    "seats": number,
    "buddy": user,
    "work_mode": radio,
    "announce": lambda v: checkboxes(["yes"] if v else []),
    "new_topics": lambda v: checkboxes(["yes"] if v else []),
    "earliest_start": picked_date,
    "latest_end": picked_date,
    "apply_by": picked_date,
}


def state_values(form: dict[str, Any]) -> dict[str, Any]:
    """The modal's state.values for `form`, shaped as Slack sends each element."""
    return {
        name: {name: _SHAPES.get(name, lambda v: plain(v or None))(value)}
        for name, value in form.items()
    }


def seed_teams(bot: RunningBot) -> dict[str, int]:
    """Search (led by LEAD) and Payments (led by OTHER_LEAD); their ids by name."""
    with bot.deps.uow() as uow:
        seed_workspace(uow)
        ids = {
            "Search": seed_team(uow, "Search", leads=(LEAD,)).id,
            "Payments": seed_team(uow, "Payments", leads=(OTHER_LEAD,)).id,
        }
        uow.commit()
    return ids


def seed_openings(bot: RunningBot, team_name: str, titles: list[str], **fields: Any) -> list[int]:
    values = {
        "earliest_start": date(2026, 12, 7),
        "latest_end": date(2027, 1, 29),
        "topics": ["python"],
    } | fields
    with bot.deps.uow() as uow:
        team = team_row(uow, team_name)
        ids = [seed_opening(uow, team, title, **values).id for title in titles]
        uow.commit()
    return ids


def submit(
    bot: RunningBot, user_id: str = LEAD, *, private_metadata: str = "", **changes: Any
) -> Any:
    return bot.requests.view_submission(
        user_id=user_id,
        callback_id="opening",
        values=state_values(GOOD_FORM | changes),
        private_metadata=private_metadata,
    )


def openings(bot: RunningBot) -> list[Opening]:
    with bot.deps.uow() as uow:
        found = list(uow.session.scalars(select(Opening).order_by(Opening.id)))
        uow.session.expunge_all()  # readable after the unit of work closes
        return found


def block_text(blocks: list[dict[str, Any]]) -> str:
    parts = []
    for block in blocks:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        parts.extend(
            element.get("text", "") if isinstance(element.get("text"), str) else ""
            for element in block.get("elements", [])
        )
    return "\n".join(parts)


def saved_view_text(response: Any) -> str:
    """What the opening form says once saved: it turns into its result (not a DM)."""
    answer = response.json()
    assert answer["response_action"] == "update", answer
    assert answer["view"]["title"]["text"] in ("Opening posted", "Opening saved")
    return block_text(answer["view"]["blocks"])


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        element for block in blocks if block["type"] == "actions" for element in block["elements"]
    ]


def dms(bot: RunningBot, user_id: str) -> list[str]:
    """Texts of the direct messages the bot sent `user_id`."""
    return [message["text"] for message in bot.slack.messages(user_id)]
