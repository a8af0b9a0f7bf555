"""The rules a visit's dates keep, each written once as a function of plain values.

The matcher (compiled into week masks in `bot/matching/index.py`, tested equal to these), the
apply form's suggestion and validation, date changes, the home lead's consent, extensions and
every round mode answer the same questions here:

- hard rules (an inline error, nobody can agree past them): the visit starts after today and lies
  inside the opening's window; the opening takes applications (open, a seat left, before its
  apply-by day); a visit ends on the last working day of its last week;
- soft rules (the decider is warned and must give a reason to agree): no working day of the visit
  falls in a blackout of either team; the home team's people-away cap holds on every working day
  of the visit; the host's `visitors_per_quarter` and `rest_days` hold;
- a preference (only the suggestion follows it): start with a host sprint, else on a Monday.

Rest days are counted in whole working weeks, as the matcher's week masks do: a new visit may not
share a working week with another visit at the host widened by the rest days on both sides.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.calendar import Period, SprintCadence

SATURDAY = 5


# --- the visit's days (hard) ---------------------------------------------------------------------


def last_working_day(day: date) -> date:
    """`day`, or the Friday before it when it falls on a weekend."""
    return day - timedelta(days=max(day.weekday() - SATURDAY + 1, 0))


def visit_period(start: date, weeks: int) -> Period:
    """A visit of `weeks` weeks from `start`: it ends on the last working day of its last week."""
    return Period(start, last_working_day(start + timedelta(weeks=weeks, days=-1)))


def working_weeks(period: Period) -> range:
    """Absolute weeks (counted from Monday 1 Jan 0001) with a working day inside `period`."""
    return range((period.start.toordinal() + 1) // 7, (period.end.toordinal() - 1) // 7 + 1)


def has_working_day(period: Period) -> bool:
    return len(working_weeks(period)) > 0


def window_error(start: date | None, weeks: int, window: Period, today: date) -> str | None:
    """What is wrong with a first day (hard): it must come after today and the whole visit must
    lie inside the opening's window. None when it is fine."""
    if start is None:
        return "Pick the day you would start."
    if start <= today:
        return "Pick a day after today."
    if not window.contains(start) or not window.contains(visit_period(start, weeks).end):
        return (
            f"The {weeks}-week visit must fit between {window.start:%-d %b} and "
            f"{window.end:%-d %b}: start between {window.start:%-d %b} and "
            f"{latest_start(window, weeks):%-d %b %Y}."
        )
    return None


def latest_start(window: Period, weeks: int) -> date:
    """The last first day of a visit of `weeks` that still ends inside `window`."""
    # A visit whose whole weeks end on the weekend after the window's last Friday ends that Friday.
    friday_grace = max(SATURDAY + 1 - window.end.weekday(), 0) if window.end.weekday() >= 4 else 0
    return window.end + timedelta(days=friday_grace) - timedelta(weeks=weeks, days=-1)


def closed_for_applications(
    *, is_open: bool, seats_left: int, apply_by: date | None, today: date
) -> str | None:
    """Why an opening takes no application now (hard), or None."""
    if not is_open or seats_left <= 0:
        return "This opening is no longer taking visitors. See `/tourism openings` for open ones."
    if apply_by is not None and apply_by < today:
        return f"Applications for this opening closed on {apply_by:%-d %b %Y}."
    return None


# --- blackouts and limits (soft) --------------------------------------------------------------


def blackout_conflicts(visit: Period, blackouts: Sequence[Period]) -> tuple[Period, ...]:
    """The blackouts a working day of the visit falls in: nobody leaves, arrives or is away then."""
    return tuple(
        b
        for b in blackouts
        if b.overlaps(visit)
        and has_working_day(Period(max(b.start, visit.start), min(b.end, visit.end)))
    )


def most_away_on_one_day(visit: Period, absences: Sequence[Period]) -> int:
    """The most of a team's other absences that fall on one working day of the visit (nobody is
    missed at work on a weekend, and the calendar-aware round counts working weeks)."""
    overlapping = [absence for absence in absences if absence.overlaps(visit)]
    return max(
        (sum(a.contains(day) for a in overlapping) for day in _working_days(visit)), default=0
    )


def quarter(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3


def quarter_full(start: date, hosted_starts: Sequence[date], per_quarter: int | None) -> bool:
    """Has the host already taken `per_quarter` visitors starting in the quarter of `start`?"""
    if per_quarter is None:
        return False
    return sum(quarter(s) == quarter(start) for s in hosted_starts) >= per_quarter


def rest_conflicts(visit: Period, hosted: Sequence[Period], rest_days: int) -> tuple[Period, ...]:
    """The host's other visits too close to this one for its rest days between visitors."""
    if rest_days <= 0:
        return ()
    weeks = set(working_weeks(visit))
    rest = timedelta(days=rest_days)
    return tuple(
        other
        for other in hosted
        if weeks.intersection(working_weeks(Period(other.start - rest, other.end + rest)))
    )


@dataclass(frozen=True)
class HostCalendar:
    """What the host team's side of the rules needs: its blackouts, limits and the visits it
    hosts besides the one being checked."""

    blackouts: tuple[Period, ...] = ()
    visitors_per_quarter: int | None = None
    rest_days: int = 0
    hosted: tuple[Period, ...] = ()
    sprints: SprintCadence | None = None


def host_warnings(visit: Period, host: HostCalendar) -> tuple[str, ...]:
    """The host's soft rules the visit breaks, as sentences for the host lead."""
    warnings = []
    if conflicts := blackout_conflicts(visit, host.blackouts):
        warnings.append(f"it falls in the host team's blackout {periods_text(conflicts)}")
    if quarter_full(visit.start, [p.start for p in host.hosted], host.visitors_per_quarter):
        limit = host.visitors_per_quarter
        warnings.append(
            f"the host team takes at most {limit} visitor{'s' if limit != 1 else ''} a quarter "
            "and that quarter is full"
        )
    if conflicts := rest_conflicts(visit, host.hosted, host.rest_days):
        warnings.append(
            f"the host team wants {host.rest_days} days of rest between visitors and another "
            f"visit runs {periods_text(conflicts)}"
        )
    return tuple(warnings)


def periods_text(periods: Sequence[Period]) -> str:
    return ", ".join(f"{p.start:%-d %b}–{p.end:%-d %b}" for p in periods)


@dataclass(frozen=True)
class AbsenceCheck:
    """What agreeing to a visit costs the home team (its soft rules)."""

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


def check_absence(
    visit: Period, *, absences: Sequence[Period], cap: int, blackouts: Sequence[Period]
) -> AbsenceCheck:
    return AbsenceCheck(
        visit=visit,
        away_already=most_away_on_one_day(visit, absences),
        cap=cap,
        blackout_conflicts=blackout_conflicts(visit, blackouts),
    )


def absence_warnings(absence: AbsenceCheck) -> tuple[str, ...]:
    """The home team's soft rules the visit breaks, as sentences for the home lead."""
    warnings = []
    if absence.exceeds_cap:
        warnings.append(
            f"{absence.away_already} of the team are already away then and the team allows "
            f"{absence.cap} at once"
        )
    if absence.blackout_conflicts:
        warnings.append(
            f"it falls in the home team's blackout {periods_text(absence.blackout_conflicts)}"
        )
    return tuple(warnings)


# --- the suggestion ------------------------------------------------------------------------------


def fits(visit: Period, host: HostCalendar, home_blackouts: Sequence[Period]) -> bool:
    """No soft rule of the matcher's is broken: clear of both teams' blackouts and of the host's
    limits. (The home team's cap is the home lead's call, as in the matcher's "Fits".)"""
    return not host_warnings(visit, host) and not blackout_conflicts(visit, home_blackouts)


def _working_days(period: Period) -> Iterator[date]:
    return (day for day in period.days() if day.weekday() < SATURDAY)


def suggest_start(
    *,
    window: Period,
    weeks: int,
    today: date,
    availability: Period | None = None,
    host: HostCalendar = HostCalendar(),
    home_blackouts: Sequence[Period] = (),
) -> date | None:
    """The earliest first day that keeps every rule (`fits`), inside the opening's window and the
    visitor's availability, that begins with a host sprint (else on a Monday, else on any working
    day). None when no start fits at all."""
    first = max(window.start, today + timedelta(days=1))
    last = latest_start(window, weeks)
    if availability is not None:
        first = max(first, availability.start)
        last = min(last, latest_start(availability, weeks))
    if first > last:
        return None
    candidates = [
        day
        for day in _working_days(Period(first, last))
        if fits(visit_period(day, weeks), host, home_blackouts)
    ]
    preferences = (
        lambda day: host.sprints is not None and host.sprints.starts_on(day),
        lambda day: day.weekday() == 0,
        lambda day: True,
    )
    for preferred in preferences:
        match = next((day for day in candidates if preferred(day)), None)
        if match is not None:
            return match
    return None
