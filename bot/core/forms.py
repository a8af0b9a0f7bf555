"""Checks shared by every form people fill in (profile, opening, team): errors keyed by field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.topics import TopicVocabulary

MAX_TOPICS = 20
TOPIC_LENGTH_LIMIT = 75  # a topic must fit a Slack menu option
NEW_TOPICS = "new_topics"  # the checkbox block saying the typed topics the menu lacks are new
NEW_TOPICS_LABEL = "These are new topics"
NEW_TOPICS_YES = "yes"  # the checkbox's value
_NAMED_UNKNOWN = 3  # how many unknown topics one error names


@dataclass(frozen=True)
class TopicCheck:
    """What checking typed topics needs: the vocabulary, and whether the person ticked
    "These are new topics" (they then keep what they typed as it is)."""

    vocabulary: TopicVocabulary
    confirmed_new: bool = False


def picked_topics(
    vocabulary: TopicVocabulary, picked: Iterable[str], typed: str
) -> tuple[str, ...]:
    """Topics picked from the menu plus those typed comma-separated, normalised, each once."""
    return vocabulary.normalise_all((*picked, *vocabulary.parse_free_text(typed)))


def check_topics(
    errors: dict[str, str], name: str, topics: tuple[str, ...], *, required: bool
) -> None:
    if required and not topics:
        errors[name] = "Pick at least one topic, or type one in the box below."
    elif len(topics) > MAX_TOPICS:
        errors[name] = (
            f"That is {len(topics)} topics with the ones typed below: keep it to {MAX_TOPICS}."
        )
    elif any(len(topic) > TOPIC_LENGTH_LIMIT for topic in topics):
        errors[name] = (
            f"A topic is a few words ({TOPIC_LENGTH_LIMIT} characters at most); "
            "separate topics with commas."
        )


def check_new_topics(
    errors: dict[str, str],
    name: str,
    topics: tuple[str, ...],
    check: TopicCheck,
    *,
    kept: Iterable[str] = (),
) -> None:
    """A topic the vocabulary lacks, not `kept` from before, needs the person's word that it is
    new: saved silently, a typo ("kafak") is published and matched as a topic of its own. The
    error sits under the box it was typed in and offers the closest entries."""
    if check.confirmed_new or name in errors:
        return
    known = {*check.vocabulary.known_topics(), *kept}
    unknown = [topic for topic in topics if topic not in known]
    if not unknown:
        return
    named = ", ".join(_with_guess(topic, check.vocabulary) for topic in unknown[:_NAMED_UNKNOWN])
    more = len(unknown) - _NAMED_UNKNOWN
    listed = f"{named} and {more} more" if more > 0 else named
    errors[f"{name}_other"] = (
        f"Not in the topic list: {listed}. Pick the right ones in the menu above, or tick "
        f"“{NEW_TOPICS_LABEL}” below to keep them as typed."
    )


def _with_guess(topic: str, vocabulary: TopicVocabulary) -> str:
    guesses = vocabulary.closest(topic)
    return f"{topic} (did you mean {' or '.join(guesses)}?)" if guesses else topic


def check_length(errors: dict[str, str], name: str, text: str, limit: int) -> None:
    if len(text) > limit and name not in errors:
        errors[name] = f"Keep it to {limit} characters (this is {len(text)})."


def one_item_a_line(text: str) -> list[str]:
    """The items of a text box that takes one a line (links, action items): each line stripped,
    blank lines skipped."""
    return [line.strip() for line in text.splitlines() if line.strip()]
