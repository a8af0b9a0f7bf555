"""The App Home tab."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.views.help import INTRO, help_blocks
from bot.views.text import context, section


def home_view(user_id: str, organiser_ids: Iterable[str]) -> dict[str, Any]:
    blocks = [
        section(f"Welcome, <@{user_id}>!"),
        context(INTRO),
        *help_blocks(organiser_ids)[2:],  # the header and intro are already above
    ]
    return {"type": "home", "blocks": blocks}
