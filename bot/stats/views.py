"""`/tourism stats` and the organisers' "Programme stats" button."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.blocks import context, header, section
from bot.stats.model import ProgrammeStats

VERDICTS = {"too_short": "too short", "right": "right", "too_long": "too long"}


def _counts(counts: Mapping[str, int]) -> str:
    shown = [f"{count} {status.replace('_', ' ')}" for status, count in sorted(counts.items())]
    return ", ".join(shown) or "none yet"


def stats_message(stats: ProgrammeStats) -> dict[str, Any]:
    rating = (
        f"{stats.average_rating:.1f} / 5" if stats.average_rating is not None else "no retros yet"
    )
    verdicts = ", ".join(
        f"{stats.length_verdicts.get(key, 0)} {label}" for key, label in VERDICTS.items()
    )
    rate = stats.share_back_rate
    shared = (
        f"{stats.shared_back} ({rate:.0%} of completed visits)"
        if rate is not None
        else str(stats.shared_back)
    )
    blocks = [
        header("Team tourism in numbers"),
        section(
            f"*Teams:* {stats.teams} · *People with a profile:* {stats.people} "
            f"({stats.looking} open to a visit)\n"
            f"*Openings:* {_counts(stats.openings)}\n"
            f"*Applications:* {_counts(stats.applications)}\n"
            f"*Visits:* {_counts(stats.tours)}"
        ),
        section(
            f"*Retros:* {stats.retros} · *average rating:* {rating}\n"
            f"*Was the length right?* {verdicts}\n"
            f"*Shared back at home:* {shared}"
        ),
        context("The practice found four weeks work better than two; the length answers tell."),
    ]
    return {"text": "Team tourism in numbers", "blocks": blocks}
