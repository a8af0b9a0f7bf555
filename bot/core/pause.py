"""Pausing: one rule for the profile form's "open to a visit" checkbox and pause date and for
`/tourism pause [until DATE]` and `/tourism resume`.

Both write the same two values kept on the person: `looking` (False: paused until they resume)
and `paused_until` (a dated pause, over by itself on that day by the business clock). A paused
person is never suggested, never a candidate, never in a round and never invited; a visit of
theirs that is booked or under way goes on as planned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_MONTH = r"(?P<month>[a-z]+)\.?"
_YEAR = r"(?:\s+(?P<year>\d{4}))?"
_DAY_MONTH = re.compile(rf"{_DAY}\s+{_MONTH}{_YEAR}")
_MONTH_DAY = re.compile(rf"{_MONTH}\s+{_DAY}{_YEAR}")


def pause_running(paused_until: date | None, today: date) -> bool:
    """A dated pause holds until the day before `paused_until`."""
    return paused_until is not None and today < paused_until


def paused_on(*, looking: bool, paused_until: date | None, today: date) -> bool:
    return not looking or pause_running(paused_until, today)


@dataclass(frozen=True)
class PauseState:
    """What pausing or resuming stores: the form's checkbox and its date, set together."""

    looking: bool
    paused_until: date | None


def pause_state(until: date | None) -> PauseState:
    """`/tourism pause` (no date: until they resume) or `/tourism pause until DATE`."""
    return PauseState(looking=until is not None, paused_until=until)


RESUMED = PauseState(looking=True, paused_until=None)


class PauseProblem(StrEnum):
    NO_DATE = "no_date"  # "until" and nothing after it
    NOT_A_DATE = "not_a_date"
    NOT_AHEAD = "not_ahead"  # today or a day that has passed


@dataclass(frozen=True)
class UnreadablePause:
    problem: PauseProblem
    typed: str = ""  # what the person typed as the date, for the answer to quote


def read_pause_args(args: str, today: date) -> PauseState | UnreadablePause:
    """What follows `/tourism pause`: nothing, or `[until] DATE` after today."""
    words = args.split()
    if words and words[0].lower() == "until":
        words = words[1:]
        if not words:
            return UnreadablePause(PauseProblem.NO_DATE)
    if not words:
        return pause_state(None)
    typed = " ".join(words)
    until = read_day(typed, today)
    if until is None:
        return UnreadablePause(PauseProblem.NOT_A_DATE, typed)
    if until <= today:
        return UnreadablePause(PauseProblem.NOT_AHEAD, typed)
    return pause_state(until)


def read_day(text: str, today: date) -> date | None:
    """A day as people type it: 2027-01-15, 15 Jan, Jan 15, 15th January 2027. Without a year,
    the next such day from today on. None when it is not a day."""
    text = " ".join(text.lower().replace(",", " ").split())
    if iso := _ISO.fullmatch(text):
        return _day(int(iso["year"]), int(iso["month"]), int(iso["day"]))
    named = _DAY_MONTH.fullmatch(text) or _MONTH_DAY.fullmatch(text)
    if named is None or named["month"] not in MONTHS:
        return None
    month, day = MONTHS[named["month"]], int(named["day"])
    if named["year"]:
        return _day(int(named["year"]), month, day)
    this_year = _day(today.year, month, day)
    if this_year is not None and this_year >= today:
        return this_year
    return _day(today.year + 1, month, day)


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
