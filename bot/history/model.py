"""A visit's history: the state changes the audit log recorded, who may read them, and pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

PAGE_SIZE = 40  # entries per message: one section each, within Slack's 50 blocks


class Record(StrEnum):
    """What changed: the visit-level records whose states are history."""

    APPLICATION = "application"
    TOUR = "tour"
    EXTENSION = "extension"
    CARD_CONFIRMATION = "card_confirmation"
    OPENING = "opening"


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any  # None when the record was created
    after: Any


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor_id: str | None  # None: the bot itself (the scheduler moving a visit along by date)
    record: Record
    record_id: int
    created: bool
    changes: tuple[FieldChange, ...]


class Target(StrEnum):
    APPLICATION = "application"
    VISIT = "visit"


@dataclass(frozen=True)
class HistoryRef:
    """`/tourism history 12` (an application), `history application 12` or `history visit 5`."""

    target: Target
    id: int


def parse_history_ref(args: tuple[str, ...]) -> HistoryRef | None:
    """None when the words name no application or visit."""
    words = [word.lower() for word in args]
    target = Target.APPLICATION
    if len(words) == 2 and words[0] in tuple(Target):
        target = Target(words[0])
        words = words[1:]
    if len(words) != 1 or not words[0].isascii() or not words[0].isdigit() or len(words[0]) > 9:
        return None
    return HistoryRef(target, int(words[0]))


@dataclass(frozen=True)
class HistoryVisit:
    """The visit a history is of: an application, and the tour it became (if it did)."""

    application_id: int
    tour_id: int | None
    visitor_id: str
    opening_title: str
    host_lead_ids: tuple[str, ...]
    home_lead_ids: tuple[str, ...]  # the visitor's home team's

    def subjects(self) -> list[str]:
        """What its history entries are recorded about."""
        tour = [f"tour:{self.tour_id}"] if self.tour_id is not None else []
        return [f"application:{self.application_id}", *tour]


def may_see_history(user_id: str, visit: HistoryVisit, organisers: frozenset[str]) -> bool:
    """The visitor, the two teams' leads and the organisers; not the buddy, not anyone else."""
    return (
        user_id == visit.visitor_id
        or user_id in visit.host_lead_ids
        or user_id in visit.home_lead_ids
        or user_id in organisers
    )


@dataclass(frozen=True)
class HistoryPage:
    entries: tuple[HistoryEntry, ...]
    page: int  # 0 is the latest entries; higher pages are earlier
    earlier: bool  # an earlier page exists
    later: bool  # a later page exists


def history_page(entries: list[HistoryEntry], page: int) -> HistoryPage:
    """Page `page` counted back from the latest entries, each page oldest first."""
    pages = max((len(entries) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(page, 0), pages - 1)
    end = len(entries) - page * PAGE_SIZE
    start = max(end - PAGE_SIZE, 0)
    return HistoryPage(tuple(entries[start:end]), page, earlier=start > 0, later=page > 0)
