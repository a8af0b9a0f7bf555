"""Merging a stray topic (a typo such as "kafak", a variant spelling) into a vocabulary entry.

`/tourism topics merge kafak into kafka`: the stray is replaced by the entry wherever a profile or
an opening holds it, so matching, listings and announcements stop treating it as a topic of its
own. Only a topic outside the vocabulary can be merged, and only into a vocabulary entry.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.topics import TopicVocabulary

# "machine lerning into machine learning": topics of several words need the `into`.
_INTO = re.compile(r"(?P<stray>.+?) into(?: (?P<entry>.*))?", re.IGNORECASE)


@dataclass(frozen=True)
class Merge:
    stray: str
    entry: str


@dataclass(frozen=True)
class MergeProblem:
    """Why the typed merge cannot be done; `guesses` are vocabulary entries close to what was
    typed as the entry."""

    reason: str
    guesses: tuple[str, ...] = ()


def read_merge(typed: str, vocabulary: TopicVocabulary) -> Merge | MergeProblem:
    """ "kafak into kafka" (or two one-word topics: "kafak kafka") → the merge, or the problem."""
    stray_text, entry_text = _split(typed)
    if not stray_text or not entry_text:
        return MergeProblem("Say which topic to merge into which.")
    stray, entry = vocabulary.normalise(stray_text), vocabulary.normalise(entry_text)
    known = set(vocabulary.known_topics())
    if not stray or not entry:
        return MergeProblem("A topic needs letters or digits.")
    if stray in known:
        return MergeProblem(f"{stray} is in the topic list already: only other topics merge.")
    if entry not in known:
        return MergeProblem(
            f"{entry} is not in the topic list: merge into one of its entries.",
            vocabulary.closest(entry),
        )
    return Merge(stray, entry)


def _split(typed: str) -> tuple[str, str]:
    text = " ".join(typed.split())
    around_into = _INTO.fullmatch(text)
    if around_into:
        return around_into["stray"], around_into["entry"] or ""
    words = text.split(" ")
    return (words[0], words[1]) if len(words) == 2 else ("", "")


def merged(topics: Sequence[str], merge: Merge) -> list[str]:
    """The topics with the stray replaced by the entry, in place, each topic once."""
    return list(dict.fromkeys(merge.entry if topic == merge.stray else topic for topic in topics))


@dataclass(frozen=True)
class MergeCounts:
    profiles: int = 0
    openings: int = 0

    @property
    def total(self) -> int:
        return self.profiles + self.openings
