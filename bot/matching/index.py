"""The matching index: an organisation compiled into arrays, and the feasibility rules and score.

Each feasibility rule is written once, as a numpy expression over visitor and opening positions
that broadcasts: given a column of visitors and a row of openings it yields a block, given two
aligned vectors it yields one value per pair. Pair finding runs the rules cheapest-first over
blocks of visitors against all open openings and keeps only survivors, so memory follows the
feasible pairs, not visitors x openings; the diagnosis runs every rule on one visitor's row to
say why nothing fits.
"""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import cast

import numpy as np

from bot.core.visit_rules import quarter
from bot.matching.calendar import (
    HORIZON_WEEKS,
    first_start_week,
    last_end_week,
    lowest_week,
    monday,
    range_masks,
    start_mask,
    week_of,
    weeks_mask,
    working_weeks,
)
from bot.matching.model import (
    MAX_TOUR_WEEKS,
    OPEN_STATUS,
    Obstacle,
    Opening,
    Organisation,
    Team,
    Tour,
    Visitor,
)
from bot.matching.weights import DEFAULT_WEIGHTS, MILLI, ScoreWeights

# Cells (visitors x openings) evaluated at once while finding pairs: big enough for fast matrix
# products, small enough that the temporary blocks stay around a hundred MiB.
BLOCK_CELLS = 4_000_000
# Opening modes as bits, and the modes each working preference accepts (onsite and hybrid need
# presence, which a person willing to travel or living in the host's city can give).
_OPENING_MODE_BIT = {"onsite": 1, "remote": 2, "hybrid": 4}
_ACCEPTED_MODES = {"onsite": 1 | 4, "remote": 2 | 4, "either": 1 | 2 | 4}
_NEEDS_PRESENCE = 1 | 4
# Only a fully on-site opening needs the visitor's city to be known: a hybrid one can start
# remotely, so both forms' defaults (hybrid opening, "either" profile without a city) match.
_NEEDS_KNOWN_CITY = 1
_NO_CAP = 1 << 30


@dataclass(frozen=True, slots=True)
class PairTable:
    """Feasible (visitor, opening) pairs as parallel arrays of positions into the index.

    `points` is the score in milli-points, `host_points` the host's preference (stable round) in
    milli-points, `starts` the mask of possible start weeks (bit w = Monday of week w counted from
    the week containing today).
    """

    visitor: np.ndarray
    opening: np.ndarray
    points: np.ndarray
    host_points: np.ndarray
    starts: np.ndarray

    def __len__(self) -> int:
        return len(self.visitor)

    def take(self, rows: np.ndarray) -> PairTable:
        return PairTable(
            self.visitor[rows],
            self.opening[rows],
            self.points[rows],
            self.host_points[rows],
            self.starts[rows],
        )

    @classmethod
    def concatenate(cls, tables: list[PairTable]) -> PairTable:
        if not tables:
            empty = np.empty(0, np.int32)
            return cls(empty, empty, empty, empty, np.empty(0, np.uint64))
        return cls(*(np.concatenate([getattr(t, name) for t in tables]) for name in cls.__slots__))


@dataclass(frozen=True, slots=True)
class Fit:
    """How well aligned pairs fit, part by part, before weighting (see bot.matching.weights):
    rarity sums of the topics and of the two-way topics, duration fit in [0, 1], novelty 0/1 and
    the small-host factor in (0, 1]."""

    topic: np.ndarray
    two_way: np.ndarray
    duration: np.ndarray
    novelty: np.ndarray
    small_host: np.ndarray

    def parts(self, w: ScoreWeights) -> dict[str, np.ndarray]:
        """Points of each part of the visitor-side score."""
        return {
            "topic": w.topic * self.topic,
            "two_way": w.two_way * self.two_way,
            "duration": w.duration * self.duration,
            "novelty": w.novelty * self.novelty,
            "small_host": w.small_host * self.small_host,
        }

    def points(self, w: ScoreWeights) -> np.ndarray:
        """The score in milli-points."""
        return _milli(cast(np.ndarray, sum(self.parts(w).values())))

    def host_points(self, w: ScoreWeights) -> np.ndarray:
        """The host's ranking of the visitor (stable round) in milli-points."""
        return _milli(
            w.host_topic * self.topic
            + w.host_two_way * self.two_way
            + w.host_duration * self.duration
        )


def _codes(values: Iterable[str | None], known: dict[str, int], missing: int) -> np.ndarray:
    codes = [missing if v is None else known.setdefault(v, len(known)) for v in values]
    return np.array(codes, dtype=np.int32)


def stray_topics(org: Organisation) -> frozenset[str]:
    """Topics that at most one person (learning or teaching) and one opening name."""
    return _strays(_people_topics(org.visitors), _opening_topics(org.openings))


def _people_topics(visitors: Iterable[Visitor]) -> Counter[str]:
    return Counter(t for v in visitors for t in v.learn | v.teach)


def _opening_topics(openings: Iterable[Opening]) -> Counter[str]:
    return Counter(t for o in openings for t in o.topics | o.hopes_to_learn)


def _strays(people: Counter[str], openings: Counter[str]) -> frozenset[str]:
    named = {t for t, n in people.items() if n > 0} | {t for t, n in openings.items() if n > 0}
    return frozenset(t for t in named if people[t] <= 1 >= openings[t])


@dataclass(frozen=True, slots=True)
class VisitorColumns:
    """The compiled columns of some visitors, one row per visitor (see MatchIndex)."""

    home: np.ndarray
    not_looking: np.ndarray
    snoozed: np.ndarray
    eligible: np.ndarray
    accepted_modes: np.ndarray
    visitor_city: np.ndarray
    travels: np.ndarray
    preferred_weeks: np.ndarray
    visitor_first: np.ndarray
    visitor_last: np.ndarray
    visitor_weeks: np.ndarray
    learn: np.ndarray
    teach: np.ndarray

    def patched(self, rows: np.ndarray, new: VisitorColumns, size: int, pad: int) -> VisitorColumns:
        """These columns grown to `size` rows, with `new`'s rows written at positions `rows`;
        topic slot columns (`learn`, `teach`) are widened with the empty topic `pad` as needed."""
        columns = {}
        for name in (f.name for f in fields(self)):
            old, fresh = getattr(self, name), getattr(new, name)
            if old.ndim == 2:  # topic slots: as wide as the widest row, padded
                width = max(old.shape[1], fresh.shape[1])
                grown = np.full((size, width), pad, old.dtype)
                grown[: len(old), : old.shape[1]] = old
                grown[rows] = pad
                grown[rows, : fresh.shape[1]] = fresh
            else:
                grown = np.zeros(size, old.dtype)
                grown[: len(old)] = old
                grown[rows] = fresh
            columns[name] = grown
        return VisitorColumns(**columns)


class MatchIndex:
    """An organisation compiled for matching. Build it once per request or round; it is read-only.

    Positions: visitors, openings and teams are numbered in the order of the organisation's tuples;
    the extra team position `no_team` stands for "no home team".
    """

    def __init__(
        self,
        org: Organisation,
        weights: ScoreWeights = DEFAULT_WEIGHTS,
        previous: MatchIndex | None = None,
    ) -> None:
        """`previous`, an index of an earlier state of the same organisation on the same day,
        lends the compiled rows of the teams and visitors that did not change (the very same
        records), so that an opening, a team or a visit changing compiles little again."""
        if previous is not None and previous.org.today != org.today:
            previous = None
        self.org: Organisation = org
        self.weights = weights
        self.visitors = org.visitors
        self.openings = org.openings
        self.teams = org.teams
        self.base_week = week_of(org.today)
        self.visitor_pos = {v.id: i for i, v in enumerate(self.visitors)}
        self.opening_pos = {o.id: j for j, o in enumerate(self.openings)}
        self.team_pos = {t.id: k for k, t in enumerate(self.teams)}
        self.no_team = len(self.teams)
        self.visitor_kind: np.ndarray
        self._learners: np.ndarray
        self._learner_bounds: np.ndarray
        self._compile_topics(org, previous)
        self._compile_teams(org, previous)
        self._compile_visitors(org, previous)
        self._compile_openings(org, previous)
        self._compile_work_modes(previous)
        self._compile_exclusions(org)

    # ----------------------------------------------------------------------------- compiling

    def _team_of(self, team_id: str | None, whose: str) -> int:
        if team_id is None:
            return self.no_team
        if team_id not in self.team_pos:
            raise ValueError(f"{whose} names unknown team {team_id!r}")
        return self.team_pos[team_id]

    def _compile_topics(self, org: Organisation, previous: MatchIndex | None) -> None:
        # The counts are kept so that a visitor's change can tell whether it moves any of this.
        self._people_topics = _people_topics_after(org.visitors, previous)
        self._opening_topics = _opening_topics(org.openings)
        counts = (self._people_topics, self._opening_topics)
        self.topics = sorted({t for counted in counts for t, n in counted.items() if n > 0})
        self.topic_pos = {t: i for i, t in enumerate(self.topics)}
        offered = Counter(t for o in org.openings for t in o.topics)
        n = len(org.openings)
        raw = np.array([1 + np.log((1 + n) / (1 + offered[t])) for t in self.topics])
        # A stray topic (one profile and one opening at most: a typo or a private word) weighs a
        # share of a topic every opening offers (raw 1), so typos cannot outrank a real fit.
        self._strays = stray = _strays(self._people_topics, self._opening_topics)
        for position, topic in enumerate(self.topics):
            if topic in stray:
                raw[position] = self.weights.stray_topic_share
        self.rarity_of = dict(zip(self.topics, (raw / (1 + np.log(1 + n))).tolist(), strict=True))
        self.rarity = np.array([self.rarity_of[t] for t in self.topics], dtype=np.float32)

    def _topic_slots(self, sets: Iterable[frozenset[str]]) -> np.ndarray:
        """Topic positions of each set, one row per set, padded with the empty topic `len(topics)`
        (topics sorted by name, so sums always add in the same order)."""
        rows = [sorted(self.topic_pos[t] for t in s) for s in sets]
        slots = np.full((len(rows), max(map(len, rows), default=0)), len(self.topics), np.int32)
        for i, row in enumerate(rows):
            slots[i, : len(row)] = row
        return slots

    def _topic_matrix(self, sets: Iterable[frozenset[str]]) -> np.ndarray:
        """0/1 matrix of sets x topics, with a last all-zero column for the empty topic."""
        slots = self._topic_slots(sets)
        matrix = np.zeros((len(slots), len(self.topics) + 1), dtype=np.float32)
        np.put_along_axis(matrix, slots, 1.0, axis=1)
        matrix[:, -1] = 0.0
        return matrix

    def _compile_teams(self, org: Organisation, previous: MatchIndex | None) -> None:
        n = len(self.teams) + 1
        # Codes of the earlier index kept: its compiled visitor rows stay valid.
        cities: dict[str, int] = {} if previous is None else dict(previous._cities)
        self.team_city = _codes([t.city for t in self.teams] + [None], cities, -2)
        self._cities: dict[str, int] = cities
        hosted_tours: dict[int, list[Tour]] = defaultdict(list)
        self.visited = np.zeros((n, n), dtype=bool)
        self.cap_left = np.full((n, HORIZON_WEEKS), _NO_CAP, dtype=np.int64)
        for k, team in enumerate(self.teams):
            self.cap_left[k] = team.away_cap
        for tour in org.tours:
            host = self.team_pos.get(tour.host_team_id)
            home = self.team_pos.get(tour.home_team_id) if tour.home_team_id else self.no_team
            if host is not None:
                hosted_tours[host].append(tour)
            if home is not None and home != self.no_team:
                if host is not None:
                    self.visited[home, host] = True
                away = self._relative(working_weeks(tour.start, tour.end))
                self.cap_left[home, away.start : away.stop] -= 1
        self.cap_left = np.maximum(self.cap_left, 0)
        self._hosted = hosted_tours
        self.blackout_ok = np.empty((n, MAX_TOUR_WEEKS + 1), dtype=np.uint64)
        self.host_ok = np.empty_like(self.blackout_ok)
        for k in range(n):
            maybe_team = self.teams[k] if k < len(self.teams) else None
            kept = previous._team_weeks(maybe_team, hosted_tours[k]) if previous else None
            if kept is not None:  # nothing it hosts or blacks out moved
                self.blackout_ok[k], self.host_ok[k] = kept
            else:
                self._compile_team_weeks(k, maybe_team, hosted_tours[k])
        round_caps = [t.away_cap if t.round_cap is None else t.round_cap for t in self.teams]
        self.round_cap = np.array([*round_caps, _NO_CAP], dtype=np.int64)
        self.small_host = np.array(
            [1 / (1 + t.visitors_hosted) for t in self.teams] + [0.0], dtype=np.float32
        )

    def _compile_team_weeks(self, k: int, team: Team | None, hosted: list[Tour]) -> None:
        """Row `k` of `blackout_ok` and `host_ok`: the start weeks each tour length may take."""
        blackout = self._blackout_weeks(team)
        resting, full_quarters = self._host_limit_weeks(team, hosted)
        for weeks in range(MAX_TOUR_WEEKS + 1):
            self.blackout_ok[k, weeks] = start_mask(blackout, max(weeks, 1))
            self.host_ok[k, weeks] = start_mask(blackout | resting, max(weeks, 1)) & ~full_quarters

    def _team_weeks(
        self, team: Team | None, hosted: list[Tour]
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """The rows of `blackout_ok` and `host_ok` compiled here for `team` (None: no team) when
        it and the tours it hosts are as they were here."""
        k = self.no_team if team is None else self.team_pos.get(team.id)
        if k is None or (team is not None and self.teams[k] != team):
            return None
        before = sorted(self._hosted.get(k, []), key=tour_order)
        if before != sorted(hosted, key=tour_order):
            return None
        return self.blackout_ok[k], self.host_ok[k]

    def _relative(self, weeks: range) -> range:
        first = min(max(weeks.start - self.base_week, 0), HORIZON_WEEKS)
        return range(first, min(max(weeks.stop - self.base_week, first), HORIZON_WEEKS))

    def _shifted_mask(self, weeks: range) -> int:
        return weeks_mask(range(weeks.start - self.base_week, weeks.stop - self.base_week))

    def _blackout_weeks(self, team: Team | None) -> int:
        mask = 0
        for first, last in team.blackouts if team else ():
            mask |= self._shifted_mask(working_weeks(first, last))
        return mask

    def _host_limit_weeks(self, team: Team | None, hosted: list[Tour]) -> tuple[int, int]:
        """(weeks a new tour may not touch because of rest days, weeks it may not start in because
        the quarter is full)."""
        if team is None:
            return 0, 0
        resting = 0
        if team.rest_days > 0:
            for tour in hosted:
                around = working_weeks(
                    date.fromordinal(tour.start.toordinal() - team.rest_days),
                    date.fromordinal(tour.end.toordinal() + team.rest_days),
                )
                resting |= self._shifted_mask(around)
        full = 0
        if team.visitors_per_quarter is not None:
            per_quarter = Counter(quarter(tour.start) for tour in hosted)
            for week in range(HORIZON_WEEKS):
                if per_quarter[quarter(monday(self.base_week + week))] >= team.visitors_per_quarter:
                    full |= 1 << week
        return resting, full

    def _window(self, first: date, last: date) -> tuple[int, int]:
        """(first start week, last end week) of a window, relative to today's week."""
        start = first_start_week(max(first, self.org.today)) - self.base_week
        end = last_end_week(last) - self.base_week
        return max(start, 0), min(end, HORIZON_WEEKS - 1)

    def _compile_visitors(self, org: Organisation, previous: MatchIndex | None) -> None:
        moved = None if previous is None else _moved(previous.visitors, self.visitors)
        same_teams = previous is not None and [t.id for t in previous.teams] == [
            t.id for t in self.teams
        ]
        if previous is None or moved is None or not same_teams or previous.topics != self.topics:
            self._use_visitor_columns(self._visitor_columns(self.visitors))
            return
        if not moved:  # the very same columns, and who learns what
            self._use_visitor_columns(previous._visitor_cols, previous)
            return
        # The same topic and team positions: only the rows of the visitors that changed move.
        rows = np.array(moved, dtype=np.int64)
        changed = self._visitor_columns([self.visitors[i] for i in moved])
        pad = len(self.topics)
        self._use_visitor_columns(
            previous._visitor_cols.patched(rows, changed, len(self.visitors), pad)
        )

    def _visitor_columns(self, vs: Sequence[Visitor]) -> VisitorColumns:
        today = self.org.today
        windows = np.array([self._window(v.available_from, v.available_until) for v in vs])
        first, last = windows.reshape(-1, 2).T.astype(np.int16)
        return VisitorColumns(
            home=np.array([self._team_of(v.home_team_id, f"visitor {v.id}") for v in vs], np.int32),
            not_looking=np.array([not v.looking for v in vs], dtype=bool),
            snoozed=np.array([v.snoozed_on(today) for v in vs], dtype=bool),
            eligible=~np.array([v.paused_on(today) for v in vs], dtype=bool),
            accepted_modes=np.array([_ACCEPTED_MODES[v.work_mode] for v in vs], dtype=np.uint8),
            visitor_city=_codes([v.city for v in vs], self._cities, -1),
            travels=np.array([v.willing_to_travel for v in vs], dtype=bool),
            preferred_weeks=np.array([v.preferred_weeks for v in vs], dtype=np.int16),
            visitor_first=first,
            visitor_last=last,
            visitor_weeks=last - first + 1,
            learn=self._topic_slots(v.learn for v in vs),
            teach=self._topic_slots(v.teach for v in vs),
        )

    def _use_visitor_columns(self, c: VisitorColumns, like: MatchIndex | None = None) -> None:
        """Columns `c`; `like`, an index using the same, lends what it derived from them."""
        self._visitor_cols = c
        self.home, self.not_looking, self.snoozed = c.home, c.not_looking, c.snoozed
        self.eligible, self.accepted_modes, self.travels = c.eligible, c.accepted_modes, c.travels
        self.visitor_city, self.preferred_weeks = c.visitor_city, c.preferred_weeks
        self.visitor_first, self.visitor_last = c.visitor_first, c.visitor_last
        self.visitor_weeks, self.learn, self.teach = c.visitor_weeks, c.learn, c.teach
        if like is not None:
            self._learners, self._learner_bounds = like._learners, like._learner_bounds
            return
        # Who learns each topic (positions grouped by topic, `_learner_bounds[t]` to `[t + 1]`):
        # a lead's candidates are looked for among those, not among everyone.
        topics = self.learn.ravel()
        order = np.argsort(topics, kind="stable")
        self._learners = (order // max(self.learn.shape[1], 1)).astype(np.int32)
        self._learner_bounds = np.searchsorted(topics[order], np.arange(len(self.topics) + 2))

    def _compile_openings(self, org: Organisation, previous: MatchIndex | None) -> None:
        os_ = self.openings
        self.host = np.array(
            [self._team_of(o.host_team_id, f"opening {o.id}") for o in os_], np.int32
        )
        self.is_open = np.array([o.status == OPEN_STATUS and o.seats_left > 0 for o in os_], bool)
        self.seats = np.array([max(o.seats_left, 0) for o in os_], dtype=np.int32)
        self.mode_bit = np.array([_OPENING_MODE_BIT[o.mode] for o in os_], dtype=np.uint8)
        self.host_city = self.team_city[self.host]
        for o in os_:
            if not 1 <= o.weeks <= MAX_TOUR_WEEKS:
                raise ValueError(f"opening {o.id} lasts {o.weeks} weeks (1..{MAX_TOUR_WEEKS})")
        self.weeks = np.array([o.weeks for o in os_], dtype=np.int16)
        windows = np.array([self._window(o.earliest_start, o.latest_end) for o in os_])
        self.opening_first, self.opening_last = windows.reshape(-1, 2).T.astype(np.int16)
        self.opening_first_end = self.opening_first + self.weeks - 1
        # An opening whose own window is too short for its tour gets an impossible last start.
        last_start = self.opening_last - self.weeks + 1
        self.opening_last_start = np.where(
            last_start >= self.opening_first, last_start, -HORIZON_WEEKS
        ).astype(np.int16)
        self._offered, self._hoped = offered, hoped = self._opening_topics_matrices(previous)
        related = np.zeros((len(self.topics) + 1, len(self.topics) + 1), dtype=np.float32)
        for topic, others in org.related_topics.items():
            if topic in self.topic_pos:
                known = [self.topic_pos[t] for t in others if t in self.topic_pos]
                related[self.topic_pos[topic], known] = 1.0
        only_related = ((offered @ related.T) > 0) & (offered == 0)
        credit = offered + self.weights.related_credit * only_related.astype(np.float32)
        # Points per (opening, learn topic) and per (opening, teach topic): rarity, or a share of
        # it for a related topic; the transposed 0/1 forms answer "any topic in common?" fast.
        rarity = np.append(self.rarity, np.float32(0))
        self.cover = (credit * rarity).ravel()
        self.wanted = (hoped * rarity).ravel()
        self._row = len(self.topics) + 1
        self.open_openings = np.flatnonzero(self.is_open).astype(np.int32)
        self._open_covers_t = self._covers_t(self.open_openings)

    def _opening_topics_matrices(self, previous: MatchIndex | None) -> tuple[np.ndarray, ...]:
        """0/1 matrices (see `_topic_matrix`) of the topics each opening offers and hopes to
        learn; the rows of the openings `previous` compiled over the same topics are copied."""
        os_ = self.openings
        source = np.full(len(os_), -1)
        if previous is not None and previous.topics == self.topics:
            for j, o in enumerate(os_):
                before = previous.opening_pos.get(o.id)
                if before is not None and previous.openings[before] is o:
                    source[j] = before
        fresh = np.flatnonzero(source < 0).tolist()
        offered = self._topic_matrix(os_[j].topics for j in fresh)
        hoped = self._topic_matrix(os_[j].hopes_to_learn for j in fresh)
        if previous is None or len(fresh) == len(os_):
            return offered, hoped
        matrices = previous._offered[source], previous._hoped[source]
        for matrix, compiled in zip(matrices, (offered, hoped), strict=True):
            matrix[fresh] = compiled
        return matrices

    def _compile_exclusions(self, org: Organisation) -> None:
        n = len(self.openings)
        applied = [
            self.visitor_pos[a.visitor_id] * n + self.opening_pos[a.opening_id]
            for a in org.applications
            if a.visitor_id in self.visitor_pos and a.opening_id in self.opening_pos
        ]
        by_host: dict[int, list[int]] = defaultdict(list)
        for j, k in enumerate(self.host.tolist()):
            by_host[k].append(j)
        visited = [
            self.visitor_pos[t.visitor_id] * n + j
            for t in org.tours
            if t.visitor_id in self.visitor_pos and t.host_team_id in self.team_pos
            for j in by_host[self.team_pos[t.host_team_id]]
        ]
        self.applied_keys = np.unique(np.array(applied, dtype=np.int64))
        self.visited_keys = np.unique(np.array(visited, dtype=np.int64))
        self.excluded_keys = np.union1d(self.applied_keys, self.visited_keys)
        self.has_exclusions = np.zeros(len(self.visitors), dtype=bool)
        self.has_exclusions[self.excluded_keys // max(n, 1)] = True

    # ----------------------------------------------------------------------------- updating

    def with_visitors(self, org: Organisation, changed: Iterable[str]) -> MatchIndex:
        """The index of `org`, which differs from this index's organisation only in the visitors
        `changed` (edited in place or added at the end) and in applications. Only their rows are
        compiled again; the answers are those of `MatchIndex(org)`, which is what this returns
        when the change reaches further (a visitor gone, a topic appearing or disappearing or
        becoming stray or not, a city nobody named)."""
        ids, count = set(changed), len(self.visitors)
        positions = {i: self.visitor_pos[i] for i in ids & self.visitor_pos.keys()}
        before = [self.visitors[position] for position in positions.values()]
        positions.update((v.id, p) for p, v in enumerate(org.visitors[count:], count))
        # Everyone else keeps their position unless someone left: then the length tells.
        fresh = len(org.visitors) != count + len(positions) - len(before) or any(
            p >= len(org.visitors) or org.visitors[p].id != i or i not in ids
            for i, p in positions.items()
        )
        if fresh:
            return MatchIndex(org, self.weights, previous=self)
        after = [org.visitors[position] for position in positions.values()]
        people = self._people_topics.copy()
        for visitor in before:
            people.subtract(visitor.learn | visitor.teach)
        for visitor in after:
            people.update(visitor.learn | visitor.teach)
        touched = {t for v in (*before, *after) for t in v.learn | v.teach}
        if not self._same_topics(people, touched) or not self._cities_known(after):
            return MatchIndex(org, self.weights, previous=self)
        return self._patched(org, positions, people)

    def _same_topics(self, people: Counter[str], touched: set[str]) -> bool:
        """Whether the topics, their rarities and the stray ones stay as they are."""
        for topic in touched:
            named = people[topic] > 0 or self._opening_topics[topic] > 0
            stray = named and people[topic] <= 1 >= self._opening_topics[topic]
            if named != (topic in self.topic_pos) or stray != (topic in self._strays):
                return False
        return True

    def _cities_known(self, visitors: list[Visitor]) -> bool:
        return all(v.city is None or v.city in self._cities for v in visitors)

    def _patched(
        self, org: Organisation, positions: dict[str, int], people: Counter[str]
    ) -> MatchIndex:
        index = copy.copy(self)  # arrays are shared until replaced below, never written in place
        index.org, index.visitors, index._people_topics = org, org.visitors, people
        index.visitor_pos = {**self.visitor_pos, **positions}
        rows = np.array(sorted(positions.values()), dtype=np.int64)
        changed = index._visitor_columns([org.visitors[i] for i in rows])
        index._use_visitor_columns(
            self._visitor_cols.patched(rows, changed, len(org.visitors), len(self.topics))
        )
        kinds = index._kinds_of(rows)
        known = {tuple(kind): k for k, kind in enumerate(self._kinds.tolist())}
        new_kinds = [kind for kind in map(tuple, kinds.tolist()) if kind not in known]
        for kind in dict.fromkeys(new_kinds):
            known[kind] = len(known)
        if new_kinds:
            index._use_kinds(np.array(list(known), dtype=np.int64).reshape(-1, 3))
        visitor_kind = np.zeros(len(org.visitors), self.visitor_kind.dtype)
        visitor_kind[: len(self.visitor_kind)] = self.visitor_kind
        visitor_kind[rows] = [known[kind] for kind in map(tuple, kinds.tolist())]
        index.visitor_kind = visitor_kind
        if _applications_of(self.org, positions) != _applications_of(org, positions):
            index._compile_exclusions(org)
        else:  # the same pairs excluded: newcomers have none (a visit would have rebuilt)
            index.has_exclusions = np.zeros(len(org.visitors), dtype=bool)
            index.has_exclusions[: len(self.has_exclusions)] = self.has_exclusions
        return index

    # ----------------------------------------------------------------------------- the rules
    # v and o are arrays of positions that broadcast against each other.

    def own_team_ok(self, v: np.ndarray, o: np.ndarray) -> np.ndarray:
        return cast(np.ndarray, self.home[v] != self.host[o])

    def work_mode_ok(self, v: np.ndarray, o: np.ndarray) -> np.ndarray:
        return cast(np.ndarray, self.mode_table[self.visitor_kind[v], o])

    def modes_accepted(self, visitor: int, openings: np.ndarray) -> bool:
        """Does the visitor's way of working accept every one of these openings' modes (so only
        where they are, not how they like to work, stands in the way)?"""
        accepted = int(self.accepted_modes[visitor])
        return bool(((self.mode_bit[openings] & accepted) != 0).all())

    def _compile_work_modes(self, previous: MatchIndex | None = None) -> None:
        """The work-mode rule as a table: visitor kind (accepted modes, travels, city) x opening."""
        if previous is not None and previous._visitor_cols is self._visitor_cols:
            self.visitor_kind = previous.visitor_kind
            self._use_kinds(previous._kinds)
            return
        kinds, kind_of = np.unique(
            self._kinds_of(np.arange(len(self.visitors))), axis=0, return_inverse=True
        )
        self.visitor_kind = kind_of.reshape(-1)
        self._use_kinds(kinds)

    def _kinds_of(self, v: np.ndarray) -> np.ndarray:
        """Rows (accepted modes, travels, city) of visitors `v`: what the work-mode rule reads."""
        columns = [self.accepted_modes[v], self.travels[v], self.visitor_city[v]]
        return np.stack(columns, axis=1).astype(np.int64).reshape(-1, 3)

    def _use_kinds(self, kinds: np.ndarray) -> None:
        self._kinds = kinds
        accepted, travels, city = (column[:, None] for column in kinds.T)
        mode = self.mode_bit[None, :]
        host_city = self.host_city[None, :]
        # An unknown city (negative code) is not a different city, only an unanswered question.
        elsewhere = (city >= 0) & (host_city >= 0) & (city != host_city)
        city_unknown = (city < 0) & (host_city >= 0) & ((mode & _NEEDS_KNOWN_CITY) != 0)
        cannot_be_there = (elsewhere | city_unknown) & (travels == 0)
        needs_presence = (mode & _NEEDS_PRESENCE) != 0
        self.mode_table = ((accepted & mode) != 0) & ~(cannot_be_there & needs_presence)
        self._open_mode_table = np.ascontiguousarray(self.mode_table[:, self.open_openings])

    def windows_overlap(self, v: np.ndarray, o: np.ndarray) -> np.ndarray:
        """Do both windows share enough weeks for the tour? The same test as `window_masks` != 0,
        written as three comparisons so that it is cheap on big blocks."""
        return cast(
            np.ndarray,
            (self.visitor_first[v] <= self.opening_last_start[o])
            & (self.opening_first_end[o] <= self.visitor_last[v])
            & (self.visitor_weeks[v] >= self.weeks[o]),
        )

    def window_masks(self, v: np.ndarray, o: np.ndarray) -> np.ndarray:
        """Start weeks inside both windows (ignoring blackouts and host limits)."""
        first = np.maximum(self.visitor_first[v], self.opening_first[o])
        last = np.minimum(self.visitor_last[v], self.opening_last[o]) - self.weeks[o] + 1
        return range_masks(first, last)

    def start_masks(self, v: np.ndarray, o: np.ndarray, *, host_limits: bool = True) -> np.ndarray:
        """Start weeks inside both windows, clear of both teams' blackouts and (optionally)
        of the host's limits."""
        weeks = self.weeks[o]
        host = (self.host_ok if host_limits else self.blackout_ok)[self.host[o], weeks]
        return cast(
            np.ndarray, self.window_masks(v, o) & host & self.blackout_ok[self.home[v], weeks]
        )

    def own_first_starts(self, visitor: int, o: np.ndarray) -> np.ndarray:
        """First start week of each opening in `o` ignoring the visitor's dates (but not the
        blackouts and host limits); HORIZON_WEEKS where there is none."""
        weeks = self.weeks[o]
        masks = (
            range_masks(self.opening_first[o], self.opening_last_start[o])
            & self.host_ok[self.host[o], weeks]
            & self.blackout_ok[self.home[visitor], weeks]
        )
        return np.where(masks != 0, lowest_week(masks), HORIZON_WEEKS)

    def _has_key(self, keys: np.ndarray, v: np.ndarray, o: np.ndarray) -> np.ndarray:
        wanted = v.astype(np.int64) * len(self.openings) + o
        if not len(keys):
            return np.zeros(np.shape(wanted), dtype=bool)
        found = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        return cast(np.ndarray, keys[found] == wanted)

    def already_applied(self, v: np.ndarray, o: np.ndarray) -> np.ndarray:
        return self._has_key(self.applied_keys, v, o)

    def already_visited(self, v: np.ndarray, o: np.ndarray) -> np.ndarray:
        return self._has_key(self.visited_keys, v, o)

    def relevant(self, v: np.ndarray, o: np.ndarray) -> np.ndarray:
        """Block visitors `v` x openings `o`: does the opening offer (or relate to) a topic the
        visitor wants to learn?"""
        covers_t = self._open_covers_t if o is self.open_openings else self._covers_t(o)
        found = np.zeros((len(v), len(o)), dtype=bool)
        for slot in self.learn[v].T:
            found |= covers_t[slot]
        return found

    def _covers_t(self, o: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(self.cover.reshape(-1, self._row)[o].T > 0)

    def topic_sums(self, v: np.ndarray, o: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(topic, two-way) rarity sums of aligned pairs."""
        rows = o.astype(np.int64) * self._row
        topic = np.zeros(len(v), dtype=np.float32)
        two_way = np.zeros(len(v), dtype=np.float32)
        for slot in self.learn[v].T:
            topic += self.cover.take(rows + slot)
        for slot in self.teach[v].T:
            two_way += self.wanted.take(rows + slot)
        return topic, two_way

    def fit(self, v: np.ndarray, o: np.ndarray, topic: np.ndarray, two_way: np.ndarray) -> Fit:
        """Fit of aligned pairs, given their topic and two-way rarity sums (from `topic_sums`)."""
        off = np.abs(self.weeks[o] - self.preferred_weeks[v]).astype(np.float32)
        tolerance = self.weights.duration_tolerance_weeks
        return Fit(
            topic=topic,
            two_way=two_way,
            duration=1 - np.minimum(off, tolerance) / tolerance,
            novelty=(~self.visited[self.home[v], self.host[o]]).astype(np.float32),
            small_host=self.small_host[self.host[o]],
        )

    # ----------------------------------------------------------------------------- pair finding

    def pairs_in_block(self, v: np.ndarray, o: np.ndarray, *, learners: bool = False) -> PairTable:
        """Feasible pairs among visitors `v` x openings `o` (eligible visitors, open openings);
        `learners`: each of `v` learns a topic of each of `o`, so the pairs are relevant."""
        if not len(v) or not len(o):
            return PairTable.concatenate([])
        column, row = v[:, None], o[None, :]
        keep = self.windows_overlap(column, row) & self.own_team_ok(column, row)
        if o is self.open_openings:  # the same table, gathered by rows: much faster on blocks
            keep &= self._open_mode_table[self.visitor_kind[v]]
        else:
            keep &= self.work_mode_ok(column, row)
        if not learners:
            keep &= self.relevant(v, o)
        rows, cols = np.nonzero(keep)
        pv, po = v[rows], o[cols]
        starts = self.start_masks(pv, po)
        survive = starts != 0
        suspect = np.flatnonzero(self.has_exclusions[pv])
        survive[suspect] &= ~self._has_key(self.excluded_keys, pv[suspect], po[suspect])
        pv, po, starts = pv[survive], po[survive], starts[survive]
        fit = self.fit(pv, po, *self.topic_sums(pv, po))
        return PairTable(
            visitor=pv.astype(np.int32),
            opening=po.astype(np.int32),
            points=fit.points(self.weights),
            host_points=fit.host_points(self.weights),
            starts=starts,
        )

    def feasible_pairs(self, block_cells: int = BLOCK_CELLS) -> PairTable:
        """All feasible pairs of the organisation, sorted by visitor then opening."""
        eligible = np.flatnonzero(self.eligible).astype(np.int32)
        step = max(1, block_cells // max(len(self.open_openings), 1))
        return PairTable.concatenate(
            [
                self.pairs_in_block(eligible[i : i + step], self.open_openings)
                for i in range(0, len(eligible), step)
            ]
        )

    def pairs_of_visitor(self, visitor: int) -> PairTable:
        if not self.eligible[visitor]:
            return PairTable.concatenate([])
        return self.pairs_in_block(np.array([visitor], np.int32), self.open_openings)

    def pairs_of_opening(self, opening: int) -> PairTable:
        if not self.is_open[opening]:
            return PairTable.concatenate([])
        learners = self._learners_of(opening)
        eligible = learners[self.eligible[learners]]
        return self.pairs_in_block(eligible, np.array([opening], np.int32), learners=True)

    def _learners_of(self, opening: int) -> np.ndarray:
        """Visitors learning a topic the opening offers or relates to, in position order: the
        only ones the relevance rule can let through."""
        covered = np.flatnonzero(self.cover[opening * self._row : (opening + 1) * self._row] > 0)
        bounds = self._learner_bounds
        learns = np.zeros(len(self.visitors), dtype=bool)
        for topic in covered.tolist():
            learns[self._learners[bounds[topic] : bounds[topic + 1]]] = True
        return np.flatnonzero(learns).astype(np.int32)

    def obstacles(self, visitor: int) -> dict[Obstacle, np.ndarray]:
        """Every rule evaluated for one visitor against all openings: obstacle -> openings it
        blocks (bool per opening). Date obstacles are exclusive: a pair counts under DATES when the
        windows do not fit, else BLACKOUT, else HOST_LIMIT."""
        v = np.full(len(self.openings), visitor, dtype=np.int32)
        o = np.arange(len(self.openings), dtype=np.int32)
        window = self.window_masks(v, o) != 0
        no_blackout = self.start_masks(v, o, host_limits=False) != 0
        return {
            Obstacle.NOT_LOOKING: np.full(len(o), self.not_looking[visitor]),
            Obstacle.SNOOZED: np.full(len(o), self.snoozed[visitor]),
            Obstacle.OPENING_CLOSED: ~self.is_open,
            Obstacle.OWN_TEAM: ~self.own_team_ok(v, o),
            Obstacle.NO_SHARED_TOPIC: ~self.relevant(np.array([visitor], np.int32), o)[0],
            Obstacle.WORK_MODE: ~self.work_mode_ok(v, o),
            Obstacle.DATES: ~window,
            Obstacle.BLACKOUT: window & ~no_blackout,
            Obstacle.HOST_LIMIT: no_blackout & (self.start_masks(v, o) == 0),
            Obstacle.ALREADY_APPLIED: self.already_applied(v, o),
            Obstacle.ALREADY_VISITED: self.already_visited(v, o),
        }

    def start_obstacle(self, visitor: int, opening: int, start: date) -> Obstacle | None:
        """Why this pair's tour may not start in the week of `start` (None when it may), in the
        order `obstacles` counts them: the windows, then blackouts, then the host's limits."""
        v, o = np.array([visitor], np.int32), np.array([opening], np.int32)
        week = week_of(start) - self.base_week
        bit = 1 << week if 0 <= week < HORIZON_WEEKS else 0
        checks = (
            (Obstacle.DATES, self.window_masks(v, o)),
            (Obstacle.BLACKOUT, self.start_masks(v, o, host_limits=False)),
            (Obstacle.HOST_LIMIT, self.start_masks(v, o)),
        )
        return next((rule for rule, masks in checks if not int(masks[0]) & bit), None)

    # ----------------------------------------------------------------------------- lookups

    def visitor(self, visitor_id: str) -> int:
        return self.visitor_pos[visitor_id]

    def opening(self, opening_id: str) -> int:
        return self.opening_pos[opening_id]

    def visitor_at(self, position: int) -> Visitor:
        return self.visitors[position]

    def opening_at(self, position: int) -> Opening:
        return self.openings[position]

    def rarity_sum(self, topics: Iterable[str]) -> float:
        return float(sum(self.rarity_of[t] for t in topics))


def _moved(before: Sequence[object], after: Sequence[object]) -> list[int] | None:
    """Positions in `after` whose record is not the very one at that position in `before` (new
    ones at the end included); None when records left, so that positions moved."""
    if len(after) < len(before):
        return None
    kept = [i for i, (old, new) in enumerate(zip(before, after, strict=False)) if old is not new]
    return kept + list(range(len(before), len(after)))


def _people_topics_after(visitors: Sequence[Visitor], previous: MatchIndex | None) -> Counter[str]:
    """What `_people_topics` counts, counted again only for the visitors that changed."""
    moved = None if previous is None else _moved(previous.visitors, visitors)
    if previous is None or moved is None:
        return _people_topics(visitors)
    people = previous._people_topics.copy()
    for i in moved:
        if i < len(previous.visitors):
            people.subtract(previous.visitors[i].learn | previous.visitors[i].teach)
        people.update(visitors[i].learn | visitors[i].teach)
    return people


def tour_order(tour: Tour) -> tuple[str, str, str, date, date]:
    return tour.visitor_id, tour.home_team_id or "", tour.host_team_id, tour.start, tour.end


def _applications_of(org: Organisation, visitors: Mapping[str, int]) -> list[tuple[str, str]]:
    return sorted(
        (a.visitor_id, a.opening_id) for a in org.applications if a.visitor_id in visitors
    )


def _milli(points: np.ndarray) -> np.ndarray:
    return np.rint(np.asarray(points, dtype=np.float64) * MILLI).astype(np.int32)
