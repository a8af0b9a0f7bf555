"""Which scheduled messages a tour needs, and when: rows for the outbox, computed, never sent here.

Personal messages go out at 10:00 in the recipient's own time zone on a working day (a weekend
date moves to Monday). The retro prompt is the exception: it belongs to the visit, so when the
last day is a weekend it goes out on the Friday before. Every message has a unique key per
(tour, kind, recipient, occurrence): planning twice yields the same keys, so re-planning is an
upsert and nothing is sent twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

SEND_AT = time(10, 0)
SATURDAY = 5
SHARE_BACK_AFTER = timedelta(weeks=1)


class Kind(StrEnum):
    KICKOFF = "kickoff"
    CHECKIN = "checkin"  # weekly, to the visitor
    MIDPOINT = "midpoint"  # once, to each host lead
    RETRO = "retro"
    SHARE_BACK = "share_back"
    DIGEST = "digest"
    NOTICE = "notice"  # to organisers or host leads when a delivery cannot be made
    ALERT = "alert"  # a check-in's call for help, or its answers worrying the organisers
    HOME_NEWS = "home_news"  # to the visitor's home leads: the visit starts, ends, brings back


# What plan_tour produces, by content key: re-planning a tour replaces these rows and no others,
# for the tour has rows of its own besides (the retro's follow-up, check-in alerts, notices).
TOUR_PLAN_CONTENT_KEYS = frozenset(
    {
        "kickoff_visitor",
        "kickoff_buddy",
        "home_visit_starts",
        "home_visit_ends",
        "checkin",
        "midpoint",
        "retro",
        "share_back",
    }
)


@dataclass(frozen=True)
class TourFacts:
    """What planning and the messages' texts need to know about one tour."""

    tour_id: int
    visitor: str
    buddy: str | None
    host_leads: tuple[str, ...]
    host_team: str
    host_channel: str | None
    home_team: str | None
    home_channel: str | None
    opening_title: str
    first_day_kit: str
    work_mode: str
    city: str | None
    starts_on: date
    ends_on: date
    home_leads: tuple[str, ...] = ()

    def payload(self) -> dict[str, Any]:
        """JSON-safe facts every message of the tour carries, rendered when it is sent."""
        return {
            "tour_id": self.tour_id,
            "visitor": self.visitor,
            "buddy": self.buddy,
            "host_leads": list(self.host_leads),
            "host_team": self.host_team,
            "host_channel": self.host_channel,
            "home_team": self.home_team,
            "home_channel": self.home_channel,
            "opening_title": self.opening_title,
            "first_day_kit": self.first_day_kit,
            "work_mode": self.work_mode,
            "city": self.city,
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
        }


@dataclass(frozen=True)
class PlannedMessage:
    """One outbox row as it should exist; `content_key` names the text bot/views/scheduled.py
    renders from the payload when the row is sent."""

    unique_key: str
    kind: Kind
    recipient: str
    due_at: datetime  # UTC
    content_key: str
    payload: dict[str, Any] = field(default_factory=dict)
    tour_id: int | None = None


@dataclass(frozen=True)
class DigestOpening:
    title: str
    host_team: str
    earliest_start: date
    latest_end: date
    weeks: int
    open_seats: int
    opening_id: int  # for its Apply button


def next_working_day(day: date) -> date:
    """The day itself on Monday to Friday; the following Monday for a Saturday or Sunday."""
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= SATURDAY else day


def last_working_day(day: date) -> date:
    """The day itself on Monday to Friday; the Friday before for a Saturday or Sunday."""
    return day - timedelta(days=day.weekday() - 4) if day.weekday() >= SATURDAY else day


def at_send_time(day: date, zone: ZoneInfo) -> datetime:
    """10:00 on `day` where the recipient is, as a UTC instant (zoneinfo applies DST)."""
    return datetime.combine(day, SEND_AT, tzinfo=zone).astimezone(UTC)


def plan_tour(
    tour: TourFacts, zones: Mapping[str, ZoneInfo], organisation_zone: ZoneInfo
) -> list[PlannedMessage]:
    """Every message the tour needs; someone without a known time zone gets the organisation's."""
    start = next_working_day(tour.starts_on)
    retro_day = max(last_working_day(tour.ends_on), start)
    planned: list[tuple[Kind, str, str, int, date, dict[str, Any]]] = [
        (Kind.KICKOFF, "kickoff_visitor", tour.visitor, 1, start, {}),
    ]
    if tour.buddy and tour.buddy != tour.visitor:
        planned.append((Kind.KICKOFF, "kickoff_buddy", tour.buddy, 1, start, {}))
    # The home team pays for the visit in lost output: its leads hear when it starts and ends.
    home_leads = [lead for lead in tour.home_leads if lead != tour.visitor]
    for lead in home_leads:
        planned.append((Kind.HOME_NEWS, "home_visit_starts", lead, 1, start, {}))
        planned.append((Kind.HOME_NEWS, "home_visit_ends", lead, 2, retro_day, {}))
    planned += [
        (Kind.CHECKIN, "checkin", tour.visitor, week, day, {"week": week})
        for week, day in enumerate(_weekly_checkin_days(tour.starts_on, retro_day), start=1)
    ]
    halfway = tour.starts_on + (tour.ends_on - tour.starts_on) // 2
    midpoint = min(next_working_day(halfway), retro_day)
    planned += [(Kind.MIDPOINT, "midpoint", lead, 1, midpoint, {}) for lead in tour.host_leads]
    planned.append((Kind.RETRO, "retro", tour.visitor, 1, retro_day, {}))
    share_back = next_working_day(tour.ends_on + SHARE_BACK_AFTER)
    planned.append((Kind.SHARE_BACK, "share_back", tour.visitor, 1, share_back, {}))

    facts = tour.payload()
    return [
        PlannedMessage(
            unique_key=f"tour:{tour.tour_id}:{kind}:{recipient}:{occurrence}",
            kind=kind,
            recipient=recipient,
            due_at=at_send_time(day, zones.get(recipient, organisation_zone)),
            content_key=content_key,
            payload=facts | extra,
            tour_id=tour.tour_id,
        )
        for kind, content_key, recipient, occurrence, day, extra in planned
    ]


def _weekly_checkin_days(starts_on: date, retro_day: date) -> list[date]:
    """A check-in on each weekly anniversary of the start, while it falls before the retro."""
    days = []
    week = 1
    while (day := next_working_day(starts_on + timedelta(weeks=week))) < retro_day:
        days.append(day)
        week += 1
    return days


def digest_week_start(now: datetime, organisation_zone: ZoneInfo) -> date:
    """The Monday of the organisation's current week."""
    today = now.astimezone(organisation_zone).date()
    return today - timedelta(days=today.weekday())


def plan_digest(
    channel: str,
    openings: Sequence[DigestOpening],
    now: datetime,
    organisation_zone: ZoneInfo,
) -> PlannedMessage | None:
    """This week's digest of open openings (Monday 10:00 organisation time), if any are open."""
    if not openings:
        return None
    monday = digest_week_start(now, organisation_zone)
    year, week, _ = monday.isocalendar()
    return PlannedMessage(
        unique_key=f"digest:{year}-W{week:02d}",
        kind=Kind.DIGEST,
        recipient=channel,
        due_at=at_send_time(monday, organisation_zone),
        content_key="digest",
        payload={
            "week_of": monday.isoformat(),
            "openings": [
                {
                    "title": opening.title,
                    "host_team": opening.host_team,
                    "earliest_start": opening.earliest_start.isoformat(),
                    "latest_end": opening.latest_end.isoformat(),
                    "weeks": opening.weeks,
                    "open_seats": opening.open_seats,
                    "opening_id": opening.opening_id,
                }
                for opening in openings
            ],
        },
    )
