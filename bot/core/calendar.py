"""Calendar values: periods of days and a team's sprints (the rules on them: visit_rules)."""

from __future__ import annotations

from collections.abc import Iterator
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


@dataclass(frozen=True)
class SprintCadence:
    """A team's sprints: one started on `first_start`, each lasts `weeks`."""

    first_start: date
    weeks: int

    def starts_on(self, day: date) -> bool:
        return (day - self.first_start).days % (7 * self.weeks) == 0
