"""What `tourism export` writes: the data sets, their columns, and what is left out.

People appear by their Slack member id only, never a token or a name. A retro's text (what was
learned, what to bring back, what stuck) is exported only when its author agreed to share it;
otherwise those columns are left empty. A check-in's free "Need help" text, a profile's note
and the private "might stay" flag are not exported at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any


class Dataset(StrEnum):
    VISITS = "visits"
    RETROS = "retros"
    OPENINGS = "openings"
    PEOPLE = "people"
    CHECKINS = "checkins"
    AUDIT = "audit"


class Format(StrEnum):
    CSV = "csv"
    JSON = "json"


COLUMNS: dict[Dataset, tuple[str, ...]] = {
    Dataset.VISITS: (
        "workspace_id",
        "visit_id",
        "application_id",
        "visitor_id",
        "opening_id",
        "opening_title",
        "host_team",
        "home_team",
        "buddy_id",
        "starts_on",
        "ends_on",
        "status",
        "created_at",
    ),
    Dataset.RETROS: (
        "workspace_id",
        "visit_id",
        "visitor_id",
        "rating",
        "length_verdict",
        "shareable",
        "learned",
        "bring_back",
        "stuck",
        "created_at",
    ),
    Dataset.OPENINGS: (
        "workspace_id",
        "opening_id",
        "host_team",
        "title",
        "topics",
        "hopes_to_learn",
        "weeks",
        "seats",
        "seats_taken",
        "status",
        "earliest_start",
        "latest_end",
        "work_mode",
        "expected_output",
        "buddy_id",
        "created_by",
        "created_at",
    ),
    Dataset.PEOPLE: (
        "workspace_id",
        "user_id",
        "home_team",
        "learn_topics",
        "teach_topics",
        "available_from",
        "available_until",
        "preferred_weeks",
        "work_mode",
        "city",
        "willing_to_travel",
        "looking",
        "snoozed_until",
        "updated_at",
    ),
    Dataset.CHECKINS: (
        "workspace_id",
        "visit_id",
        "visitor_id",
        "week",
        "mood",
        "meetings_share",
        "pulled_back",
        "answered_at",
    ),
    Dataset.AUDIT: ("workspace_id", "id", "at", "actor_id", "action", "subject", "detail"),
}

RETRO_TEXT = ("learned", "bring_back", "stuck")

Value = str | int | float | bool | list[Any] | dict[str, Any] | None
Row = dict[str, Value]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: list[Row]


def plain_value(value: Any) -> Value:
    """A value JSON can hold: dates and times as ISO 8601 text."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value  # type: ignore[no-any-return]


def with_consent(row: Row) -> Row:
    """A retro's row with its text left out unless its author agreed to share it."""
    if row["shareable"]:
        return row
    return {**row, **dict.fromkeys(RETRO_TEXT)}
