"""Visit dates: suggesting a start, and what an absence costs the home team."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    """Calendar days from `start` to `end`, both included."""

    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def days(self) -> Iterator[date]:
        day = self.start
        while day <= self.end:
            yield day
            day += timedelta(days=1)

    @property
    def length_days(self) -> int:
        return (self.end - self.start).days + 1


def visit_period(start: date, weeks: int) -> Period:
    return Period(start, start + timedelta(weeks=weeks) - timedelta(days=1))


@dataclass(frozen=True)
class SprintCadence:
    """A team's sprints: one started on `first_start`, each lasts `weeks`."""

    first_start: date
    weeks: int

    def starts_on(self, day: date) -> bool:
        return (day - self.first_start).days % (7 * self.weeks) == 0


def _clear_of_blackouts(visit: Period, blackouts: Sequence[Period]) -> bool:
    """Nobody leaves or arrives during a blackout: the first and last days must be outside them."""
    return not any(b.contains(visit.start) or b.contains(visit.end) for b in blackouts)


def suggest_start(
    *,
    window: Period,
    weeks: int,
    today: date,
    availability: Period | None = None,
    blackouts: Sequence[Period] = (),
    host_sprints: SprintCadence | None = None,
) -> date | None:
    """The earliest start that fits the opening's window and the visitor's availability, keeps
    clear of both teams' blackouts and begins with a host sprint (else on a Monday, else on any
    working day). None when no start fits at all."""
    first = max(window.start, today + timedelta(days=1))
    last = window.end - timedelta(weeks=weeks) + timedelta(days=1)
    if availability is not None:
        first = max(first, availability.start)
        last = min(last, availability.end - timedelta(weeks=weeks) + timedelta(days=1))
    if first > last:
        return None
    candidates = [
        day
        for day in Period(first, last).days()
        if day.weekday() < 5 and _clear_of_blackouts(visit_period(day, weeks), blackouts)
    ]
    preferences = (
        lambda day: host_sprints is not None and host_sprints.starts_on(day),
        lambda day: day.weekday() == 0,
        lambda day: True,
    )
    for preferred in preferences:
        match = next((day for day in candidates if preferred(day)), None)
        if match is not None:
            return match
    return None


@dataclass(frozen=True)
class AbsenceCheck:
    """What agreeing to a visit costs the home team."""

    visit: Period
    away_already: int  # the most teammates away on any one day of the visit
    cap: int
    blackout_conflicts: tuple[Period, ...]

    @property
    def exceeds_cap(self) -> bool:
        return self.away_already + 1 > self.cap

    @property
    def needs_override(self) -> bool:
        return self.exceeds_cap or bool(self.blackout_conflicts)


def most_away_on_one_day(visit: Period, absences: Sequence[Period]) -> int:
    overlapping = [absence for absence in absences if absence.overlaps(visit)]
    if not overlapping:
        return 0
    # The count only changes where an absence starts, so checking those days is enough.
    checkpoints = {visit.start} | {a.start for a in overlapping if visit.contains(a.start)}
    return max(sum(a.contains(day) for a in overlapping) for day in checkpoints)


def check_absence(
    visit: Period, *, absences: Sequence[Period], cap: int, blackouts: Sequence[Period]
) -> AbsenceCheck:
    return AbsenceCheck(
        visit=visit,
        away_already=most_away_on_one_day(visit, absences),
        cap=cap,
        blackout_conflicts=tuple(b for b in blackouts if b.overlaps(visit)),
    )
