"""Forgetting a person or a workspace: what goes, what stays for the programme's numbers, and the
tombstone that records it without saying who.

A forgotten person's row stays as an anonymous tombstone (its Slack id replaced by a keyed hash,
every field they filled in emptied), so the visits they made still count in the stats: a visit
keeps its teams, dates, status and retro rating; the application behind it keeps its dates and
outcome but loses its text. Everything else of theirs is deleted.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import asdict, dataclass
from enum import StrEnum

from bot.core.words import counted

# Slack ids fit in 32 characters (storage's ID_LENGTH); so does a tombstone, which no Slack id
# can be mistaken for (Slack ids are upper case).
TOMBSTONE_PREFIX = "gone-"
TOMBSTONE_LENGTH = 32


class ForgottenBy(StrEnum):
    """Who asked: recorded with the tombstone."""

    THEMSELVES = "themselves"
    ORGANISER = "organiser"
    DEACTIVATED = "deactivated_in_slack"


def tombstone_hash(workspace_id: str, user_id: str, salt: str) -> str:
    """The audit log's name for a forgotten person: HMAC-SHA256 of workspace and user with the
    server's secret salt, so the same person always gets the same tombstone (forgetting twice is
    recognisable) and nobody without the salt can tell whose it is by hashing member ids."""
    message = f"{workspace_id}:{user_id}".encode()
    return hmac.new(salt.encode(), message, hashlib.sha256).hexdigest()


def tombstone_id(workspace_id: str, user_id: str, salt: str) -> str:
    """The id a forgotten person's anonymous rows carry instead of their Slack id."""
    digest = tombstone_hash(workspace_id, user_id, salt)
    return TOMBSTONE_PREFIX + digest[: TOMBSTONE_LENGTH - len(TOMBSTONE_PREFIX)]


def is_tombstone(user_id: str) -> bool:
    return user_id.startswith(TOMBSTONE_PREFIX)


@dataclass(frozen=True)
class PersonalData:
    """How much the bot keeps about one person: what forgetting them removes, counted."""

    profile: int = 0
    applications: int = 0
    proposals: int = 0
    invitations: int = 0
    checkin_answers: int = 0
    retros: int = 0  # their text goes; the rating and the length verdict stay, anonymous
    shipped_items: int = 0
    scheduled_messages: int = 0  # not sent yet: cancelled
    visits: int = 0  # kept, anonymous, for the numbers

    @property
    def nothing(self) -> bool:
        """Nothing to remove (the visits alone are already anonymous once the profile is gone)."""
        return not any(count for name, count in asdict(self).items() if name != "visits")

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def removal_lines(data: PersonalData, whose: str = "your") -> list[str]:
    """What forgetting removes, one line per kind that has anything, in words."""
    lines = [f"{whose} profile"] if data.profile else []
    for count, words in (
        (data.applications, counted(data.applications, "application")),
        (data.proposals, counted(data.proposals, "matching proposal")),
        (data.invitations, counted(data.invitations, "invitation") + " to apply"),
        (data.checkin_answers, counted(data.checkin_answers, "check-in answer")),
        (data.retros, "the text of " + counted(data.retros, "retro")),
        (data.shipped_items, counted(data.shipped_items, "shipped item")),
        (
            data.scheduled_messages,
            counted(data.scheduled_messages, "scheduled message") + " not sent yet (cancelled)",
        ),
    ):
        if count:
            lines.append(words)
    return lines
