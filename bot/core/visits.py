"""A visit (a tour) and who is who in it, as the messages during and after it need them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class TourStatus(StrEnum):
    """A visit's life as the tours table keeps it."""

    SCHEDULED = "scheduled"
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# Scheduled or under way: a cancelled or completed tour has nothing left to send.
LIVE_TOUR_STATUSES = frozenset({TourStatus.SCHEDULED, TourStatus.ACTIVE})


@dataclass(frozen=True)
class TourVisit:
    """A tour with its visitor, opening, host team and home team (none for a visitor without
    one). Leads are Slack user ids, sorted."""

    tour_id: int
    status: TourStatus
    starts_on: date
    ends_on: date
    buddy: str | None
    visitor: str
    visitor_timezone: str | None
    opening_title: str
    host_team: str
    host_leads: tuple[str, ...] = ()
    home_team: str | None = None
    home_channel: str | None = None
    home_leads: tuple[str, ...] = ()
