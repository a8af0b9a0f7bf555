"""A host's limits inside one round: the tours a round books count like tours already agreed.

The index bakes a host's limits into each pair's start weeks, but only against the tours already
agreed: two tours booked by the same round would otherwise both take the last place of a quarter,
or start the same Monday at a host that wants rest days between visitors. `HostBook` keeps, per
host team, what the round has booked so far and answers which start weeks still fit, with the
same rules as the index (`MatchIndex._host_limit_weeks`):

- at most `visitors_per_quarter` tours start in one calendar quarter (agreed ones included);
- with `rest_days`, a new tour may not touch a week that another tour at the host, widened by the
  rest days on both sides, touches. In weeks: two tours conflict exactly when their week spans,
  each widened at its end by `rest_weeks(rest_days)`, overlap, so the host is booked as one
  calendar of widened spans.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import cast

import numpy as np

from bot.core.visit_rules import quarter
from bot.matching.calendar import ALL_WEEKS, HORIZON_WEEKS, monday, working_weeks
from bot.matching.index import MatchIndex, PairTable
from bot.matching.model import MAX_TOUR_WEEKS

_A_FRIDAY = date(2025, 1, 10)
_UNLIMITED = 1 << 30


def rest_weeks(rest_days: int) -> int:
    """Weeks beyond a tour's last week that `rest_days` days of rest touch (Friday + rest days)."""
    return len(working_weeks(_A_FRIDAY, _A_FRIDAY + timedelta(days=rest_days))) - 1


def _span(week: int, length: int) -> int:
    """Bits of the weeks week..week+length-1 (inside the horizon)."""
    return ((1 << length) - 1) << week & ALL_WEEKS


def _touching(busy: int, length: int) -> int:
    """Start weeks whose `length`-week span touches a busy week."""
    touching = 0
    for shift in range(length):
        touching |= busy >> shift
    return touching


class HostBook:
    """Per host team: the quarters a round has filled and the weeks its tours (widened by the rest
    days) keep busy. Teams without limits cost one array lookup."""

    def __init__(self, index: MatchIndex) -> None:
        teams = index.teams
        n = index.no_team + 1
        quarters = [quarter(monday(index.base_week + w)) for w in range(HORIZON_WEEKS)]
        keys = sorted(set(quarters))
        self.quarter_of_week = [keys.index(q) for q in quarters]
        self.quarter_weeks = [
            sum(1 << w for w, q in enumerate(self.quarter_of_week) if q == k)
            for k in range(len(keys))
        ]
        hosted: dict[str, Counter[tuple[int, int]]] = {}
        for tour in index.org.tours:
            hosted.setdefault(tour.host_team_id, Counter())[quarter(tour.start)] += 1
        self.left = np.full((n, len(keys)), _UNLIMITED, dtype=np.int64)
        self.rest = np.full(n, -1, dtype=np.int64)  # -1: visitors may overlap
        for k, team in enumerate(teams):
            if team.visitors_per_quarter is not None:
                started = hosted.get(team.id, Counter())
                self.left[k] = [max(team.visitors_per_quarter - started[q], 0) for q in keys]
            if team.rest_days > 0:
                self.rest[k] = rest_weeks(team.rest_days)
        self.limited = ((self.left < _UNLIMITED).any(axis=1) | (self.rest >= 0)).tolist()
        self.full = [
            sum(self.quarter_weeks[q] for q in np.flatnonzero(row == 0).tolist())
            for row in self.left
        ]
        self.busy = [0] * n
        self.booked: list[list[tuple[int, int]]] = [[] for _ in range(n)]

    def fitting_starts(self, host: int, starts: int, weeks: int) -> int:
        """The start weeks of `starts` that the host's limits still allow for a `weeks` tour."""
        if not self.limited[host]:
            return starts
        starts &= ~self.full[host]
        if self.rest[host] >= 0 and self.busy[host]:
            starts &= ~_touching(self.busy[host], weeks + int(self.rest[host]))
        return starts

    def book(self, host: int, week: int, weeks: int) -> None:
        if not self.limited[host]:
            return
        q = self.quarter_of_week[week]
        self.left[host, q] -= 1
        if self.left[host, q] == 0:
            self.full[host] |= self.quarter_weeks[q]
        if self.rest[host] >= 0:
            self.busy[host] |= _span(week, weeks + int(self.rest[host]))
        self.booked[host].append((week, weeks))

    def unbook(self, host: int, week: int, weeks: int) -> None:
        if not self.limited[host]:
            return
        self.booked[host].remove((week, weeks))
        q = self.quarter_of_week[week]
        self.left[host, q] += 1
        self.full[host] &= ~self.quarter_weeks[q]
        if self.rest[host] >= 0:
            widen = int(self.rest[host])
            self.busy[host] = 0
            for start, length in self.booked[host]:
                self.busy[host] |= _span(start, length + widen)

    def fitting_starts_of(
        self, pairs: PairTable, index: MatchIndex, rows: np.ndarray
    ) -> np.ndarray:
        """`fitting_starts` for many rows at once."""
        host = index.host[pairs.opening[rows]]
        weeks = index.weeks[pairs.opening[rows]].astype(np.int64)
        starts = pairs.starts[rows] & ~np.array(self.full, dtype=np.uint64)[host]
        busy = np.array(self.busy, dtype=np.uint64)
        widest = MAX_TOUR_WEEKS + int(self.rest.max(initial=0)) + 1
        touching = np.zeros((len(busy), widest + 1), dtype=np.uint64)
        for length in range(1, widest + 1):
            shift = np.uint64(min(length - 1, HORIZON_WEEKS - 1))
            touching[:, length] = touching[:, length - 1] | (busy >> shift)
        resting = self.rest[host] >= 0
        length = np.minimum(weeks + np.maximum(self.rest[host], 0), widest)
        return cast(np.ndarray, np.where(resting, starts & ~touching[host, length], starts))
