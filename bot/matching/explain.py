"""Personal suggestions with explanations in plain words, and "why nothing fits" diagnoses.

Sentences are plain text: they contain topic names typed by users, so whoever renders them (Block
Kit) must escape &, < and > as for any user text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np

from bot.core.visit_rules import visit_period
from bot.core.words import counted
from bot.matching.calendar import friday, monday, stretches
from bot.matching.index import Fit, MatchIndex, PairTable
from bot.matching.model import Obstacle, Opening, Visitor
from bot.matching.weights import MILLI


@dataclass(frozen=True, slots=True)
class ScorePart:
    """One part of a score, in points, with its label."""

    label: str
    points: float


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a visitor and an opening fit.

    `shared_topics` rarest first; `related_topics` as (what the visitor wants, the related topic
    the opening offers); `taught_topics` the host hopes to learn and the visitor can teach.
    `fits_from`..`fits_until` is the first stretch of dates in which the tour can run (Monday of
    the first possible start to Friday of the last possible end)."""

    shared_topics: tuple[str, ...]
    related_topics: tuple[tuple[str, str], ...]
    taught_topics: tuple[str, ...]
    fits_from: date
    fits_until: date
    more_dates_later: bool
    weeks: int
    preferred_weeks: int
    never_visited: bool
    host_visitors_hosted: int
    parts: tuple[ScorePart, ...]
    sentences: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


@dataclass(frozen=True, slots=True)
class Suggestion:
    visitor_id: str
    opening_id: str
    score: float
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class NearMiss:
    """Openings that fail on one rule only, and what would change that."""

    obstacle: Obstacle
    opening_ids: tuple[str, ...]
    hint: str


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """Why nothing fits a visitor: how many openings each rule rules out (an opening can count
    under several), the near misses (openings one rule away) and one sentence for the user."""

    visitor_id: str
    blocked_by: dict[Obstacle, int]
    near_misses: tuple[NearMiss, ...]
    sentence: str


def day_month(day: date, today: date) -> str:
    text = f"{day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def date_span(first: date, last: date, today: date) -> str:
    """ "6–31 Jan", "29 Dec – 9 Jan 2026"."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{day_month(last, today)}"
    return f"{day_month(first, today)} – {day_month(last, today)}"


def _signed(points: float) -> str:
    return f"(+{points:.1f})"


def explain(
    index: MatchIndex, visitor: int, opening: int, starts: int, requested: date | None = None
) -> Explanation:
    """Explain one feasible pair (positions in the index, `starts` its start-week mask), next to
    the start the visitor `requested` when they applied for one."""
    pair_v, pair_o = np.array([visitor]), np.array([opening])
    fit = index.fit(pair_v, pair_o, *index.topic_sums(pair_v, pair_o))
    return _explained(index, visitor, opening, starts, fit=fit, row=0, requested=requested)


def _explained(
    index: MatchIndex,
    visitor: int,
    opening: int,
    starts: int,
    *,
    fit: Fit,
    row: int,
    requested: date | None = None,
) -> Explanation:
    """`explain`, given the pair's fit at `row` of `fit` (computed for many pairs at once)."""
    v, o = index.visitor_at(visitor), index.opening_at(opening)
    parts = {name: float(points[row]) for name, points in fit.parts(index.weights).items()}
    shared = sorted(v.learn & o.topics, key=lambda t: (-index.rarity_of[t], t))
    related = _related(index, v, o)
    taught = sorted(v.teach & o.hopes_to_learn, key=lambda t: (-index.rarity_of[t], t))
    shared_points = index.weights.topic * index.rarity_sum(shared)
    first_week, last_week = stretches(starts)[0]
    fits_from = monday(index.base_week + first_week)
    fits_until = friday(index.base_week + last_week + o.weeks - 1)
    host = index.teams[index.host[opening]]
    sentences = []
    if shared:
        sentences.append(f"Shared topics: {', '.join(shared)} {_signed(shared_points)}.")
    if related:
        pairs = "; ".join(f"you want {want}, they work on {offer}" for want, offer in related)
        sentences.append(f"Related topics: {pairs} {_signed(parts['topic'] - shared_points)}.")
    if taught:
        sentences.append(
            f"They hope to learn {', '.join(taught)}, which you can teach "
            f"{_signed(parts['two_way'])}."
        )
    later = len(stretches(starts)) > 1
    fits = f"{date_span(fits_from, fits_until, index.org.today)}{' (and later dates)' * later}"
    if requested is None:
        sentences.append(f"Fits {fits}.")
    else:
        sentences.append(_requested_dates(index, visitor, opening, requested, fits))
    if o.weeks == v.preferred_weeks:
        length = f"{counted(o.weeks, 'week')}, as you prefer"
    else:
        length = f"{counted(o.weeks, 'week')} (you prefer {v.preferred_weeks})"
    sentences.append(f"{length} {_signed(parts['duration'])}.")
    never_visited = bool(fit.novelty[row])
    if never_visited and parts["novelty"]:
        sentences.append(f"Nobody from your team has visited them yet {_signed(parts['novelty'])}.")
    if parts["small_host"]:
        hosted = host.visitors_hosted
        so_far = "no visitors" if hosted == 0 else counted(hosted, "visitor")
        sentences.append(f"They have hosted {so_far} so far {_signed(parts['small_host'])}.")
    return Explanation(
        shared_topics=tuple(shared),
        related_topics=related,
        taught_topics=tuple(taught),
        fits_from=fits_from,
        fits_until=fits_until,
        more_dates_later=later,
        weeks=o.weeks,
        preferred_weeks=v.preferred_weeks,
        never_visited=never_visited,
        host_visitors_hosted=host.visitors_hosted,
        parts=(
            ScorePart("shared topics", shared_points),
            ScorePart("related topics", parts["topic"] - shared_points),
            ScorePart("they want to learn what you teach", parts["two_way"]),
            ScorePart("length", parts["duration"]),
            ScorePart("new team for your team", parts["novelty"]),
            ScorePart("host with few visitors", parts["small_host"]),
        ),
        sentences=tuple(sentences),
    )


# Why a requested start is not among those that fit, by the rule that rules it out.
_NOT_THE_REQUESTED_DATES = {
    Obstacle.DATES: "they are outside the visitor's availability or the opening's window",
    Obstacle.BLACKOUT: "a blackout of the home or host team covers them",
    Obstacle.HOST_LIMIT: "the host team is at its visitor limit then",
}


def _requested_dates(index: MatchIndex, visitor: int, opening: int, start: date, fits: str) -> str:
    """The request's own dates, and when they are not among those that fit, why not."""
    period = visit_period(start, index.opening_at(opening).weeks)
    requested = date_span(period.start, period.end, index.org.today)
    obstacle = index.start_obstacle(visitor, opening, start)
    if obstacle is None:
        return f"Requested {requested}, which fits."
    return f"Requested {requested}, but {_NOT_THE_REQUESTED_DATES[obstacle]}; fits {fits}."


def _related(index: MatchIndex, v: Visitor, o: Opening) -> tuple[tuple[str, str], ...]:
    found = []
    for want in sorted(v.learn - o.topics):
        offers = sorted(index.org.related_topics.get(want, frozenset()) & o.topics)
        if offers:
            found.append((want, offers[0]))
    return tuple(found)


def _top(pairs: PairTable, limit: int) -> np.ndarray:
    """Rows of the `limit` best scores, best first (ties by position)."""
    if len(pairs) > limit:
        rows = np.argpartition(-pairs.points, limit - 1)[:limit]
    else:
        rows = np.arange(len(pairs))
    return rows[np.lexsort((pairs.opening[rows], pairs.visitor[rows], -pairs.points[rows]))]


def _suggestions(index: MatchIndex, pairs: PairTable, limit: int) -> tuple[Suggestion, ...]:
    top = pairs.take(_top(pairs, limit))
    fit = index.fit(top.visitor, top.opening, *index.topic_sums(top.visitor, top.opening))
    return tuple(
        Suggestion(
            visitor_id=index.visitors[visitor].id,
            opening_id=index.openings[opening].id,
            score=points / MILLI,
            explanation=_explained(index, visitor, opening, starts, fit=fit, row=row),
        )
        for row, (visitor, opening, points, starts) in enumerate(
            zip(
                top.visitor.tolist(),
                top.opening.tolist(),
                top.points.tolist(),
                top.starts.tolist(),
                strict=True,
            )
        )
    )


def suggest_openings(index: MatchIndex, visitor_id: str, limit: int = 5) -> tuple[Suggestion, ...]:
    """The visitor's best openings, best first, each explained (empty: see `diagnose`)."""
    return _suggestions(index, index.pairs_of_visitor(index.visitor(visitor_id)), limit)


def suggest_visitors(index: MatchIndex, opening_id: str, limit: int = 5) -> tuple[Suggestion, ...]:
    """The best visitors for an opening (for its lead), by the same score, each explained."""
    return _suggestions(index, index.pairs_of_opening(index.opening(opening_id)), limit)


def toured_hosts(index: MatchIndex, visitor_id: str) -> tuple[str, ...]:
    """Teams (ids) whose open openings about what the visitor wants to learn are left out only
    because the visitor has already visited that team, so an answer can say why they are missing."""
    position = index.visitor(visitor_id)
    o = index.open_openings
    v = np.full(len(o), position, dtype=np.int32)
    wanted = index.relevant(np.array([position], np.int32), o)[0]
    left_out = o[index.already_visited(v, o) & wanted]
    return tuple(sorted({index.teams[index.host[j]].id for j in left_out.tolist()}))


# Rules a visitor can act on, in the order they are worth mentioning.
_ACTIONABLE = (
    Obstacle.DATES,
    Obstacle.WORK_MODE,
    Obstacle.NO_SHARED_TOPIC,
    Obstacle.BLACKOUT,
    Obstacle.HOST_LIMIT,
)


def diagnose(index: MatchIndex, visitor_id: str) -> Diagnosis:
    """Why no opening fits the visitor, and what would change that."""
    position = index.visitor(visitor_id)
    visitor = index.visitors[position]
    blocked = index.obstacles(position)
    counts = {rule: int(mask.sum()) for rule, mask in blocked.items() if mask.any()}
    stack = np.stack([blocked[rule] for rule in Obstacle])
    fails = stack.sum(axis=0)
    candidates = ~(
        blocked[Obstacle.OPENING_CLOSED]
        | blocked[Obstacle.OWN_TEAM]
        | blocked[Obstacle.ALREADY_APPLIED]
        | blocked[Obstacle.ALREADY_VISITED]
    )
    personal = int(not visitor.looking) + int(visitor.snoozed_on(index.org.today))
    near = []
    for rule in _ACTIONABLE:
        only = np.flatnonzero(candidates & blocked[rule] & (fails - personal == 1))
        if len(only):
            ids = tuple(index.openings[j].id for j in only.tolist())
            near.append(NearMiss(rule, ids, _hint(index, position, rule, only)))
    near.sort(key=lambda miss: -len(miss.opening_ids))
    lead = _lead(index, visitor, blocked, candidates)
    hints = "; ".join(miss.hint for miss in near[:2])
    sentence = f"{lead}; {hints}." if hints else f"{lead}."
    return Diagnosis(visitor.id, counts, tuple(near), sentence[0].upper() + sentence[1:])


def _lead(
    index: MatchIndex, visitor: Visitor, blocked: dict[Obstacle, np.ndarray], open_: np.ndarray
) -> str:
    today = index.org.today
    if not visitor.looking:
        return "you have paused visits (`/tourism resume` to be suggested again)"
    if visitor.snoozed_until is not None and visitor.snoozed_on(today):
        return f"you have paused visits until {day_month(visitor.snoozed_until, today)}"
    if not open_.any():
        return "there is no open opening you could join right now"
    main = max(_ACTIONABLE, key=lambda rule: int((blocked[rule] & open_).sum()))
    window = date_span(visitor.available_from, visitor.available_until, today)
    return {
        Obstacle.DATES: f"no open opening fits your dates ({window})",
        Obstacle.WORK_MODE: "no open opening fits how you work",
        Obstacle.NO_SHARED_TOPIC: "no open opening covers what you want to learn",
        Obstacle.BLACKOUT: f"team blackouts cover the openings' dates in {window}",
        Obstacle.HOST_LIMIT: f"the hosts are at their visitor limits in {window}",
    }[main]


def _hint(index: MatchIndex, visitor: int, rule: Obstacle, openings: np.ndarray) -> str:
    v = index.visitors[visitor]
    count = len(openings)
    would = f"{count} would fit" if count > 1 else "1 would fit"
    if rule is Obstacle.DATES:
        earliest = monday(index.base_week + int(index.own_first_starts(visitor, openings).min()))
        if earliest > v.available_until:
            year = "" if earliest.year == index.org.today.year else f" {earliest.year}"
            return f"{would} from {earliest:%B}{year}"
        return f"{would} if you were free from {day_month(earliest, index.org.today)}"
    if rule is Obstacle.WORK_MODE:
        return f"{would} {_work_mode_change(index, visitor, openings)}"
    if rule is Obstacle.NO_SHARED_TOPIC:
        offered = Counter(t for j in openings.tolist() for t in index.openings[j].topics)
        topics = ", ".join(t for t, _ in offered.most_common(3))
        return f"{would} if you wanted to learn one of {topics}"
    return {
        Obstacle.BLACKOUT: f"{would} but for a team blackout",
        Obstacle.HOST_LIMIT: f"{would} once their hosts' visitor limits allow",
    }[rule]


def _work_mode_change(index: MatchIndex, visitor: int, openings: np.ndarray) -> str:
    """What would let the visitor join: another way of working, or being there."""
    v = index.visitors[visitor]
    if not index.modes_accepted(visitor, openings):
        return f"if you could work {'remotely' if v.work_mode == 'onsite' else 'on-site'}"
    if v.city is None:  # where they are is what blocks, and nobody knows it yet
        return "if you added your city to your profile"
    return "if you were willing to travel"
