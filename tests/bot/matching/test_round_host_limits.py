"""Every round mode counts its own new tours against a host's visitors per quarter and rest days,
next to the tours already agreed (checked on the dates themselves with the plain rules of
bot/core/visit_rules.py, not the index's arrays)."""

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.calendar import Period
from bot.core.visit_rules import quarter_full, rest_conflicts
from bot.matching import (
    MatchIndex,
    RoundMode,
    Tour,
    calendar_greedy,
    greedy,
    run_round,
)
from bot.matching.bookings import rest_weeks
from tests.bot.matching.builders import TODAY, opening, org, organisations, team, visitor
from tests.bot.matching.test_rounds import SOLVERS, assert_valid, placements

BASELINES = {"greedy": greedy, "calendar_greedy": calendar_greedy}


def assert_host_limits(organisation, new_tours):
    """`new_tours`: (host team, first day, last day) of the round's tours. Each keeps the host's
    rules (bot/core/visit_rules.py) against every other tour at that host, agreed or new."""
    teams = {t.id: t for t in organisation.teams}
    agreed = [(t.host_team_id, t.start, t.end) for t in organisation.tours]
    for i, (host, start, end) in enumerate(new_tours):
        others = agreed + new_tours[:i] + new_tours[i + 1 :]
        at_host = [Period(first, last) for other, first, last in others if other == host]
        team = teams[host]
        assert not quarter_full(start, [p.start for p in at_host], team.visitors_per_quarter)
        assert not rest_conflicts(Period(start, end), at_host, team.rest_days), (host, start)


def new_tours(index, pairs, assignment):
    return [(o.host_team_id, s, e) for _, o, s, e in placements(index, pairs, assignment)]


@st.composite
def crowded_hosts(draw):
    """Several visitors who all want what one or two busy hosts offer, in the same few weeks."""
    hosts = [
        team(
            f"h{k}",
            visitors_per_quarter=draw(st.sampled_from([None, 0, 1, 1, 2])),
            rest_days=draw(st.sampled_from([0, 3, 5, 10])),
        )
        for k in range(draw(st.integers(1, 2)))
    ]
    homes = [team("a", away_cap=draw(st.integers(1, 3))), team("b", away_cap=3)]
    people = [
        visitor(
            f"v{i}",
            home=draw(st.sampled_from(["a", "b", None])),
            first_week=draw(st.integers(0, 3)),
            last_week=draw(st.integers(4, 14)),
        )
        for i in range(draw(st.integers(2, 6)))
    ]
    offers = [
        opening(
            f"o{j}",
            host=draw(st.sampled_from([h.id for h in hosts])),
            first_week=draw(st.integers(0, 4)),
            last_week=draw(st.integers(5, 16)),
            weeks=draw(st.integers(1, 3)),
            seats=draw(st.integers(1, 3)),
        )
        for j in range(draw(st.integers(1, 3)))
    ]
    tours = [
        Tour("someone", "b", host.id, start, start + timedelta(days=11))
        for host in hosts
        for start in draw(
            st.lists(
                st.sampled_from([TODAY - timedelta(weeks=2), TODAY + timedelta(weeks=5)]),
                max_size=1,
            )
        )
    ]
    return org(people, offers, homes + hosts, tours)


@pytest.mark.parametrize("mode", list(RoundMode))
@settings(max_examples=40, deadline=None)
@given(organisation=organisations() | crowded_hosts())
def test_no_round_overbooks_a_host(mode, organisation):
    index = MatchIndex(organisation)
    pairs = index.feasible_pairs()
    chosen = SOLVERS[mode](index, pairs)
    assert_host_limits(organisation, new_tours(index, pairs, chosen))
    assert_valid(organisation, index, pairs, chosen, mode)


@pytest.mark.parametrize("name", list(BASELINES))
@settings(max_examples=40, deadline=None)
@given(organisation=crowded_hosts())
def test_the_greedy_baselines_do_not_overbook_a_host_either(name, organisation):
    index = MatchIndex(organisation)
    pairs = index.feasible_pairs()
    assert_host_limits(organisation, new_tours(index, pairs, BASELINES[name](index, pairs)))


def two_want_the_same_host(**limits):
    people = [visitor("ana", home="a"), visitor("ben", home="b")]
    offers = [opening("X", seats=2, first_week=0, last_week=7, weeks=2)]
    return org(people, offers, [team("a"), team("b"), team("host", **limits)])


@pytest.mark.parametrize("mode", list(RoundMode))
def test_a_host_taking_one_visitor_a_quarter_gets_one(mode):
    result = run_round(MatchIndex(two_want_the_same_host(visitors_per_quarter=1)), mode)
    assert len(result.placements) == 1
    assert len(result.unplaced) == 1


@pytest.mark.parametrize("mode", list(RoundMode))
def test_a_host_with_rest_days_gets_its_visitors_one_after_the_other(mode):
    result = run_round(MatchIndex(two_want_the_same_host(rest_days=3)), mode)
    first, second = sorted(result.placements, key=lambda p: p.start)
    assert second.start - first.end > timedelta(days=3)
    assert first.start == TODAY


def test_rest_days_reach_into_the_next_week_from_three_days_on():
    # Friday + 1 or 2 days is a weekend; + 3 is the next Monday; + 10 the Monday after.
    assert [rest_weeks(days) for days in (0, 1, 2, 3, 9, 10)] == [0, 0, 0, 1, 1, 2]
