"""`/tourism forget-me`: what would be removed, the confirmation, and what was."""

from __future__ import annotations

from typing import Any

from bot.core.blocks import actions, button, context, section
from bot.core.words import counted
from bot.forgetting.model import PersonalData, removal_lines

FORGET_ME_CONFIRM = "forget_me_confirm"
FORGET_ME_CANCEL = "forget_me_cancel"
FORGET_ME_USAGE = "Usage: `/tourism forget-me` (nothing after it)."
NOTHING_STORED = "I keep nothing about you: there is nothing to forget."
KEPT = "Nothing was removed; your profile and visits are as they were."


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def _visits_kept(data: PersonalData) -> str:
    if not data.visits:
        return "Messages I already sent stay in Slack."
    return (
        f"Your {counted(data.visits, 'visit')} stay{'s' if data.visits == 1 else ''} in the "
        "programme's numbers without your name: the teams, the dates and the retro rating. "
        "Messages I already sent stay in Slack."
    )


def forget_me_confirmation(data: PersonalData) -> dict[str, Any]:
    """The ephemeral question, naming exactly what goes, with the two answers."""
    text = "*Forget me?* This removes, for good:\n" + _bullets(removal_lines(data))
    return {
        "text": "Forget me? This removes your data for good.",
        "blocks": [
            section(text),
            context(_visits_kept(data)),
            actions(
                button("Forget me", FORGET_ME_CONFIRM, style="danger"),
                button("Keep my data", FORGET_ME_CANCEL),
            ),
        ],
    }


def forgotten_text(removed: PersonalData) -> str:
    if removed.nothing:
        return NOTHING_STORED
    return (
        "Done: I removed "
        + "; ".join(removal_lines(removed))
        + ". "
        + _visits_kept(removed)
        + " Using the bot again starts afresh."
    )
