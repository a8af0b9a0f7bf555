"""Week arithmetic for tours.

A tour runs whole weeks, Monday to Friday, so start dates are Mondays and the matcher reasons in
weeks counted from the week containing today ("week 0"). Only HORIZON_WEEKS weeks are considered,
which lets the set of possible start weeks of a pair live in one 64-bit mask (bit w = may start
in week w). Absolute weeks count from the Monday 1 Jan 0001 (date ordinal 1).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from bot.core import visit_rules
from bot.core.calendar import Period

HORIZON_WEEKS = 64
ALL_WEEKS = (1 << HORIZON_WEEKS) - 1


def week_of(day: date) -> int:
    """Absolute week containing `day`."""
    return (day.toordinal() - 1) // 7


def first_start_week(day: date) -> int:
    """Absolute week of the first Monday on or after `day`."""
    return (day.toordinal() + 5) // 7


def last_end_week(day: date) -> int:
    """Absolute week of the last Friday on or before `day`."""
    return (day.toordinal() - 5) // 7


def working_weeks(first: date, last: date) -> range:
    """Absolute weeks whose Monday-to-Friday touches the inclusive range first..last (the rule
    in bot/core/visit_rules.py, which blackouts and rest days are measured with)."""
    return visit_rules.working_weeks(Period(first, last))


def monday(week: int) -> date:
    return date.fromordinal(7 * week + 1)


def friday(week: int) -> date:
    return monday(week) + timedelta(days=4)


def weeks_mask(weeks: range) -> int:
    """Bits of the horizon weeks (relative) in `weeks`; weeks outside the horizon are dropped."""
    first, stop = max(weeks.start, 0), min(weeks.stop, HORIZON_WEEKS)
    return 0 if first >= stop else ((1 << (stop - first)) - 1) << first


def start_mask(blocked: int, weeks: int) -> int:
    """Start weeks of a `weeks`-long tour that touch no blocked week and end inside the horizon."""
    touching = 0
    for shift in range(weeks):
        touching |= blocked >> shift
    return ALL_WEEKS >> (weeks - 1) & ~touching


def range_masks(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Masks of the start weeks first..last (vectorised, any shape); 0 when first > last."""
    valid = (first <= last) & (last >= 0) & (first < HORIZON_WEEKS)
    lo = np.clip(first, 0, HORIZON_WEEKS - 1).astype(np.uint64)
    hi = np.clip(last, 0, HORIZON_WEEKS - 1).astype(np.uint64)
    everything = np.uint64(ALL_WEEKS)
    masks = (everything >> (np.uint64(HORIZON_WEEKS - 1) - hi)) & (everything << lo)
    return np.where(valid, masks, np.uint64(0))


def lowest_week(masks: np.ndarray) -> np.ndarray:
    """Index of the lowest set bit of each mask (vectorised); -1 for an empty mask."""
    lowest_bit = masks & (~masks + np.uint64(1))
    with np.errstate(divide="ignore"):  # log2(0) of the empty masks, replaced just below
        weeks = np.log2(lowest_bit.astype(np.float64))
    return np.where(lowest_bit != 0, weeks, -1).astype(np.int64)


def bits(mask: int) -> list[int]:
    """Indices of the set bits of a mask, lowest first."""
    found = []
    while mask:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return found


def stretches(mask: int) -> list[tuple[int, int]]:
    """Runs of consecutive set bits as (first, last) pairs, lowest first."""
    runs: list[tuple[int, int]] = []
    for week in bits(mask):
        if runs and runs[-1][1] == week - 1:
            runs[-1] = (runs[-1][0], week)
        else:
            runs.append((week, week))
    return runs
