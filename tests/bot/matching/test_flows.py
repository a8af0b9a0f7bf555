"""The flow starts from each visitor's best pairs only; the pairs it prices back in must make its
answer the optimum over every pair (checked against HiGHS on the whole problem)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.matching import organisation as synthetic_organisation
from bot.matching import MatchIndex
from bot.matching.flows import best_assignment
from tests.bot.matching.builders import organisations
from tests.bot.matching.test_rounds import exact_optimum


@settings(max_examples=40, deadline=None)
@given(organisations(), st.integers(1, 3), st.booleans())
def test_starting_from_each_visitor_best_pairs_still_finds_the_optimum(
    organisation, per_visitor, capped
):
    index = MatchIndex(organisation)
    pairs = index.feasible_pairs()
    caps = index.round_cap if capped else None
    rows = best_assignment(index, pairs, pairs.points, caps=caps, per_visitor=per_visitor)
    full = best_assignment(index, pairs, pairs.points, caps=caps, per_visitor=len(pairs))
    assert pairs.points[rows].sum() == pairs.points[full].sum()
    if capped:
        assert pairs.points[rows].sum() == exact_optimum(index, pairs, calendar=False)


def test_on_a_crowded_organisation_the_left_out_pairs_are_priced_back_in():
    # 300 visitors compete for 90 openings: their best pairs alone give a lower total, so the
    # optimum is only reached through the pairs the potentials price back in.
    index = MatchIndex(synthetic_organisation(300, 90))
    pairs = index.feasible_pairs()
    caps = index.round_cap
    optimum = pairs.points[best_assignment(index, pairs, pairs.points, caps=caps)].sum()
    order = np.lexsort((-pairs.points, pairs.visitor))
    best_only = np.zeros_like(pairs.points)
    first = order[np.r_[True, pairs.visitor[order][1:] != pairs.visitor[order][:-1]]]
    best_only[first] = pairs.points[first]
    assert pairs.points[best_assignment(index, pairs, best_only, caps=caps)].sum() < optimum
    for per_visitor in (1, 2, 4):
        rows = best_assignment(index, pairs, pairs.points, caps=caps, per_visitor=per_visitor)
        assert pairs.points[rows].sum() == optimum
