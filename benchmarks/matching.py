"""Speed, memory and quality of the matcher on seeded synthetic organisations.

    .venv/bin/python -m benchmarks.matching                 # all sizes
    .venv/bin/python -m benchmarks.matching --sizes 1k 5k   # a subset (1k, 5k, 20k)

For each size (visitors x openings) it prints the time and peak resident memory of scoring (pair
finding), personal suggestions and each round mode, next to a greedy baseline and independent
solvers on the same scores: scipy's HiGHS MILP (exact; small sizes), OR-tools min-cost flow built
separately from ours (exact; every size) and a textbook heap deferred acceptance. Ratios are to
the exact optimum of the same problem. Not part of the test run.
"""

from __future__ import annotations

import argparse
import heapq
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from bot.matching import (
    MatchIndex,
    PairTable,
    best_total_fit,
    blocking_pairs,
    calendar_aware,
    calendar_greedy,
    fair,
    greedy,
    suggest_openings,
    suggest_visitors,
)
from bot.matching.bookings import HostBook
from bot.matching.calendar import HORIZON_WEEKS
from bot.matching.model import Application, Opening, Organisation, Team, Tour, Visitor
from bot.matching.rounds import start_options

SIZES = {"1k": (1_000, 300), "5k": (5_000, 1_500), "20k": (20_000, 5_000)}

TODAY = date(2025, 1, 6)
CITIES = ("berlin", "lisbon", "london", "warsaw", "toronto", "remote-first")


def organisation(visitors: int, openings: int, seed: int = 7, topics: int = 200) -> Organisation:
    """An organisation of `visitors` x `openings` with ~8 % of pairs feasible: seats 1 to 5, topics
    with Zipf popularity, teams of about ten people, blackouts, host limits and some history."""
    rng = np.random.default_rng(seed)
    names = [f"topic-{i:03d}" for i in range(topics)]
    popularity = 1 / np.arange(1, topics + 1) ** 1.1
    popularity /= popularity.sum()

    def some_topics(low: int, high: int) -> frozenset[str]:
        count = int(rng.integers(low, high + 1))
        return frozenset(names[i] for i in rng.choice(topics, count, replace=False, p=popularity))

    def day(weeks_from: int, weeks_to: int) -> date:
        return TODAY + timedelta(days=int(rng.integers(7 * weeks_from, 7 * weeks_to)))

    team_count = max(4, visitors // 10)
    teams = []
    for k in range(team_count):
        blackouts = []
        for _ in range(int(rng.integers(0, 3))):
            first = day(0, 40)
            blackouts.append((first, first + timedelta(days=int(rng.integers(3, 14)))))
        teams.append(
            Team(
                id=f"team-{k}",
                city=CITIES[int(rng.integers(len(CITIES)))],
                away_cap=int(rng.integers(1, 4)),
                round_cap=int(rng.integers(4, 9)),
                blackouts=tuple(blackouts),
                visitors_per_quarter=int(rng.integers(2, 6)) if rng.random() < 0.3 else None,
                rest_days=int(rng.choice([0, 0, 3, 7])),
                visitors_hosted=int(rng.integers(0, 12)),
            )
        )
    people = []
    for i in range(visitors):
        home = teams[int(rng.integers(team_count))]
        start = day(0, 30)
        people.append(
            Visitor(
                id=f"v{i}",
                home_team_id=home.id,
                learn=some_topics(1, 4),
                teach=some_topics(1, 4),
                available_from=start,
                available_until=start + timedelta(weeks=int(rng.integers(4, 18))),
                preferred_weeks=int(rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 6, 8])),
                work_mode=str(rng.choice(["onsite", "remote", "either", "either"])),
                city=home.city,
                willing_to_travel=bool(rng.random() < 0.3),
                looking=bool(rng.random() < 0.97),
            )
        )
    offers = []
    for j in range(openings):
        start = day(0, 30)
        weeks = int(rng.choice([2, 3, 3, 4, 4]))
        offers.append(
            Opening(
                id=f"o{j}",
                host_team_id=teams[int(rng.integers(team_count))].id,
                topics=some_topics(2, 5),
                hopes_to_learn=some_topics(1, 3),
                earliest_start=start,
                latest_end=start + timedelta(weeks=weeks + int(rng.integers(1, 12))),
                weeks=weeks,
                seats_left=int(rng.integers(1, 6)),
                mode=str(rng.choice(["onsite", "remote", "hybrid", "remote"])),
                status="open" if rng.random() < 0.97 else "closed",
            )
        )
    tours = []
    for _ in range(visitors // 5):
        person = people[int(rng.integers(visitors))]
        start = TODAY + timedelta(days=int(rng.integers(-120, 60)))
        tours.append(
            Tour(
                person.id,
                person.home_team_id,
                teams[int(rng.integers(team_count))].id,
                start,
                start + timedelta(weeks=int(rng.integers(2, 5)), days=-3),
            )
        )
    applications = [
        Application(f"v{int(rng.integers(visitors))}", f"o{int(rng.integers(openings))}")
        for _ in range(visitors // 10)
    ]
    related = {
        name: frozenset(names[i] for i in rng.choice(topics, 2, replace=False) if names[i] != name)
        for name in names
    }
    return Organisation(
        visitors=tuple(people),
        openings=tuple(offers),
        teams=tuple(teams),
        today=TODAY,
        tours=tuple(tours),
        applications=tuple(applications),
        related_topics=related,
    )


# ------------------------------------------------------------------------------------ measuring

_STATUS = Path("/proc/self/status")


@dataclass
class Measure:
    seconds: float
    peak_mib: float
    value: Any


def measure(run: Callable[[], Any]) -> Measure:
    """Time a call and the peak resident memory of the process while it ran (Linux: the peak is
    reset through /proc/self/clear_refs first)."""
    Path("/proc/self/clear_refs").write_text("5")
    start = time.perf_counter()
    value = run()
    seconds = time.perf_counter() - start
    peak_kib = int(re.search(r"VmHWM:\s+(\d+)", _STATUS.read_text()).group(1))
    return Measure(seconds, peak_kib / 1024, value)


def fastest(run: Callable[[], Any], times: int = 3) -> Measure:
    """The fastest of `times` runs (the machine is shared: the minimum is the least disturbed)."""
    return min((measure(run) for _ in range(times)), key=lambda m: m.seconds)


def row(name: str, m: Measure, note: str = "") -> None:
    print(f"  {name:<44} {m.seconds:9.3f} s {m.peak_mib:9.0f} MiB  {note}")


# ------------------------------------------------------------------------------------ references


def reference_flow(index: MatchIndex, pairs: PairTable, capped: bool = True) -> int:
    """The best-total-fit optimum by OR-tools min-cost flow, graph built here independently:
    source -> home team (cap) -> visitor (1) -> opening (score) -> sink (seats), source -> sink.
    Without `capped` the home-team cap is left out (the problem textbook deferred acceptance
    solves)."""
    n_t, n_v, n_o = index.no_team + 1, len(index.visitors), len(index.openings)
    team_node, visitor_node = 1 + np.arange(n_t), 1 + n_t + np.arange(n_v)
    opening_node = 1 + n_t + n_v + np.arange(n_o)
    sink = 1 + n_t + n_v + n_o
    flow = SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.zeros(n_t, np.int32),
        team_node,
        np.minimum(index.round_cap, n_v) if capped else np.full(n_t, n_v),
        np.zeros(n_t, np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        team_node[index.home], visitor_node, np.ones(n_v, np.int64), np.zeros(n_v, np.int64)
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        visitor_node[pairs.visitor],
        opening_node[pairs.opening],
        np.ones(len(pairs), np.int64),
        -pairs.points.astype(np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        opening_node, np.full(n_o, sink), index.seats.astype(np.int64), np.zeros(n_o, np.int64)
    )
    flow.add_arc_with_capacity_and_unit_cost(0, sink, n_v, 0)
    flow.set_node_supply(0, n_v)
    flow.set_node_supply(sink, -n_v)
    assert flow.solve() == flow.OPTIMAL
    return -flow.optimal_cost()


@dataclass
class Exact:
    """A MILP's answer: the best total found and a proven upper bound (equal when optimal)."""

    total: int
    bound: int
    optimal: bool


def reference_milp(index: MatchIndex, pairs: PairTable, calendar: bool) -> Exact:
    """The optimum by scipy's HiGHS MILP: per-round team caps, or weekly caps per start week and
    the hosts' limits among the round's own tours (quarters, rest weeks)."""
    if calendar:
        rows, weeks = start_options(pairs.starts)
    else:
        rows, weeks = np.arange(len(pairs)), np.zeros(len(pairs), np.int64)
    columns = np.arange(len(rows))
    ones = np.ones(len(rows))

    def matrix(keys: np.ndarray, height: int, cols: np.ndarray = columns) -> csr_matrix:
        return csr_matrix((np.ones(len(keys)), (keys, cols)), shape=(height, len(rows)))

    def spans(owner: np.ndarray, length: np.ndarray, keep: np.ndarray, height: int) -> csr_matrix:
        keys, cols = [], []
        for offset in range(int(length[keep].max(initial=0))):
            inside = keep & (offset < length) & (weeks + offset < HORIZON_WEEKS)
            keys.append(owner[inside] * HORIZON_WEEKS + weeks[inside] + offset)
            cols.append(columns[inside])
        return matrix(
            np.concatenate(keys or [[]]).astype(int),
            height,
            np.concatenate(cols or [[]]).astype(int),
        )

    constraints = [
        LinearConstraint(matrix(pairs.visitor[rows], len(index.visitors)), 0, 1),
        LinearConstraint(matrix(pairs.opening[rows], len(index.openings)), 0, index.seats),
    ]
    team = index.home[pairs.visitor[rows]]
    if calendar:
        n_teams = index.no_team + 1
        length = index.weeks[pairs.opening[rows]].astype(np.int64)
        weekly = spans(team, length, team != index.no_team, n_teams * HORIZON_WEEKS)
        constraints.append(LinearConstraint(weekly, 0, index.cap_left.ravel()))
        book = HostBook(index)
        host = index.host[pairs.opening[rows]]
        rest = book.rest[host]
        resting = spans(host, length + np.maximum(rest, 0), rest >= 0, n_teams * HORIZON_WEEKS)
        constraints.append(LinearConstraint(resting, 0, 1))
        quarters = len(book.quarter_weeks)
        started = matrix(
            host * quarters + np.array(book.quarter_of_week)[weeks], n_teams * quarters
        )
        constraints.append(LinearConstraint(started, 0, book.left.ravel()))
    else:
        capped = matrix(team, index.no_team + 1)
        constraints.append(LinearConstraint(capped, 0, np.minimum(index.round_cap, len(rows))))
    result = milp(
        -pairs.points[rows].astype(float),
        constraints=constraints,
        integrality=ones,
        bounds=Bounds(0, 1),
        options={"time_limit": 900},
    )
    total = 0 if result.x is None else round(-result.fun)
    bound = round(-result.mip_dual_bound) if result.mip_dual_bound is not None else total
    return Exact(total, max(bound, total), result.status == 0)


def reference_deferred_acceptance(
    index: MatchIndex, pairs: PairTable, *, capped: bool
) -> np.ndarray:
    """Textbook visitor-proposing deferred acceptance with heaps. With `capped`, the problem our
    fair round solves: a home team's members enter one at a time, best score first, while fewer
    than `round_cap` of them are held, and a host with limits holds a proposer only if the tour
    still fits its calendar (checked with the bot's HostBook, the rules' one home)."""
    n_v, n_o = len(index.visitors) + 1, len(index.openings) + 1
    visitor_key = pairs.points.astype(np.int64) * n_o + (n_o - pairs.opening)
    host_key = (pairs.host_points.astype(np.int64) * n_v + (n_v - pairs.visitor)).tolist()
    prefs = np.lexsort((-visitor_key, pairs.visitor))
    bounds = np.searchsorted(pairs.visitor[prefs], np.arange(n_v)).tolist()
    prefs, opening, visitor = prefs.tolist(), pairs.opening.tolist(), pairs.visitor.tolist()
    seats, home, host = index.seats.tolist(), index.home.tolist(), index.host.tolist()
    weeks, starts = index.weeks.tolist(), pairs.starts.tolist()
    book = HostBook(index)
    held: list[list[tuple[int, int]]] = [[] for _ in seats]
    week_of = {}
    next_pref = bounds[:-1]
    best = np.full(n_v - 1, -1, np.int64)
    np.maximum.at(best, pairs.visitor, pairs.points)
    queue: dict[int, list[int]] = {}
    for v in sorted(np.flatnonzero(best >= 0).tolist(), key=lambda v: (best[v], -v)):
        queue.setdefault(home[v] if capped else 0, []).append(v)
    room = {t: int(index.round_cap[t]) if capped else n_v for t in queue}

    def fits(r: int) -> bool:
        o = opening[r]
        free = book.fitting_starts(host[o], starts[r], weeks[o])
        if free:
            week_of[r] = (free & -free).bit_length() - 1
            book.book(host[o], week_of[r], weeks[o])
        return bool(free)

    def release(r: int) -> None:
        book.unbook(host[opening[r]], week_of.pop(r), weeks[opening[r]])

    free = [queue[t].pop() for t in queue for _ in range(min(room[t], len(queue[t])))]
    while free:
        v = free.pop()
        while next_pref[v] < bounds[v + 1]:
            r = prefs[next_pref[v]]
            next_pref[v] += 1
            heap = held[opening[r]]
            if len(heap) < seats[opening[r]]:
                if capped and not fits(r):
                    continue
                heapq.heappush(heap, (host_key[r], r))
                break
            if host_key[r] > heap[0][0]:
                out = heap[0][1]
                if capped:
                    kept = week_of[out]
                    release(out)
                    if not fits(r):
                        week_of[out] = kept
                        book.book(host[opening[out]], kept, weeks[opening[out]])
                        continue
                heapq.heapreplace(heap, (host_key[r], r))
                free.append(visitor[out])
                break
        else:  # v has nobody left to ask: the next member of its team may try
            team = home[v] if capped else 0
            if queue[team]:
                free.append(queue[team].pop())
    return np.array([r for heap in held for _, r in heap], dtype=np.int64)


# ------------------------------------------------------------------------------------ the run


def ratio(total: int, optimum: int | None) -> str:
    return "ratio n/a" if not optimum else f"ratio {total / optimum:.4f}"


def run_size(label: str, with_calendar: bool, calendar_milp: bool) -> None:
    visitors, openings = SIZES[label]
    organisation_ = organisation(visitors, openings)
    print(f"\n== {label}: {visitors} visitors x {openings} openings")
    built = measure(lambda: MatchIndex(organisation_))
    index = built.value
    row("index (records -> arrays)", built)
    found = measure(index.feasible_pairs)
    pairs = found.value
    share = len(pairs) / (visitors * openings)
    row("scoring: find + score feasible pairs", found, f"{len(pairs):,} pairs ({share:.1%})")
    sample = [v.id for v in organisation_.visitors[:200]]
    personal = measure(lambda: [suggest_openings(index, v) for v in sample])
    row("personal: top 5 openings (per visitor)", scaled(personal, len(sample)), "explained")
    leads = [o.id for o in organisation_.openings[:50]]
    for_leads = measure(lambda: [suggest_visitors(index, o) for o in leads])
    row("leads: top 5 visitors (per opening)", scaled(for_leads, len(leads)), "explained")

    print(
        "  -- best total fit (per-round home-team cap; ratios to the optimum without host limits)"
    )
    reference = measure(lambda: reference_flow(index, pairs))
    optimum = reference.value
    row("reference: OR-tools min-cost flow", reference, f"optimum {optimum / 1000:,.1f}")
    if visitors <= 1_000:
        exact = measure(lambda: reference_milp(index, pairs, calendar=False))
        row("reference: scipy HiGHS MILP", exact, ratio(exact.value.total, optimum))
    ours = measure(lambda: best_total_fit(index, index.feasible_pairs()))
    anchor = found.seconds + reference.seconds
    speed = f"{ours.seconds / anchor:.2f}x (pairs + OR-tools)"
    row("ours: pairs + best_total_fit", ours, f"{ratio(ours.value.total(pairs), optimum)}; {speed}")
    alone = best_fit_alone(label)
    row("ours: the same in a process of its own", alone, "peak of the index, pairs and round")
    baseline = measure(lambda: greedy(index, pairs))
    row("greedy", baseline, ratio(baseline.value.total(pairs), optimum))

    print("  -- fair / stable, uncapped (no home-team cap, no host limits) vs the same")
    free_index = MatchIndex(uncapped(organisation_))
    free_pairs = free_index.feasible_pairs()
    fair_pair(free_index, free_pairs, capped=False)
    print("  -- fair / stable, capped (home-team cap, host limits) vs the same")
    fair_pair(index, pairs, capped=True)

    if not with_calendar:
        return
    print("  -- calendar-aware (weekly home-team cap, host limits)")
    exact = None
    if calendar_milp:
        solved = measure(lambda: reference_milp(index, pairs, calendar=True))
        exact = solved.value
        state = "optimal" if exact.optimal else "time limit"
        row(
            "reference: scipy HiGHS MILP",
            solved,
            f"{state}: best {exact.total / 1000:,.1f}, bound {exact.bound / 1000:,.1f}",
        )
    plain = measure(lambda: calendar_greedy(index, pairs))
    optimum = exact.total if exact and exact.optimal else None
    row("greedy (weekly cap)", plain, ratio(plain.value.total(pairs), optimum))
    ours = measure(lambda: calendar_aware(index, pairs))
    total, bound = ours.value.total(pairs), ours.value.upper_bound
    proven = min(bound, exact.bound) if exact else bound
    row(
        "ours: calendar_aware",
        ours,
        f"{ratio(total, optimum)}; proven >= {total / proven:.4f} of the optimum; "
        f"own bound {bound / 1000:,.1f} (gap {1 - total / bound:.2%})",
    )


def best_fit_alone(label: str) -> Measure:
    """Pairs + best_total_fit timed in a fresh process holding only the index, so that its peak
    is the round's own (not the references' arrays kept here)."""
    command = [sys.executable, "-m", "benchmarks.matching", "--sizes", label, "--best-fit-alone"]
    seconds, peak = subprocess.run(
        command, check=True, capture_output=True, text=True
    ).stdout.split()
    return Measure(float(seconds), float(peak), None)


def uncapped(org: Organisation) -> Organisation:
    """The same organisation with no home-team round cap and no host limits."""
    teams = tuple(
        replace(t, round_cap=len(org.visitors), visitors_per_quarter=None, rest_days=0)
        for t in org.teams
    )
    return replace(org, teams=teams)


def fair_pair(index: MatchIndex, pairs: PairTable, *, capped: bool) -> None:
    """Our fair round next to the textbook heap deferred acceptance on the same problem, each the
    fastest of three runs."""
    optimum = reference_flow(index, pairs, capped=capped)
    textbook = fastest(lambda: reference_deferred_acceptance(index, pairs, capped=capped))
    total = int(pairs.points[textbook.value].sum())
    row("reference: heap deferred acceptance", textbook, ratio(total, optimum) + " (of the flow)")
    stable = fastest(lambda: fair(index, pairs))
    blocking = len(blocking_pairs(index, pairs, stable.value))
    row(
        "ours: fair",
        stable,
        f"{ratio(stable.value.total(pairs), optimum)}; {blocking} blocking pairs; "
        f"{stable.seconds / textbook.seconds:.2f}x reference",
    )


def scaled(m: Measure, count: int) -> Measure:
    return Measure(m.seconds / count, m.peak_mib, m.value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=list(SIZES))
    parser.add_argument(
        "--calendar-up-to", choices=list(SIZES), default="5k", help="largest calendar-aware size"
    )
    parser.add_argument("--no-calendar-milp", action="store_true", help="skip the slow exact MILP")
    parser.add_argument("--best-fit-alone", action="store_true", help=best_fit_alone.__doc__)
    args = parser.parse_args()
    if args.best_fit_alone:
        index = MatchIndex(organisation(*SIZES[args.sizes[0]]))
        alone = measure(lambda: best_total_fit(index, index.feasible_pairs()))
        print(alone.seconds, alone.peak_mib)
        return
    if len(args.sizes) > 1:  # one process per size, so that peak memory is each size's own
        for label in args.sizes:
            options = ["--calendar-up-to", args.calendar_up_to]
            options += ["--no-calendar-milp"] if args.no_calendar_milp else []
            command = [sys.executable, "-m", "benchmarks.matching", "--sizes", label, *options]
            subprocess.run(command, check=True)
        return
    (label,) = args.sizes
    with_calendar = list(SIZES).index(label) <= list(SIZES).index(args.calendar_up_to)
    run_size(label, with_calendar, not args.no_calendar_milp and label == "1k")


if __name__ == "__main__":
    main()
