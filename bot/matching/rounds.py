"""Organisation-wide rounds: best total fit, fair/stable and calendar-aware, plus the greedy
baseline each is compared with.

All solvers take the feasible pairs of a MatchIndex (`MatchIndex.feasible_pairs()`) and return an
Assignment: which pair rows were chosen and the start week of each. `run_round` wraps one mode with
its greedy baseline into a RoundResult for the preview.

Constraints, by mode:
- every mode: at most one opening per visitor, at most `seats_left` visitors per opening, and
  only start weeks the pair allows (windows, blackouts, host limits);
- best total fit, fair/stable: at most `round_cap` people of one home team in the round;
- calendar-aware: at most `away_cap` people of one home team away in any week, counting tours
  already agreed (the per-round count is then not needed).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import cast

import numpy as np
from ortools.sat.python import cp_model

from bot.core.words import counted
from bot.matching.bookings import HostBook
from bot.matching.calendar import HORIZON_WEEKS, friday, lowest_week, monday
from bot.matching.flows import best_assignment
from bot.matching.index import MatchIndex, PairTable
from bot.matching.model import MAX_TOUR_WEEKS
from bot.matching.weights import MILLI

# Sorted pairs are checked against the live state in slices this long: a vectorised pre-filter
# drops pairs that can no longer be taken, so the Python loop only sees plausible ones.
_GREEDY_SLICE = 20_000
_NO_LIMIT = 1 << 30


class RoundMode(StrEnum):
    BEST_TOTAL_FIT = "best_total_fit"
    FAIR = "fair"
    CALENDAR = "calendar"


@dataclass(frozen=True, slots=True)
class Assignment:
    """Chosen pair rows (into a PairTable), the start week of each, and a proven upper bound on
    the optimum's milli-points (equal to the total when the solver is exact, None when unknown)."""

    rows: np.ndarray
    start_weeks: np.ndarray
    upper_bound: int | None

    def total(self, pairs: PairTable) -> int:
        return int(pairs.points[self.rows].sum())


@dataclass(frozen=True, slots=True)
class Placement:
    visitor_id: str
    opening_id: str
    score: float
    start: date
    end: date
    first_choice: bool


@dataclass(frozen=True, slots=True)
class Unplaced:
    """A visitor left out of a round: why, in plain words, and the opening that came closest."""

    visitor_id: str
    reason: str
    nearest_opening_id: str | None
    shortfall: float | None = None


@dataclass(frozen=True, slots=True)
class RoundResult:
    """What the organiser previews: the placements, totals and the comparison with greedy.

    `upper_bound` is a proven bound on the best possible total (equal to `total_score` for the
    exact best-total-fit round)."""

    mode: RoundMode
    placements: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]
    total_score: float
    first_choices: int
    greedy_total: float
    upper_bound: float

    @property
    def gain_over_greedy(self) -> float:
        return self.total_score - self.greedy_total

    @property
    def summary(self) -> str:
        gain = self.gain_over_greedy / self.greedy_total if self.greedy_total else 0.0
        return (
            f"{len(self.placements)} placed, {self.first_choices} with their first choice, "
            f"{len(self.unplaced)} not placed; total fit {self.total_score:.1f} "
            f"({gain:+.1%} over a greedy assignment)"
        )


def _earliest(pairs: PairTable, rows: np.ndarray) -> np.ndarray:
    return lowest_week(pairs.starts[rows]) if len(rows) else np.empty(0, np.int64)


# ------------------------------------------------------------------------------------ flows


def best_total_fit(index: MatchIndex, pairs: PairTable) -> Assignment:
    """The maximum total score under seats, one opening per visitor and the per-round cap of
    people from one home team (`round_cap`), by min-cost flow, which is exact and the upper bound.
    The flow knows nothing of the hosts' limits between the round's own tours (quarters, rest
    days): when its tours do not all fit them, the rest is re-planned around those that do
    (`_fix_and_resolve`), keeping the greedy assignment if that is better."""
    rows = best_assignment(index, pairs, pairs.points, caps=index.round_cap)
    bound = int(pairs.points[rows].sum())
    fitted = _fix_and_resolve(index, pairs, pairs.points, None, away=False, first=rows)
    if fitted.total(pairs) < bound:
        fitted = max(fitted, greedy(index, pairs), key=lambda a: a.total(pairs))
    return Assignment(fitted.rows, fitted.start_weeks, bound)


# ------------------------------------------------------------------------------------ greedy


def _by_points(pairs: PairTable) -> np.ndarray:
    """Rows by decreasing score; ties by row order so every run is reproducible."""
    return np.argsort(-pairs.points, kind="stable")


def _slices(
    pairs: PairTable, order: np.ndarray, placed: np.ndarray, seats: np.ndarray
) -> Iterator[list[int]]:
    """`order` in slices, each filtered against the state as it is when the slice is reached."""
    for first in range(0, len(order), _GREEDY_SLICE):
        rows = order[first : first + _GREEDY_SLICE]
        rows = rows[~placed[pairs.visitor[rows]] & (seats[pairs.opening[rows]] > 0)]
        yield rows.tolist()


def _sorted_assignment(rows: list[int], weeks: list[int], bound: int | None) -> Assignment:
    chosen, at = np.array(rows, dtype=np.int64), np.array(weeks, dtype=np.int64)
    order = np.argsort(chosen)
    return Assignment(chosen[order], at[order], bound)


def greedy(index: MatchIndex, pairs: PairTable) -> Assignment:
    """Take pairs best-first, each at its earliest start week, while seats, the visitor, the
    per-round home-team cap and the host's limits allow."""
    return _fill(index, pairs, _by_points(pairs), {}, away=False)


def calendar_greedy(
    index: MatchIndex,
    pairs: PairTable,
    order: np.ndarray | None = None,
    preferred: dict[int, int] | None = None,
) -> Assignment:
    """Take pairs in `order` (default best-first), each at its `preferred` start week if that
    still fits the home team's weekly cap and the host's limits, else at the earliest week that
    does."""
    order = _by_points(pairs) if order is None else order
    return _fill(index, pairs, order, preferred or {}, away=True)


def _fill(
    index: MatchIndex, pairs: PairTable, order: np.ndarray, preferred: dict[int, int], *, away: bool
) -> Assignment:
    """The greedy pass of both baselines: per-round caps unless `away` (weekly caps) counts."""
    placed = np.zeros(len(index.visitors), dtype=bool)
    seats = index.seats.copy()
    team_left = np.full(index.no_team + 1, _NO_LIMIT) if away else index.round_cap.copy()
    bookings = _Bookings(index, pairs, away=away)
    visitor, opening, home = pairs.visitor, pairs.opening, index.home
    chosen, starts_at = [], []
    for rows in _slices(pairs, order, placed, seats):
        for row in rows:
            v, o = visitor[row], opening[row]
            t = home[v]
            if placed[v] or seats[o] == 0 or team_left[t] == 0:
                continue
            week = bookings.place(row, preferred.get(row, -1))
            if week < 0:
                continue
            placed[v] = True
            seats[o] -= 1
            team_left[t] -= 1
            chosen.append(row)
            starts_at.append(week)
    return _sorted_assignment(chosen, starts_at, None)


class _AwayCalendar:
    """Who of each home team is away in which week, with the weeks already full as bit masks."""

    def __init__(self, index: MatchIndex) -> None:
        self.left = index.cap_left.copy()
        self.no_team = index.no_team
        self.full = [sum(1 << w for w in np.flatnonzero(row == 0).tolist()) for row in self.left]

    def fitting_starts(self, team: int, starts: int, weeks: int) -> int:
        if team == self.no_team:
            return starts
        full, touching = self.full[team], 0
        for shift in range(weeks):
            touching |= full >> shift
        return starts & ~touching

    def book(self, team: int, week: int, weeks: int) -> None:
        if team == self.no_team:
            return
        row = self.left[team]
        row[week : week + weeks] -= 1
        for w in range(week, week + weeks):
            if row[w] == 0:
                self.full[team] |= 1 << w

    def unbook(self, team: int, week: int, weeks: int) -> None:
        if team == self.no_team:
            return
        self.left[team][week : week + weeks] += 1
        for w in range(week, week + weeks):
            self.full[team] &= ~(1 << w)

    def fitting_starts_of(
        self, pairs: PairTable, index: MatchIndex, rows: np.ndarray
    ) -> np.ndarray:
        """`fitting_starts` for many rows at once."""
        full = np.array(self.full, dtype=np.uint64)
        touching = np.zeros((len(full), MAX_TOUR_WEEKS + 1), dtype=np.uint64)
        for weeks in range(1, MAX_TOUR_WEEKS + 1):
            touching[:, weeks] = touching[:, weeks - 1] | (full >> np.uint64(weeks - 1))
        team = index.home[pairs.visitor[rows]]
        weeks = index.weeks[pairs.opening[rows]]
        return cast(np.ndarray, pairs.starts[rows] & ~touching[team, weeks])


class _Bookings:
    """The tours a round has booked so far, as they constrain its next ones: the hosts' limits in
    every mode and, in the calendar-aware round (`away`), the home teams' weekly away caps."""

    def __init__(self, index: MatchIndex, pairs: PairTable, *, away: bool) -> None:
        self.index, self.pairs = index, pairs
        self.hosts = HostBook(index)
        self.away = _AwayCalendar(index) if away else None

    def _where(self, row: int) -> tuple[int, int, int]:
        """(home team, host team, weeks) of a pair row."""
        o = int(self.pairs.opening[row])
        home = int(self.index.home[self.pairs.visitor[row]])
        return home, int(self.index.host[o]), int(self.index.weeks[o])

    def fitting_starts(self, row: int) -> int:
        home, host, weeks = self._where(row)
        starts = self.hosts.fitting_starts(host, int(self.pairs.starts[row]), weeks)
        if self.away is not None and starts:
            starts = self.away.fitting_starts(home, starts, weeks)
        return starts

    def place(self, row: int, preferred: int = -1) -> int:
        """Book `row` at the `preferred` week if it fits, else at the earliest week that does;
        the week booked, or -1 when none fits."""
        fitting = self.fitting_starts(row)
        if not fitting:
            return -1
        if preferred < 0 or not fitting >> preferred & 1:
            preferred = (fitting & -fitting).bit_length() - 1
        home, host, weeks = self._where(row)
        self.hosts.book(host, preferred, weeks)
        if self.away is not None:
            self.away.book(home, preferred, weeks)
        return preferred

    def unbook(self, row: int, week: int) -> None:
        """Take back a tour booked by `place`."""
        home, host, weeks = self._where(row)
        self.hosts.unbook(host, week, weeks)
        if self.away is not None:
            self.away.unbook(home, week, weeks)

    def fitting_starts_of(self, rows: np.ndarray) -> np.ndarray:
        """`fitting_starts` for many rows at once."""
        fitting = self.hosts.fitting_starts_of(self.pairs, self.index, rows)
        if self.away is not None:
            fitting &= self.away.fitting_starts_of(self.pairs, self.index, rows)
        return fitting


# ------------------------------------------------------------------------------------ fair


def _preference_keys(pairs: PairTable, index: MatchIndex) -> tuple[np.ndarray, np.ndarray]:
    """Strict preferences as integers (bigger is preferred): visitors rank openings by score,
    hosts rank visitors by host preference; ties go to the lower position."""
    n_v, n_o = len(index.visitors) + 1, len(index.openings) + 1
    visitor_key = pairs.points.astype(np.int64) * n_o + (n_o - pairs.opening)
    host_key = pairs.host_points.astype(np.int64) * n_v + (n_v - pairs.visitor)
    return visitor_key, host_key


def fair(index: MatchIndex, pairs: PairTable) -> Assignment:
    """Visitor-proposing deferred acceptance: visitors propose in order of their scores, each
    opening holds its best-ranked proposers up to its seats. The home-team cap is honoured by
    letting a team's members in one at a time, in order of their best score, while fewer than
    `round_cap` of them are placed. A host with limits holds a proposer only if the tour fits its
    calendar next to the tours it already holds (after letting go of the one the proposer
    displaces). The result has no blocking pair (see `blocking_pairs`) when no host limit binds."""
    prefs_list, next_pref, end, keys, best = _proposals(index, pairs)
    visitor_of, opening_of = pairs.visitor.tolist(), pairs.opening.tolist()
    home, seats = index.home.tolist(), index.seats.tolist()
    waiting = _members_by_best_score(index, best)
    placed_count = [0] * (index.no_team + 1)
    cap = index.round_cap.tolist()
    held: list[list[tuple[int, int]]] = [[] for _ in seats]
    held_row = [-1] * len(index.visitors)
    held_week = [-1] * len(index.visitors)
    bookings = _Bookings(index, pairs, away=False)
    limited = [bookings.hosts.limited[h] for h in index.host.tolist()]
    needs_members = set(waiting)
    while needs_members:
        free = [
            waiting[t].pop()
            for t in needs_members
            for _ in range(min(cap[t] - placed_count[t], len(waiting[t])))
        ]
        needs_members = set()
        while free:
            v = free.pop()
            while next_pref[v] < end[v]:
                row = prefs_list[next_pref[v]]
                next_pref[v] += 1
                o, key = opening_of[row], keys[row]
                heap = held[o]
                week = -1
                if len(heap) < seats[o]:
                    if limited[o] and (week := bookings.place(row)) < 0:
                        continue
                    heapq.heappush(heap, (key, row))
                elif key > heap[0][0]:
                    out_row = heap[0][1]
                    out = visitor_of[out_row]
                    if limited[o]:
                        bookings.unbook(out_row, held_week[out])
                        if (week := bookings.place(row)) < 0:
                            bookings.place(out_row, held_week[out])
                            continue
                    heapq.heapreplace(heap, (key, row))
                    held_row[out] = -1
                    placed_count[home[out]] -= 1
                    needs_members.add(home[out])
                    free.append(out)
                else:
                    continue
                held_row[v], held_week[v] = row, week
                placed_count[home[v]] += 1
                break
            else:  # v ran out of openings: its team may let the next member try
                needs_members.add(home[v])
        needs_members = {t for t in needs_members if waiting.get(t) and placed_count[t] < cap[t]}
    return _held(pairs, held_row, held_week)


def _proposals(
    index: MatchIndex, pairs: PairTable
) -> tuple[list[int], list[int], list[int], list[int], np.ndarray]:
    """(rows in each visitor's order of preference, where each visitor's run starts and ends in
    it, the host's key of each row, each visitor's best score or -1)."""
    prefs, bounds = _by_visitor_preference(index, pairs)
    best = np.full(len(index.visitors), -1, dtype=np.int64)
    has_pairs = bounds[1:] > bounds[:-1]
    best[has_pairs] = pairs.points[prefs[bounds[:-1][has_pairs]]]  # each run starts at its best
    keys = _preference_keys(pairs, index)[1].tolist()
    return prefs.tolist(), bounds[:-1].tolist(), bounds[1:].tolist(), keys, best


def _by_visitor_preference(index: MatchIndex, pairs: PairTable) -> tuple[np.ndarray, np.ndarray]:
    """Rows grouped by visitor, each visitor's in its order of preference (best score first, ties
    to the lower opening position, as `_preference_keys` ranks them), and where each visitor's run
    starts (one more bound at the end). One stable sort of a single integer key: several times
    faster than a lexsort on two."""
    points = pairs.points.astype(np.int64)
    low, high = (int(points.min()), int(points.max())) if len(points) else (0, 0)
    key = pairs.visitor.astype(np.int64) * (high - low + 1) + (high - points)
    key = key * (len(index.openings) + 1) + pairs.opening
    prefs = np.argsort(key, kind="stable")
    bounds = np.searchsorted(pairs.visitor[prefs], np.arange(len(index.visitors) + 1))
    return prefs, bounds


def _held(pairs: PairTable, held_row: list[int], held_week: list[int]) -> Assignment:
    """The rows held at the end of deferred acceptance; unbooked ones start at their earliest."""
    placed = [v for v, row in enumerate(held_row) if row >= 0]
    rows = np.array([held_row[v] for v in placed], dtype=np.int64)
    weeks = np.array([held_week[v] for v in placed], dtype=np.int64)
    weeks = np.where(weeks >= 0, weeks, _earliest(pairs, rows))
    return _sorted_assignment(rows.tolist(), weeks.tolist(), None)


def _best_points(index: MatchIndex, pairs: PairTable) -> np.ndarray:
    """Each visitor's best score (-1 without a feasible pair)."""
    best = np.full(len(index.visitors), -1, dtype=np.int64)
    np.maximum.at(best, pairs.visitor, pairs.points)
    return best


def _members_by_best_score(index: MatchIndex, best: np.ndarray) -> dict[int, list[int]]:
    """Members of each home team who have a feasible pair (`best` score >= 0), the best score
    last (popped first)."""
    members = np.flatnonzero(best >= 0)
    members = members[np.lexsort((-members, best[members]))]
    waiting: dict[int, list[int]] = {}
    for v in members.tolist():
        waiting.setdefault(int(index.home[v]), []).append(v)
    return waiting


def blocking_pairs(index: MatchIndex, pairs: PairTable, assignment: Assignment) -> np.ndarray:
    """Rows (v, o) that block the assignment: v prefers o to what it got (or got nothing), o has a
    free seat or ranks v above one of its visitors, and v's home team could send v (v is already
    placed, or fewer than `round_cap` of its members are)."""
    visitor_key, host_key = _preference_keys(pairs, index)
    current = np.full(len(index.visitors), -1, dtype=np.int64)
    current[pairs.visitor[assignment.rows]] = visitor_key[assignment.rows]
    worst_held = np.full(len(index.openings), np.iinfo(np.int64).max)
    np.minimum.at(worst_held, pairs.opening[assignment.rows], host_key[assignment.rows])
    taken = np.bincount(pairs.opening[assignment.rows], minlength=len(index.openings))
    team_placed = np.bincount(
        index.home[pairs.visitor[assignment.rows]], minlength=index.no_team + 1
    )
    placed = current >= 0
    team = index.home[pairs.visitor]
    wants = visitor_key > current[pairs.visitor]
    would_take = (taken[pairs.opening] < index.seats[pairs.opening]) | (
        host_key > worst_held[pairs.opening]
    )
    may_go = placed[pairs.visitor] | (team_placed[team] < index.round_cap[team])
    blocking = np.flatnonzero(wants & would_take & may_go)
    return cast(np.ndarray, blocking[_host_would_fit(index, pairs, assignment, blocking, host_key)])


def _host_would_fit(
    index: MatchIndex,
    pairs: PairTable,
    assignment: Assignment,
    rows: np.ndarray,
    host_key: np.ndarray,
) -> np.ndarray:
    """For each row: would the host's limits let the visitor in next to the round's other tours
    (without the opening's lowest-ranked visitor when it has no free seat)?"""
    bookings = _Bookings(index, pairs, away=False)
    for row, week in zip(assignment.rows.tolist(), assignment.start_weeks.tolist(), strict=True):
        bookings.place(row, week)
    holders: dict[int, list[tuple[int, int, int]]] = {}
    for row, week in zip(assignment.rows.tolist(), assignment.start_weeks.tolist(), strict=True):
        holders.setdefault(int(pairs.opening[row]), []).append((int(host_key[row]), row, week))
    fits = np.ones(len(rows), dtype=bool)
    for i, row in enumerate(rows.tolist()):
        o = int(pairs.opening[row])
        if not bookings.hosts.limited[int(index.host[o])]:
            continue
        held = holders.get(o, [])
        if len(held) < index.seats[o]:
            fits[i] = bookings.fitting_starts(row) != 0
            continue
        _, out_row, out_week = min(held)
        bookings.unbook(out_row, out_week)
        fits[i] = bookings.fitting_starts(row) != 0
        bookings.place(out_row, out_week)
    return fits


# ------------------------------------------------------------------------------------ calendar


def start_options(starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (row, start week) a mask allows, sorted by row then week."""
    rows_found, weeks_found = [np.empty(0, np.int64)], [np.empty(0, np.int64)]
    rows = np.flatnonzero(starts)  # a row no start week allows has no option
    masks = starts[rows]
    while len(rows):
        rows_found.append(rows)
        weeks_found.append(lowest_week(masks))
        masks &= masks - np.uint64(1)
        keep = masks != 0
        rows, masks = rows[keep], masks[keep]
    rows, weeks = np.concatenate(rows_found), np.concatenate(weeks_found)
    order = np.argsort(rows, kind="stable")
    return rows[order], weeks[order]


def calendar_aware(
    index: MatchIndex,
    pairs: PairTable,
    *,
    iterations: int = 150,
    gap: float = 0.002,
) -> Assignment:
    """Maximise the total score with at most `away_cap` people of one home team away in any week
    (counting agreed tours), start weeks chosen inside each pair's allowed weeks and the hosts'
    limits counting the round's own tours.

    Lagrangian relaxation: the weekly caps move into the objective with prices lambda[team, week];
    for given prices each pair takes its cheapest start week and an exact min-cost flow solves the
    rest, which yields a proven upper bound. Prices follow subgradient steps (Polyak's rule, the
    step halved when the bound stalls). The priced solutions are made feasible by
    `_fix_and_resolve` (cheaply, by a greedy fill, during the steps). Stops when the best
    feasible total is within `gap` of the bound or after `iterations` steps (the final repair and
    the local search `improve_locally` come on top, both counted in work, not seconds): the work,
    and so the result, never depends on the machine's speed. The
    hosts' limits between the round's own tours are not priced (the bound stays valid: it relaxes
    them); every feasible candidate respects them. The bound is reported either way."""
    best = calendar_greedy(index, pairs)
    if not len(pairs):
        return Assignment(best.rows, best.start_weeks, 0)
    pricing = _Pricing(index, pairs)
    lower, upper, theta, stalled = best.total(pairs), np.inf, 1.0, 0
    best_prices = pricing.prices
    for _ in range(iterations):
        gains, start = pricing.priced_gains()
        rows = best_assignment(index, pairs, gains, caps=None)
        bound = float(gains[rows].sum()) + pricing.capacity_value()
        if bound < upper - 1e-9:
            upper, stalled, best_prices = bound, 0, pricing.prices
        else:
            stalled += 1
            if stalled >= 3:
                theta, stalled = theta / 2, 0
        order = np.concatenate([rows[np.argsort(-gains[rows], kind="stable")], _by_points(pairs)])
        candidate = calendar_greedy(
            index, pairs, order, dict(zip(rows.tolist(), start[rows].tolist(), strict=True))
        )
        if candidate.total(pairs) > lower:
            best, lower = candidate, candidate.total(pairs)
        excess = pricing.excess(rows, start)
        if upper - lower <= gap * upper or not excess.any():
            break
        pricing.step(theta * (bound - lower) / float((excess**2).sum()) * excess)
    pricing.prices = best_prices
    candidate = _fix_and_resolve(index, pairs, *pricing.priced_gains(), away=True)
    if candidate.total(pairs) > lower:
        best, lower = candidate, candidate.total(pairs)
    best = improve_locally(index, pairs, best)
    lower = best.total(pairs)
    order = np.argsort(best.rows)
    return Assignment(best.rows[order], best.start_weeks[order], max(int(upper), lower))


class _Spans:
    """One family of capacity constraints priced by the Lagrangian round: each row belongs to an
    entity (a home team, a host), each start option uses `length` consecutive slots of it from
    its position (weeks, or the quarter it starts in), and a capped entity has `capacity` per
    slot."""

    def __init__(
        self,
        entity: np.ndarray,
        capacity: np.ndarray,
        *,
        capped: np.ndarray,
        position: np.ndarray | None,
        length: np.ndarray,
        options: tuple[np.ndarray, np.ndarray],
    ) -> None:
        self.entity, self.position, self.length = entity, position, length
        self.capped = capped
        self.capacity = np.where(capped[:, None], capacity, 0).astype(float)
        self.width = capacity.shape[1]
        option_row, option_week = options
        base = entity[option_row] * (self.width + 1)
        first = position[option_week] if position is not None else option_week
        self.option_start = base + first
        self.option_end = base + np.minimum(first + length[option_row], self.width)
        self.prices = np.zeros(capacity.shape)

    def cost(self) -> np.ndarray:
        """The price of each start option."""
        prefix = np.zeros((len(self.prices), self.width + 1))
        np.cumsum(self.prices, axis=1, out=prefix[:, 1:])
        flat = prefix.ravel()
        return cast(np.ndarray, flat[self.option_end] - flat[self.option_start])

    def excess(self, rows: np.ndarray, start: np.ndarray) -> np.ndarray:
        """Use beyond capacity per (entity, slot) of a priced solution (its subgradient)."""
        first = self.position[start[rows]] if self.position is not None else start[rows]
        used = np.zeros((len(self.prices), self.width + 1))
        np.add.at(used, (self.entity[rows], first), 1)
        np.add.at(used, (self.entity[rows], np.minimum(first + self.length[rows], self.width)), -1)
        excess: np.ndarray = np.cumsum(used, axis=1)[:, :-1] - self.capacity
        excess[~self.capped] = 0
        excess[(self.prices <= 0) & (excess < 0)] = 0
        return excess


class _Pricing:
    """Prices of the constraints that tie pairs together beyond seats and visitors: home teams'
    away weeks, and hosts' rest weeks and quarters; and what the prices make of each pair."""

    def __init__(self, index: MatchIndex, pairs: PairTable) -> None:
        self.pairs = pairs
        options = self.option_row, self.option_week = start_options(pairs.starts)
        weeks = index.weeks[pairs.opening].astype(np.int64)
        teams, team_at = np.unique(index.home[pairs.visitor], return_inverse=True)
        hosts_of_rows = index.host[pairs.opening]
        book = HostBook(index)
        hosts, host_at = np.unique(hosts_of_rows, return_inverse=True)
        rest = book.rest[hosts]
        quarters = np.array(book.quarter_of_week)
        self.families = [
            _Spans(
                team_at,
                index.cap_left[teams],
                capped=teams != index.no_team,
                position=None,
                length=weeks,
                options=options,
            ),
            _Spans(
                host_at,
                np.ones((len(hosts), HORIZON_WEEKS)),
                capped=rest >= 0,
                position=None,
                length=weeks + np.maximum(rest, 0)[host_at],
                options=options,
            ),
            _Spans(
                host_at,
                book.left[hosts].astype(float),
                capped=(book.left[hosts] < len(index.visitors)).any(axis=1),
                position=quarters,
                length=np.ones(len(pairs), dtype=np.int64),
                options=options,
            ),
        ]
        self.row_first = np.searchsorted(self.option_row, np.arange(len(pairs)))

    @property
    def prices(self) -> list[np.ndarray]:
        return [family.prices for family in self.families]

    @prices.setter
    def prices(self, prices: list[np.ndarray]) -> None:
        for family, these in zip(self.families, prices, strict=True):
            family.prices = these

    def priced_gains(self) -> tuple[np.ndarray, np.ndarray]:
        """Each row's score minus the price of its cheapest start week (rounded up, so bounds
        stay valid), and that week."""
        cost = sum(family.cost() for family in self.families)
        row_cost = np.minimum.reduceat(cost, self.row_first)
        cheapest = np.flatnonzero(cost == row_cost[self.option_row])
        first = np.unique(self.option_row[cheapest], return_index=True)[1]
        gains = np.ceil(self.pairs.points - row_cost).astype(np.int64)
        return gains, self.option_week[cheapest[first]]

    def capacity_value(self) -> float:
        return float(sum((f.prices * f.capacity).sum() for f in self.families))

    def excess(self, rows: np.ndarray, start: np.ndarray) -> np.ndarray:
        """Every family's excess, flattened into one subgradient."""
        return np.concatenate([f.excess(rows, start).ravel() for f in self.families])

    def step(self, change: np.ndarray) -> None:
        sizes = np.cumsum([f.prices.size for f in self.families])[:-1]
        parts = np.split(change, sizes)
        self.prices = [
            np.maximum(f.prices + part.reshape(f.prices.shape), 0)
            for f, part in zip(self.families, parts, strict=True)
        ]


def _fix_and_resolve(
    index: MatchIndex,
    pairs: PairTable,
    gains: np.ndarray,
    start: np.ndarray | None,
    *,
    away: bool,
    first: np.ndarray | None = None,
) -> Assignment:
    """Turn gains into a feasible assignment: solve the flow (or start from its solution `first`),
    keep its pairs (best gain first, at their `start` week when it fits, else the earliest that
    does) while the bookings allow (host limits; weekly away caps if `away`, else per-round caps),
    and solve again for whoever and whatever is left, until every pair the flow picks fits."""
    bookings = _Bookings(index, pairs, away=away)
    seats = index.seats.copy()
    team_left = None if away else index.round_cap.copy()
    placed = np.zeros(len(index.visitors), dtype=bool)
    alive = np.ones(len(pairs), dtype=bool)
    chosen, weeks_at = [], []
    rows = best_assignment(index, pairs, gains, caps=team_left) if first is None else first
    while len(rows):
        refused = False
        for row in rows[np.argsort(-gains[rows], kind="stable")].tolist():
            week = bookings.place(row, -1 if start is None else int(start[row]))
            if week < 0:
                refused = True
                continue
            v, o = int(pairs.visitor[row]), int(pairs.opening[row])
            placed[v] = True
            seats[o] -= 1
            if team_left is not None:
                team_left[index.home[v]] -= 1
            chosen.append(row)
            weeks_at.append(week)
        if not refused:  # the flow's whole answer fits: nothing left gains anything
            break
        alive &= ~placed[pairs.visitor] & (seats[pairs.opening] > 0)
        candidates = np.flatnonzero(alive)
        alive[candidates[bookings.fitting_starts_of(candidates) == 0]] = False
        rows = best_assignment(index, pairs, np.where(alive, gains, 0), caps=team_left, seats=seats)
    return _sorted_assignment(chosen, weeks_at, None)


def improve_locally(
    index: MatchIndex,
    pairs: PairTable,
    assignment: Assignment,
    *,
    passes: int = 1,
    group_size: int = 2,
    work_per_group: float = 2.0,
    seed: int = 0,
) -> Assignment:
    """Large-neighbourhood search: re-plan a group of visitors at a time exactly (CP-SAT) with
    everyone else fixed: each member takes at most one pair and start week, the openings offer the
    seats nobody else uses, and the home teams' weekly caps and the hosts' limits hold next to
    everyone else's tours. A group's plan only changes when its total rises, so the total never
    falls. Each pass draws (seeded) the members of each home team, who share its weekly cap, then
    the teams around each opening: those of its holders and of the `group_size` best-scoring
    others who fit it, so that seats change hands between teams. CP-SAT runs single-threaded with
    a deterministic work limit (`work_per_group`, its deterministic seconds): the result does not
    depend on the machine's speed."""
    state = _Plans(index, pairs, assignment)
    members_of = _members_by_best_score(index, _best_points(index, pairs))
    teams = np.array(sorted(members_of), dtype=np.int64)
    by_opening = np.lexsort((-pairs.points, pairs.opening))
    bounds = np.searchsorted(pairs.opening[by_opening], np.arange(len(index.openings) + 1))
    rng = np.random.default_rng(seed)
    for _ in range(passes):
        for team in rng.permutation(teams).tolist():
            state.replan(members_of[team], work_per_group)
        tried: set[tuple[int, ...]] = set()  # groups re-planned in vain since the last change
        for o in rng.permutation(len(index.openings)).tolist():
            fitting = pairs.visitor[by_opening[bounds[o] : bounds[o + 1]]]
            holders = np.flatnonzero(state.opening_of == o)
            near = np.concatenate([holders, fitting[~np.isin(fitting, holders)][:group_size]])
            around = tuple(sorted(set(index.home[near].tolist()) & members_of.keys()))
            if not around or around in tried:  # nothing to re-plan, or no change since in vain
                continue
            if state.replan(sorted(v for t in around for v in members_of[t]), work_per_group):
                tried.clear()
            else:
                tried.add(around)
    return state.assignment(assignment.upper_bound)


class _Plans:
    """Where each visitor is placed (pair row and start week, -1 when not), the seats left and the
    bookings, as the large-neighbourhood search changes them one group at a time."""

    def __init__(self, index: MatchIndex, pairs: PairTable, assignment: Assignment) -> None:
        self.index, self.pairs = index, pairs
        self.row = np.full(len(index.visitors), -1, dtype=np.int64)
        self.week = np.full(len(index.visitors), -1, dtype=np.int64)
        self.row[pairs.visitor[assignment.rows]] = assignment.rows
        self.week[pairs.visitor[assignment.rows]] = assignment.start_weeks
        self.opening_of = np.full(len(index.visitors), -1, dtype=np.int64)
        self.opening_of[pairs.visitor[assignment.rows]] = pairs.opening[assignment.rows]
        self.seats_left = index.seats - np.bincount(
            pairs.opening[assignment.rows], minlength=len(index.seats)
        )
        self.bookings = _Bookings(index, pairs, away=True)
        for row, week in zip(
            assignment.rows.tolist(), assignment.start_weeks.tolist(), strict=True
        ):
            self.bookings.place(row, week)
        order = np.lexsort((np.arange(len(pairs)), pairs.visitor))
        self.rows_by_visitor = order
        self.visitor_bounds = np.searchsorted(
            pairs.visitor[order], np.arange(len(index.visitors) + 1)
        )

    def replan(self, members: list[int], work: float) -> bool:
        """Re-plan `members` (at least one) exactly, keeping their current plan unless the new one
        scores more; whether it did."""
        current = [(int(self.row[v]), int(self.week[v])) for v in members if self.row[v] >= 0]
        for row, week in current:
            self.bookings.unbook(row, week)
        available = self.seats_left.copy()
        np.add.at(available, self.pairs.opening[[row for row, _ in current]], 1)
        bounds = self.visitor_bounds
        rows = np.concatenate([self.rows_by_visitor[bounds[v] : bounds[v + 1]] for v in members])
        rows = rows[available[self.pairs.opening[rows]] > 0]
        plan = self._best_plan(rows, available, work)
        improved = plan is not None
        if plan is None:
            plan = current
        else:
            self.seats_left = available
            self.row[members] = self.week[members] = self.opening_of[members] = -1
            for row, _ in plan:
                self.seats_left[self.pairs.opening[row]] -= 1
        for row, week in plan:
            v = int(self.pairs.visitor[row])
            self.row[v], self.week[v] = row, week
            self.opening_of[v] = self.pairs.opening[row]
            self.bookings.place(row, week)
        return improved

    def _best_plan(
        self, rows: np.ndarray, available: np.ndarray, work: float
    ) -> list[tuple[int, int]] | None:
        """The best plan (a list of (row, start week)) for the visitors of `rows`, or None if it
        does not beat their current one. The bookings hold everyone else's tours."""
        index, pairs, bookings = self.index, self.pairs, self.bookings
        hosts, away, placed_row = bookings.hosts, bookings.away, self.row
        assert away is not None
        model = cp_model.CpModel()
        options, take = [], []
        groups: dict[tuple[str, int, int], list[cp_model.IntVar]] = {}
        fitting = bookings.fitting_starts_of(rows) if len(rows) else np.empty(0, np.uint64)
        option_row, option_week = start_options(fitting)
        for row, week in zip(rows[option_row].tolist(), option_week.tolist(), strict=True):
            visitor, opening = int(pairs.visitor[row]), int(pairs.opening[row])
            host, weeks = int(index.host[opening]), int(index.weeks[opening])
            var = model.new_bool_var("")
            options.append((row, week))
            take.append(var)
            groups.setdefault(("visitor", visitor, 0), []).append(var)
            groups.setdefault(("opening", opening, 0), []).append(var)
            team = int(index.home[visitor])
            if team != index.no_team:
                for w in range(week, week + weeks):
                    groups.setdefault(("away", team, w), []).append(var)
            if hosts.limited[host]:
                groups.setdefault(("quarter", host, hosts.quarter_of_week[week]), []).append(var)
                if hosts.rest[host] >= 0:
                    for w in range(week, min(week + weeks + int(hosts.rest[host]), HORIZON_WEEKS)):
                        groups.setdefault(("rest", host, w), []).append(var)
            if placed_row[visitor] == row and self.week[visitor] == week:
                model.add_hint(var, 1)
        limits: dict[str, Callable[[int, int], int]] = {
            "visitor": lambda _k, _w: 1,
            "opening": lambda o, _w: int(available[o]),
            "away": lambda t, w: int(away.left[t, w]),
            "quarter": lambda h, q: int(hosts.left[h, q]),
            "rest": lambda _h, _w: 1,
        }
        for (kind, key, at), chosen in groups.items():
            if len(chosen) > limits[kind](key, at):
                model.add(sum(chosen) <= limits[kind](key, at))
        points = pairs.points[[row for row, _ in options]]
        model.maximize(sum(int(p) * var for p, var in zip(points, take, strict=True)))
        visitors = {key for kind, key, _ in groups if kind == "visitor"}
        current = sum(int(pairs.points[placed_row[v]]) for v in visitors if placed_row[v] >= 0)
        solver = cp_model.CpSolver()
        solver.parameters.max_deterministic_time = work
        solver.parameters.num_workers = 1
        if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        if solver.objective_value <= current:
            return None
        return [option for option, var in zip(options, take, strict=True) if solver.value(var)]

    def assignment(self, upper_bound: int | None) -> Assignment:
        placed = np.flatnonzero(self.row >= 0)
        rows = self.row[placed]
        by_row = np.argsort(rows)
        return Assignment(rows[by_row], self.week[placed][by_row], upper_bound)


# ------------------------------------------------------------------------------------ results

_SOLVERS = {
    RoundMode.BEST_TOTAL_FIT: best_total_fit,
    RoundMode.FAIR: fair,
    RoundMode.CALENDAR: calendar_aware,
}


def baseline(index: MatchIndex, pairs: PairTable, mode: RoundMode) -> Assignment:
    """The greedy assignment under the same constraints as `mode`."""
    return calendar_greedy(index, pairs) if mode is RoundMode.CALENDAR else greedy(index, pairs)


def run_round(
    index: MatchIndex, mode: RoundMode = RoundMode.BEST_TOTAL_FIT, pairs: PairTable | None = None
) -> RoundResult:
    """Run one round over the organisation and describe it for the organiser's preview."""
    pairs = index.feasible_pairs() if pairs is None else pairs
    chosen = _SOLVERS[mode](index, pairs)
    greedy_total = baseline(index, pairs, mode).total(pairs)
    best_points = _best_points(index, pairs)
    placements = tuple(
        Placement(
            visitor_id=index.visitors[pairs.visitor[row]].id,
            opening_id=index.openings[pairs.opening[row]].id,
            score=pairs.points[row] / MILLI,
            start=monday(index.base_week + week),
            end=friday(index.base_week + week + int(index.weeks[pairs.opening[row]]) - 1),
            first_choice=bool(pairs.points[row] == best_points[pairs.visitor[row]]),
        )
        for row, week in zip(chosen.rows.tolist(), chosen.start_weeks.tolist(), strict=True)
    )
    total = chosen.total(pairs)
    bound = total if chosen.upper_bound is None else chosen.upper_bound
    return RoundResult(
        mode=mode,
        placements=placements,
        unplaced=_unplaced(index, pairs, chosen, mode),
        total_score=total / MILLI,
        first_choices=sum(p.first_choice for p in placements),
        greedy_total=greedy_total / MILLI,
        upper_bound=bound / MILLI,
    )


def _unplaced(
    index: MatchIndex, pairs: PairTable, chosen: Assignment, mode: RoundMode
) -> tuple[Unplaced, ...]:
    """Every looking visitor the round leaves out, with the reason and the nearest miss."""
    placed = np.zeros(len(index.visitors), dtype=bool)
    placed[pairs.visitor[chosen.rows]] = True
    team_placed = np.bincount(index.home[pairs.visitor[chosen.rows]], minlength=index.no_team + 1)
    seats_left = index.seats - np.bincount(pairs.opening[chosen.rows], minlength=len(index.seats))
    cutoff = np.full(len(index.openings), np.iinfo(np.int64).max)
    np.minimum.at(cutoff, pairs.opening[chosen.rows], pairs.host_points[chosen.rows])
    rows_of: dict[int, list[int]] = {}
    for row, v in enumerate(pairs.visitor.tolist()):
        if not placed[v]:
            rows_of.setdefault(v, []).append(row)
    left_out = []
    for v in np.flatnonzero(index.eligible & ~placed).tolist():
        rows = rows_of.get(v)
        visitor_id = index.visitors[v].id
        if not rows:
            left_out.append(Unplaced(visitor_id, "no open opening fits you", None))
            continue
        team = int(index.home[v])
        best = max(rows, key=lambda r: (int(pairs.points[r]), -r))
        if mode is not RoundMode.CALENDAR and team_placed[team] >= index.round_cap[team]:
            cap = int(index.round_cap[team])
            reason = f"your team's limit of {counted(cap, 'person', 'people')} per round is reached"
            left_out.append(Unplaced(visitor_id, reason, index.openings[pairs.opening[best]].id))
        elif mode is RoundMode.FAIR:
            gaps = [(int(cutoff[pairs.opening[r]]) - int(pairs.host_points[r]), r) for r in rows]
            shortfall, nearest = min(gaps)
            left_out.append(
                Unplaced(
                    visitor_id,
                    "every opening you fit is full with visitors its host ranked higher",
                    index.openings[pairs.opening[nearest]].id,
                    shortfall / MILLI,
                )
            )
        else:
            reason = (
                "your team's away limit is full over your dates"
                if any(seats_left[pairs.opening[r]] > 0 for r in rows)
                else "the openings you fit gave a higher total with other visitors"
            )
            left_out.append(Unplaced(visitor_id, reason, index.openings[pairs.opening[best]].id))
    return tuple(left_out)
