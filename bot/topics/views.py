"""What `/tourism topics merge` answers (ephemeral text)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.blocks import escape, user_mention
from bot.core.words import counted
from bot.topics.model import MergeCounts, MergeProblem
from bot.topics.service import Merged

USAGE = "`/tourism topics merge STRAY into TOPIC`"
EXAMPLE = "`/tourism topics merge kafak into kafka`"


def usage_text(problem: str = "") -> str:
    lines = [problem] if problem else []
    lines.append(
        f"{USAGE} (for organisers) replaces a topic outside the topic list, such as a typo, by "
        f"an entry of the list in every profile and opening, e.g. {EXAMPLE}."
    )
    return "\n".join(lines)


def problem_text(problem: MergeProblem) -> str:
    reason = escape(problem.reason)
    if problem.guesses:
        reason += f" Did you mean {' or '.join(map(escape, problem.guesses))}?"
    return usage_text(reason)


def merged_text(result: Merged) -> str:
    stray, entry = escape(result.merge.stray), escape(result.merge.entry)
    if not result.counts.total:
        return f"No profile or opening holds *{stray}*: nothing to merge."
    return f"Merged *{stray}* into *{entry}*: {_changed(result.counts)} changed."


def _changed(counts: MergeCounts) -> str:
    parts = [
        counted(number, noun)
        for number, noun in ((counts.profiles, "profile"), (counts.openings, "opening"))
        if number
    ]
    return " and ".join(parts)


def organisers_only_text(organiser_ids: Iterable[str]) -> str:
    organisers = sorted(organiser_ids)
    if not organisers:
        return (
            "Only organisers can merge topics, and none are set up yet: ask whoever runs this "
            "bot to add organisers to TOURISM_ADMINS."
        )
    return f"Only organisers can merge topics: ask {', '.join(map(user_mention, organisers))}."
