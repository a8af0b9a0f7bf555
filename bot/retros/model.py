"""The end of a visit: the retro, its highlight, the share-back session and the 90-day follow-up.

A retro says what the visitor learned and what they will bring back (one action item a line,
kept for the home team), rates the visit and its length, and says whether it may be shared. A
shared retro becomes a highlight in the tourism channel; changing the retro later updates or
removes that highlight, so the channel never shows what the visitor no longer agrees to share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.forms import check_length, one_item_a_line
from bot.core.ids import parse_id
from bot.scheduling.planning import Kind, PlannedMessage, at_send_time, next_working_day

LEARNED_LIMIT = 3000
ACTION_ITEMS_LIMIT = 20
ACTION_ITEM_LENGTH = 300  # characters, inclusive
ACTION_ITEMS_TEXT_LIMIT = 3000  # what the modal's text box takes
RATINGS = range(1, 6)
FOLLOW_UP_AFTER = timedelta(days=90)


class LengthVerdict(StrEnum):
    TOO_SHORT = "too_short"
    RIGHT = "right"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class RetroInput:
    """The retro modal as submitted: text as typed, choices as their values."""

    learned: str
    bring_back: str  # one action item a line
    rating: str | None
    length: str | None
    shareable: bool


@dataclass(frozen=True)
class RetroAnswers:
    """A valid retro."""

    learned: str
    action_items: tuple[str, ...]
    rating: int
    length: LengthVerdict
    shareable: bool


@dataclass(frozen=True)
class SavedRetro:
    """A retro as kept: its answers, where its highlight is posted (None, None: nowhere), and
    which action items the 90-day follow-up says stuck."""

    workspace_id: str
    answers: RetroAnswers
    highlight_channel: str | None = None
    highlight_ts: str | None = None
    stuck: tuple[str, ...] = ()


def read_retro(form: RetroInput) -> RetroAnswers | dict[str, str]:
    """The retro, or the errors keyed by field; nothing is kept of an invalid one."""
    errors: dict[str, str] = {}
    if not form.learned:
        errors["learned"] = "Say in a few sentences what you learned: it is the heart of the retro."
    check_length(errors, "learned", form.learned, LEARNED_LIMIT)
    items = one_item_a_line(form.bring_back)
    too_long = [n for n, item in enumerate(items, start=1) if len(item) > ACTION_ITEM_LENGTH]
    if len(items) > ACTION_ITEMS_LIMIT:
        errors["bring_back"] = (
            f"At most {ACTION_ITEMS_LIMIT} items, one a line ({len(items)} given): "
            "keep the ones your team should act on first."
        )
    elif too_long:
        which = ", ".join(map(str, too_long))
        errors["bring_back"] = (
            f"Keep each item to {ACTION_ITEM_LENGTH} characters (item {which}); one item a line."
        )
    rating = parse_id(form.rating)
    if rating not in RATINGS:
        errors["rating"] = "Rate the visit from 1 (not worth it) to 5 (excellent)."
    if form.length not in tuple(LengthVerdict):
        errors["length"] = "Say whether the visit was too short, about right or too long."
    if errors:
        return errors
    assert rating is not None and form.length is not None
    return RetroAnswers(
        learned=form.learned,
        action_items=tuple(items),
        rating=rating,
        length=LengthVerdict(form.length),
        shareable=form.shareable,
    )


# --- the highlight in the tourism channel ------------------------------------------------------


class HighlightStep(StrEnum):
    NONE = "none"
    POST = "post"
    UPDATE = "update"
    REMOVE = "remove"  # consent withdrawn: the posted highlight goes
    NOT_CONFIGURED = "not_configured"  # consent given, but there is no channel to post in


def highlight_step(*, shareable: bool, posted: bool, channel_configured: bool) -> HighlightStep:
    """What the channel should show after a retro is saved: only what the visitor consented to."""
    if not shareable:
        return HighlightStep.REMOVE if posted else HighlightStep.NONE
    if posted:
        return HighlightStep.UPDATE
    return HighlightStep.POST if channel_configured else HighlightStep.NOT_CONFIGURED


# --- the share-back session ---------------------------------------------------------------------


@dataclass(frozen=True)
class ShareBackRecord:
    """What the visitor said of their share-back: done, or a session booked (or neither yet)."""

    done: bool = False
    session_on: date | None = None
    session_channel: str | None = None


def validate_session(day: date | None, channel: str | None, today: date) -> dict[str, str]:
    errors = {}
    if day is None:
        errors["day"] = "Pick the day of the session."
    elif day < today:
        errors["day"] = "Pick today or a day ahead: that day has passed."
    if not channel:
        errors["channel"] = "Pick the channel where your team should hear about it."
    return errors


# --- the 90-day follow-up -----------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    """Who is asked, about which visit and which action items."""

    tour_id: int
    visitor: str
    host_team: str
    opening_title: str
    starts_on: date
    ends_on: date
    action_items: tuple[str, ...]

    def payload(self) -> dict[str, Any]:
        return {
            "tour_id": self.tour_id,
            "visitor": self.visitor,
            "host_team": self.host_team,
            "opening_title": self.opening_title,
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "action_items": list(self.action_items),
        }


def follow_up_key(tour_id: int) -> str:
    return f"tour:{tour_id}:retro_follow_up"


def plan_follow_up(follow_up: FollowUp, zone: ZoneInfo) -> PlannedMessage:
    """90 days after the return, at 10:00 on a working day where the visitor is."""
    day = next_working_day(follow_up.ends_on + FOLLOW_UP_AFTER)
    return PlannedMessage(
        unique_key=follow_up_key(follow_up.tour_id),
        kind=Kind.RETRO,  # like the retro prompt: still worth sending when late
        recipient=follow_up.visitor,
        due_at=at_send_time(day, zone),
        content_key="retro_follow_up",
        payload=follow_up.payload(),
        tour_id=follow_up.tour_id,
    )


def bring_back_key(tour_id: int, lead: str) -> str:
    return f"tour:{tour_id}:retro_bring_back:{lead}"


def plan_bring_back(
    follow_up: FollowUp, home_leads: tuple[str, ...], now: datetime
) -> list[PlannedMessage]:
    """What the visitor will bring back, shared with their home team's leads at once: the team
    that paid for the visit in lost output hears what it gets in return."""
    return [
        PlannedMessage(
            unique_key=bring_back_key(follow_up.tour_id, lead),
            kind=Kind.HOME_NEWS,
            recipient=lead,
            due_at=now,
            content_key="retro_bring_back",
            payload=follow_up.payload(),
            tour_id=follow_up.tour_id,
        )
        for lead in home_leads
        if lead != follow_up.visitor
    ]


def mark_stuck(items: tuple[str, ...], stuck: tuple[str, ...], index: int) -> tuple[str, ...]:
    """The stuck items once item `index` is added, in the order of the items."""
    if not 0 <= index < len(items):
        return stuck
    chosen = {*stuck, items[index]}
    return tuple(item for item in items if item in chosen)
