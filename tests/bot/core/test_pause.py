"""The pause rule and reading `/tourism pause [until DATE]`."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.pause import (
    RESUMED,
    PauseProblem,
    PauseState,
    UnreadablePause,
    paused_on,
    read_day,
    read_pause_args,
)

TODAY = date(2026, 12, 3)


def test_not_looking_is_paused_whatever_the_date():
    assert paused_on(looking=False, paused_until=None, today=TODAY)
    assert paused_on(looking=False, paused_until=TODAY - timedelta(days=9), today=TODAY)


def test_a_dated_pause_holds_until_the_day_before_its_date():
    until = date(2027, 1, 15)
    assert paused_on(looking=True, paused_until=until, today=until - timedelta(days=1))
    assert not paused_on(looking=True, paused_until=until, today=until)
    assert not paused_on(looking=True, paused_until=None, today=TODAY)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2027-01-15", date(2027, 1, 15)),
        ("15 Jan", date(2027, 1, 15)),
        ("15 jan.", date(2027, 1, 15)),
        ("Jan 15", date(2027, 1, 15)),
        ("January 15th", date(2027, 1, 15)),
        ("15th January 2028", date(2028, 1, 15)),
        ("15, Jan 2027", date(2027, 1, 15)),
        ("sept 2", date(2027, 9, 2)),
        ("3 Dec", TODAY),  # today is the next 3 December
        ("2 Dec", date(2027, 12, 2)),
    ],
)
def test_days_are_read_as_people_type_them(typed: str, day: date):
    assert read_day(typed, TODAY) == day


@pytest.mark.parametrize("typed", ["", "someday", "31 Feb", "15 Janx", "2027-13-01", "15", "Jan"])
def test_what_is_not_a_day_is_none(typed: str):
    assert read_day(typed, TODAY) is None


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_written_in_iso_or_with_its_month_name_reads_back(day: date):
    assert read_day(day.isoformat(), TODAY) == day
    assert read_day(f"{day.day} {day:%B %Y}", TODAY) == day
    assert read_day(f"{day:%b} {day.day} {day.year}", TODAY) == day


def test_pause_arguments():
    assert read_pause_args("", TODAY) == PauseState(looking=False, paused_until=None)
    assert read_pause_args("until 15 Jan", TODAY) == PauseState(True, date(2027, 1, 15))
    assert read_pause_args("15 Jan", TODAY) == PauseState(True, date(2027, 1, 15))
    assert read_pause_args("until", TODAY) == UnreadablePause(PauseProblem.NO_DATE)
    assert read_pause_args("until soon", TODAY) == UnreadablePause(PauseProblem.NOT_A_DATE, "soon")
    assert read_pause_args("until 3 Dec", TODAY) == UnreadablePause(PauseProblem.NOT_AHEAD, "3 Dec")
    assert read_pause_args("4 Dec", TODAY) == PauseState(True, date(2026, 12, 4))
    assert PauseState(looking=True, paused_until=None) == RESUMED
