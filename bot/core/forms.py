"""Checks shared by every form people fill in (profile, opening, team): errors keyed by field."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.topics import TopicVocabulary

MAX_TOPICS = 20
TOPIC_LENGTH_LIMIT = 75  # a topic must fit a Slack menu option


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


def check_length(errors: dict[str, str], name: str, text: str, limit: int) -> None:
    if len(text) > limit and name not in errors:
        errors[name] = f"Keep it to {limit} characters (this is {len(text)})."


def one_item_a_line(text: str) -> list[str]:
    """The items of a text box that takes one a line (links, action items): each line stripped,
    blank lines skipped."""
    return [line.strip() for line in text.splitlines() if line.strip()]
