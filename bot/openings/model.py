"""A host team's opening: what a lead submits, what is saved, and the rules both must keep.

Validation returns {field: message} keyed by the draft's field names, which are also the modal's
block ids, so every problem shows next to the input it is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from bot.core.calendar import Period
from bot.core.forms import check_length, check_topics
from bot.core.topics import TopicVocabulary
from bot.core.user_text import match_key
from bot.core.words import counted

TITLE_LIMIT = 150
DESCRIPTION_LIMIT = 3000
FIRST_DAY_KIT_LIMIT = 1000
MIN_WEEKS, MAX_WEEKS, DEFAULT_WEEKS = 1, 8, 4
MIN_SEATS, MAX_SEATS = 1, 10
_USER_ID_PATTERN = re.compile(r"^[UW][A-Z0-9]{2,}$")


class ExpectedOutput(StrEnum):
    LEARNING = "learning"
    DELIVERABLE = "deliverable"


class WorkMode(StrEnum):
    ONSITE = "onsite"
    REMOTE = "remote"
    HYBRID = "hybrid"


class Status(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    FILLED = "filled"


@dataclass(frozen=True)
class OpeningDraft:
    """What a lead submits in the opening modal (None: left empty or not a valid value)."""

    team_id: int | None = None
    title: str = ""
    description: str = ""
    topics: tuple[str, ...] = ()
    hopes_to_learn: tuple[str, ...] = ()
    expected_output: str = ExpectedOutput.LEARNING
    earliest_start: date | None = None
    latest_end: date | None = None
    weeks: int | None = DEFAULT_WEEKS
    seats: int | None = MIN_SEATS
    buddy_user_id: str | None = None
    work_mode: str = WorkMode.HYBRID
    first_day_kit: str = ""
    apply_by: date | None = None
    announce: bool = True


@dataclass(frozen=True)
class Announcement:
    """Where an opening was posted, so later changes can update that message."""

    channel_id: str
    ts: str


@dataclass(frozen=True)
class PostedOpening:
    """A saved opening with what listing it needs: its team's name and leads, seats, status."""

    id: int
    workspace_id: str
    team_name: str
    team_lead_ids: tuple[str, ...]
    draft: OpeningDraft
    status: str
    seats_taken: int
    created_by: str
    announcement: Announcement | None

    @property
    def title(self) -> str:
        return self.draft.title

    @property
    def seats_left(self) -> int:
        return max((self.draft.seats or 0) - self.seats_taken, 0)

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def contacts(self) -> tuple[str, ...]:
        """Who a would-be visitor can talk to: the team's leads, else whoever posted it."""
        return self.team_lead_ids or (self.created_by,)


def clean_title(title: str) -> str:
    """Spacing folded, so "Search  ranking " and "Search ranking" are the same opening."""
    return " ".join(title.split())


def same_title(first: str, second: str) -> bool:
    return match_key(first) == match_key(second)


class Window(Protocol):
    """The dates that decide until when an opening takes applications."""

    @property
    def latest_end(self) -> date | None: ...

    @property
    def weeks(self) -> int | None: ...

    @property
    def apply_by(self) -> date | None: ...


@dataclass(frozen=True)
class ListedOpening:
    """What a list of openings needs of each open one to filter and page them (the page's own
    openings are then read in full): one light row instead of a whole opening."""

    id: int
    team_id: int
    topics: tuple[str, ...]  # empty unless read for a topic filter
    latest_end: date | None
    weeks: int | None
    apply_by: date | None

    def expired(self, today: date) -> bool:
        last_day = last_day_to_apply(self)
        return last_day is not None and last_day < today


def latest_start(draft: Window) -> date | None:
    """The last day a visit of the opening's length can start and still end within the window."""
    if draft.latest_end is None or draft.weeks is None:
        return None
    return draft.latest_end - timedelta(weeks=draft.weeks) + timedelta(days=1)


def last_day_to_apply(draft: Window) -> date | None:
    """The apply-by date, or without one the latest start that still fits."""
    return draft.apply_by or latest_start(draft)


def is_expired(opening: PostedOpening, today: date) -> bool:
    """An open opening whose last day to apply has passed closes itself."""
    last_day = last_day_to_apply(opening.draft)
    return opening.is_open and last_day is not None and last_day < today


def lists_topic(topics: Iterable[str], topic: str, vocabulary: TopicVocabulary) -> bool:
    """`topics` include the topic (normalised) or one related to it; no topic: any do."""
    wanted = vocabulary.normalise(topic)
    if not wanted:
        return True
    accepted = {wanted, *vocabulary.related(wanted)}
    return not accepted.isdisjoint(topics)


def validate_opening(
    draft: OpeningDraft,
    *,
    today: date,
    team_ids_allowed: Iterable[int] | None,
    title_taken: bool,
    saved: PostedOpening | None = None,
) -> dict[str, str]:
    """Every problem with a submitted opening; empty when it can be saved.

    `team_ids_allowed` are the teams the submitter may post for (None: any, for organisers);
    `title_taken` says whether another open opening of the team has the same title; `saved` is
    the opening being edited, whose unchanged dates may lie in the past by now.
    """
    errors: dict[str, str] = {}
    if draft.team_id is None:
        errors["team"] = "Pick the team that hosts the visitor."
    elif team_ids_allowed is not None and draft.team_id not in set(team_ids_allowed):
        errors["team"] = (
            "You do not lead this team: only its leads or an organiser can post for it."
        )
    _check_title(errors, draft, title_taken)
    if not draft.description.strip():
        errors["description"] = "Say what the visitor will work on."
    check_length(errors, "description", draft.description, DESCRIPTION_LIMIT)
    check_topics(errors, "topics", draft.topics, required=True)
    check_topics(errors, "hopes_to_learn", draft.hopes_to_learn, required=False)
    if draft.expected_output not in set(ExpectedOutput):
        errors["expected_output"] = "Pick learning only or a small deliverable."
    _check_dates(errors, draft, today, saved)
    _check_seats(errors, draft, saved)
    if draft.buddy_user_id is not None and not _USER_ID_PATTERN.fullmatch(draft.buddy_user_id):
        errors["buddy"] = "Pick the buddy from the list of people."
    if draft.work_mode not in set(WorkMode):
        errors["work_mode"] = "Pick on-site, remote or hybrid."
    check_length(errors, "first_day_kit", draft.first_day_kit, FIRST_DAY_KIT_LIMIT)
    return errors


def _check_title(errors: dict[str, str], draft: OpeningDraft, title_taken: bool) -> None:
    title = clean_title(draft.title)
    if not title:
        errors["title"] = "Give the opening a title."
    elif len(title) > TITLE_LIMIT:
        errors["title"] = f"Keep it to {TITLE_LIMIT} characters (this is {len(title)})."
    elif title_taken:
        errors["title"] = (
            "This team already has an open opening with this title: edit that one "
            "(`/tourism openings mine`) or pick another title."
        )


def _in_the_past(day: date | None, today: date, saved_day: date | None) -> bool:
    # An edit may keep a date that has passed since the opening was posted.
    return day is not None and day < today and day != saved_day


def _check_dates(
    errors: dict[str, str], draft: OpeningDraft, today: date, saved: PostedOpening | None
) -> None:
    before = saved.draft if saved is not None else OpeningDraft()
    start, end, weeks = draft.earliest_start, draft.latest_end, draft.weeks
    if weeks is None or not MIN_WEEKS <= weeks <= MAX_WEEKS:
        errors["weeks"] = f"Pick {MIN_WEEKS} to {MAX_WEEKS} weeks."
        weeks = None
    if start is None:
        errors["earliest_start"] = "Pick the first day a visit may start."
    elif _in_the_past(start, today, before.earliest_start):
        errors["earliest_start"] = "This date has passed: pick today or later."
    if end is None:
        errors["latest_end"] = "Pick the last day a visit may end."
    elif _in_the_past(end, today, before.latest_end):
        errors["latest_end"] = "This date has passed: pick today or later."
    elif start is not None and end < start:
        errors["latest_end"] = "The visit must end after it starts: pick a later date."
    elif start is not None and weeks is not None:
        window = Period(start, end)
        if window.length_days < 7 * weeks:
            errors["latest_end"] = (
                f"That window is {counted(window.length_days, 'day')}, shorter than a visit of "
                f"{counted(weeks, 'week')}: pick a later date or fewer weeks."
            )
    _check_apply_by(errors, draft, today, before.apply_by)


def _check_apply_by(
    errors: dict[str, str], draft: OpeningDraft, today: date, saved_apply_by: date | None
) -> None:
    apply_by = draft.apply_by
    if apply_by is None:
        return
    if _in_the_past(apply_by, today, saved_apply_by):
        errors["apply_by"] = "This date has passed: pick today or later."
        return
    last_start = latest_start(draft)
    if last_start is not None and "latest_end" not in errors and apply_by > last_start:
        errors["apply_by"] = (
            f"A visit must start by {last_start:%a} {last_start.day} {last_start:%b %Y} "
            "to fit the window: pick that day or earlier."
        )


def _check_seats(errors: dict[str, str], draft: OpeningDraft, saved: PostedOpening | None) -> None:
    seats = draft.seats
    if seats is None or not MIN_SEATS <= seats <= MAX_SEATS:
        errors["seats"] = f"Pick {MIN_SEATS} to {MAX_SEATS} seats."
    elif saved is not None and seats < saved.seats_taken:
        errors["seats"] = (
            f"{counted(saved.seats_taken, 'visitor already has', 'visitors already have')} a "
            "seat: keep at least that many."
        )
