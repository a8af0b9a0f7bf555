"""The exact assignment behind the rounds: maximum total gain under seats, one opening per
visitor and home-team caps, by min-cost flow over the feasible pairs.

A flow over every pair holds all of them in the solver at once (about 90 bytes an arc: 8 million
pairs at 20k x 5k take 670 MiB). Few pairs matter: a visitor's best few. So the flow starts with
each visitor's `per_visitor` best pairs, and prices every pair left out with the potentials of
its optimum (shortest distances in the residual graph, an optimal dual): a pair left out whose
reduced cost is negative could raise the total, so it joins and the flow is solved again. When
none could, the potentials are a feasible dual for every pair and the restricted optimum is the
optimum of the whole problem (column generation; exact, not a heuristic).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

from bot.matching.index import MatchIndex, PairTable

ARCS_PER_VISITOR = 24
# Up to this many pair arcs (about 170 MiB in the solver) the flow takes them all at once: one
# solve, and the same optimum (ties included) as ever, which the calendar round's steps follow.
FULL_FLOW_ARCS = 2_000_000
_PRICING_SLICE = 1 << 20


def best_assignment(
    index: MatchIndex,
    pairs: PairTable,
    gains: np.ndarray,
    *,
    caps: np.ndarray | None,
    seats: np.ndarray | None = None,
    per_visitor: int | None = None,
) -> np.ndarray:
    """Rows maximising the sum of integer `gains` (rows with gains <= 0 are never chosen) with
    one opening per visitor, `seats` per opening (default: the seats left) and, given `caps`, at
    most that many visitors of each home team (by team position), by min-cost flow:
    source -> home team -> visitor -> opening -> sink, plus a free source -> sink arc for the flow
    nobody uses. Beyond `FULL_FLOW_ARCS` pairs (or given `per_visitor`), pair arcs join as the
    module docstring describes."""
    positive = np.flatnonzero(gains > 0)
    if not len(positive):
        return np.empty(0, dtype=np.int64)
    if per_visitor is None:
        per_visitor = len(positive) if len(positive) <= FULL_FLOW_ARCS else ARCS_PER_VISITOR
    if per_visitor >= len(positive):
        active = np.ones(len(positive), dtype=bool)
    else:
        active = _best_of_each_visitor(pairs.visitor[positive], gains[positive], per_visitor)
    while True:
        network = _Network.solve(index, pairs, gains, positive[active], caps=caps, seats=seats)
        if active.all():
            return network.chosen
        joining = network.improving(pairs, gains, positive, ~active)
        if not len(joining):
            return network.chosen
        active[joining] = True


def _best_of_each_visitor(visitor: np.ndarray, gains: np.ndarray, count: int) -> np.ndarray:
    """Mask of each visitor's `count` highest gains (ties to the earlier row)."""
    order = np.lexsort((-gains, visitor))
    run_start = np.searchsorted(visitor[order], visitor[order])
    keep = np.zeros(len(visitor), dtype=bool)
    keep[order] = np.arange(len(order)) - run_start < count
    return keep


@dataclass(frozen=True, slots=True)
class _Network:
    """A solved flow: its arcs (tail, head, unit cost, capacity, flow) and the pair rows chosen."""

    tail: np.ndarray
    head: np.ndarray
    cost: np.ndarray
    capacity: np.ndarray
    flow: np.ndarray
    chosen: np.ndarray
    first_visitor: int
    first_opening: int

    @classmethod
    def solve(
        cls,
        index: MatchIndex,
        pairs: PairTable,
        gains: np.ndarray,
        rows: np.ndarray,
        *,
        caps: np.ndarray | None,
        seats: np.ndarray | None,
    ) -> _Network:
        n_v, n_o = len(index.visitors), len(index.openings)
        if caps is not None:
            team_of, limits = index.home, np.minimum(caps, n_v)
        else:
            team_of, limits = np.zeros(n_v, dtype=np.int32), np.array([n_v])
        first_v = 1 + len(limits)
        first_o = first_v + n_v
        sink = first_o + n_o
        tail = np.concatenate(
            [
                pairs.visitor[rows] + first_v,
                np.zeros(len(limits)),
                team_of + 1,
                np.arange(first_o, sink),
                [0],
            ]
        ).astype(np.int32)
        head = np.concatenate(
            [
                pairs.opening[rows] + first_o,
                np.arange(1, first_v),
                np.arange(first_v, first_o),
                np.full(n_o, sink),
                [sink],
            ]
        ).astype(np.int32)
        capacity = np.concatenate(
            [
                np.ones(len(rows)),
                limits,
                np.ones(n_v),
                index.seats if seats is None else seats,
                [n_v],
            ]
        ).astype(np.int64)
        cost = np.zeros(len(tail), dtype=np.int64)
        cost[: len(rows)] = -gains[rows]
        solver = SimpleMinCostFlow()
        solver.add_arcs_with_capacity_and_unit_cost(tail, head, capacity, cost)
        solver.set_node_supply(0, n_v)
        solver.set_node_supply(sink, -n_v)
        status = solver.solve()
        if status != solver.OPTIMAL:
            raise RuntimeError(f"min-cost flow failed with status {status}")
        flow = solver.flows(np.arange(len(tail), dtype=np.int32))
        chosen = rows[np.flatnonzero(flow[: len(rows)] > 0)]
        return cls(tail, head, cost, capacity, flow, chosen, first_v, first_o)

    def improving(
        self, pairs: PairTable, gains: np.ndarray, positive: np.ndarray, left_out: np.ndarray
    ) -> np.ndarray:
        """Positions (into `positive`) of the pairs left out whose arc has a negative reduced cost,
        priced a slice at a time so that memory stays near the flow's own."""
        distance = self.distances()
        found = []
        for first in range(0, len(positive), _PRICING_SLICE):
            at = first + np.flatnonzero(left_out[first : first + _PRICING_SLICE])
            rows = positive[at]
            reduced = (
                distance[self.first_visitor + pairs.visitor[rows]]
                - distance[self.first_opening + pairs.opening[rows]]
                - gains[rows]
            )
            found.append(at[reduced < 0])
        return np.concatenate(found)

    def distances(self) -> np.ndarray:
        """Shortest distances in the residual graph from a virtual node joined to every node at
        no cost (Bellman-Ford, vectorised). The flow is optimal, so the residual graph has no
        negative cycle and they exist; every residual arc then has a reduced cost >= 0."""
        forward, backward = self.flow < self.capacity, self.flow > 0
        tail = np.concatenate([self.tail[forward], self.head[backward]])
        head = np.concatenate([self.head[forward], self.tail[backward]])
        cost = np.concatenate([self.cost[forward], -self.cost[backward]])
        order = np.argsort(head, kind="stable")
        tail, head, cost = tail[order], head[order], cost[order]
        starts = np.flatnonzero(np.r_[True, head[1:] != head[:-1]])
        heads = head[starts]
        distance = np.zeros(int(max(self.tail.max(), self.head.max())) + 1, dtype=np.int64)
        while True:
            nearest = np.minimum.reduceat(distance[tail] + cost, starts)
            closer = nearest < distance[heads]
            if not closer.any():
                return distance
            distance[heads[closer]] = nearest[closer]
