"""The matcher: feasible pairs, explained personal suggestions and organisation-wide rounds.

Pure domain code: the storage layer builds an `Organisation` from database rows, handlers format
the results. Typical use:

    index = MatchIndex(organisation)                  # once per request or round
    suggest_openings(index, visitor_id) or diagnose(index, visitor_id)
    suggest_visitors(index, opening_id)
    run_round(index, RoundMode.BEST_TOTAL_FIT)        # or FAIR, CALENDAR
"""

from bot.matching.explain import (
    Diagnosis,
    Explanation,
    NearMiss,
    ScorePart,
    Suggestion,
    diagnose,
    explain,
    suggest_openings,
    suggest_visitors,
    toured_hosts,
)
from bot.matching.index import MatchIndex, PairTable
from bot.matching.model import (
    Application,
    Obstacle,
    Opening,
    Organisation,
    Team,
    Tour,
    Visitor,
)
from bot.matching.rounds import (
    Assignment,
    Placement,
    RoundMode,
    RoundResult,
    Unplaced,
    best_total_fit,
    blocking_pairs,
    calendar_aware,
    calendar_greedy,
    fair,
    greedy,
    run_round,
)
from bot.matching.weights import DEFAULT_WEIGHTS, ScoreWeights

__all__ = [
    "DEFAULT_WEIGHTS",
    "Application",
    "Assignment",
    "Diagnosis",
    "Explanation",
    "MatchIndex",
    "NearMiss",
    "Obstacle",
    "Opening",
    "Organisation",
    "PairTable",
    "Placement",
    "RoundMode",
    "RoundResult",
    "ScorePart",
    "ScoreWeights",
    "Suggestion",
    "Team",
    "Tour",
    "Unplaced",
    "Visitor",
    "best_total_fit",
    "blocking_pairs",
    "calendar_aware",
    "calendar_greedy",
    "diagnose",
    "explain",
    "fair",
    "greedy",
    "run_round",
    "suggest_openings",
    "suggest_visitors",
    "toured_hosts",
]
