"""An engineer's tourism profile: what they want to learn and teach, when and how they can visit.

Validation returns {field: message} keyed by the profile's field names, which are also the modal's
block ids, so every problem shows next to the input it is about.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from enum import StrEnum

from bot.core.calendar import Period
from bot.core.forms import check_length, check_topics
from bot.core.words import counted

GOAL_LIMIT = 300
NOTE_LIMIT = 3000
CITY_LIMIT = 100
MIN_WEEKS, MAX_WEEKS, DEFAULT_WEEKS = 1, 8, 4


class WorkMode(StrEnum):
    ONSITE = "onsite"
    REMOTE = "remote"
    EITHER = "either"


@dataclass(frozen=True)
class Profile:
    home_team_id: int | None = None
    learn_topics: tuple[str, ...] = ()
    teach_topics: tuple[str, ...] = ()
    learning_goal: str = ""
    available_from: date | None = None
    available_until: date | None = None
    preferred_weeks: int = DEFAULT_WEEKS
    work_mode: str = WorkMode.EITHER
    city: str = ""
    willing_to_travel: bool = False
    looking: bool = True  # "open to a visit"
    snoozed_until: date | None = None
    note: str = ""


def for_editing(profile: Profile, today: date) -> Profile:
    """The saved profile as the form should offer it today.

    Available-from in the past means "from today", and a snooze that ended is no snooze: offering
    the stale dates would make an unchanged profile fail validation when it is saved again.
    """
    available_from = profile.available_from
    if available_from is not None and available_from < today:
        available_from = today
    snoozed_until = profile.snoozed_until
    if snoozed_until is not None and snoozed_until < today:
        snoozed_until = None
    return replace(profile, available_from=available_from, snoozed_until=snoozed_until)


def validate_profile(profile: Profile, *, today: date, home_team_found: bool) -> dict[str, str]:
    """Every problem with a submitted profile; empty when it can be saved.

    `home_team_found` says whether the chosen home team is in the directory (True when none is).
    """
    errors: dict[str, str] = {}
    if not home_team_found:
        errors["home_team"] = "That team is not in the directory any more: pick another."
    check_topics(errors, "learn_topics", profile.learn_topics, required=True)
    check_topics(errors, "teach_topics", profile.teach_topics, required=False)
    if not profile.learning_goal.strip():
        errors["learning_goal"] = "Say in one sentence what you would like to learn."
    check_length(errors, "learning_goal", profile.learning_goal, GOAL_LIMIT)
    _check_dates(errors, profile, today)
    if not MIN_WEEKS <= profile.preferred_weeks <= MAX_WEEKS:
        errors["preferred_weeks"] = f"Pick {MIN_WEEKS} to {MAX_WEEKS} weeks."
    if profile.work_mode not in set(WorkMode):
        errors["work_mode"] = "Pick on-site, remote or either."
    elif profile.work_mode == WorkMode.ONSITE and not profile.city.strip():
        errors["city"] = "Say which city you work from: an on-site visit needs one."
    check_length(errors, "city", profile.city, CITY_LIMIT)
    check_length(errors, "note", profile.note, NOTE_LIMIT)
    return errors


def changed_fields(before: Profile | None, after: Profile) -> list[str]:
    """Names of the fields that differ (all of them for a new profile), for the audit log."""
    return [
        field.name
        for field in fields(Profile)
        if before is None or getattr(before, field.name) != getattr(after, field.name)
    ]


def _check_dates(errors: dict[str, str], profile: Profile, today: date) -> None:
    start, end = profile.available_from, profile.available_until
    if start is not None and start < today:
        errors["available_from"] = "This date has passed: pick today or later."
    if end is not None and end < today:
        errors["available_until"] = "This date has passed: pick today or later."
    elif start is not None and end is not None and end < start:
        errors["available_until"] = "Pick a date after the one you are available from."
    elif end is not None and MIN_WEEKS <= profile.preferred_weeks <= MAX_WEEKS:
        window = Period(max(start or today, today), end)
        if window.length_days < 7 * profile.preferred_weeks:
            errors["available_until"] = (
                f"That leaves {counted(window.length_days, 'day')}, less than the "
                f"{counted(profile.preferred_weeks, 'week')} you prefer: pick a later date or "
                "fewer weeks."
            )
    if profile.snoozed_until is not None and profile.snoozed_until < today:
        errors["snoozed_until"] = "This date has passed: pick a later one, or leave it empty."
