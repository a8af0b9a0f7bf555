from datetime import timedelta

import numpy as np
from hypothesis import given, settings

from bot.matching import Application, MatchIndex, Obstacle, Tour
from bot.matching.calendar import monday as absolute_monday
from bot.matching.index import stray_topics
from tests.bot.matching.builders import (
    TODAY,
    friday,
    monday,
    opening,
    org,
    organisations,
    team,
    visitor,
)


def pair_set(index, pairs):
    return {
        (index.visitors[v].id, index.openings[o].id)
        for v, o in zip(pairs.visitor.tolist(), pairs.opening.tolist(), strict=True)
    }


def fits(o, v=None):
    index = MatchIndex(o)
    return pair_set(index, index.feasible_pairs())


@settings(max_examples=30, deadline=None)
@given(organisations())
def test_feasible_pairs_are_exactly_the_pairs_no_rule_rejects(organisation):
    index = MatchIndex(organisation)
    found = pair_set(index, index.feasible_pairs())
    expected = set()
    for v, person in enumerate(organisation.visitors):
        blocked = np.any(np.stack(list(index.obstacles(v).values())), axis=0)
        expected |= {(person.id, organisation.openings[j].id) for j in np.flatnonzero(~blocked)}
    assert found == expected


@settings(max_examples=25, deadline=None)
@given(organisations())
def test_a_pair_scores_the_same_in_every_block(organisation):
    index = MatchIndex(organisation)
    whole = index.feasible_pairs()
    one_by_one = index.feasible_pairs(block_cells=1)
    assert np.array_equal(whole.points, one_by_one.points)
    assert np.array_equal(whole.starts, one_by_one.starts)
    for v in np.unique(whole.visitor).tolist():
        mine = index.pairs_of_visitor(v)
        rows = whole.visitor == v
        assert np.array_equal(mine.points, whole.points[rows])


@settings(max_examples=30, deadline=None)
@given(organisations())
def test_every_allowed_start_keeps_the_tour_inside_windows_and_out_of_blackouts(organisation):
    index = MatchIndex(organisation)
    pairs = index.feasible_pairs()
    teams = {t.id: t for t in organisation.teams}
    for row in range(len(pairs)):
        person = organisation.visitors[pairs.visitor[row]]
        offer = organisation.openings[pairs.opening[row]]
        mask = int(pairs.starts[row])
        assert mask
        for week in range(64):
            if not mask >> week & 1:
                continue
            start = index_monday(index, week)
            end = start + timedelta(weeks=offer.weeks, days=-3)
            assert start.weekday() == 0 and start >= TODAY
            assert start >= max(person.available_from, offer.earliest_start)
            assert end <= min(person.available_until, offer.latest_end)
            for team_id in (offer.host_team_id, person.home_team_id):
                for first, last in teams[team_id].blackouts if team_id else ():
                    assert not working_days_between(max(start, first), min(end, last))


def working_days_between(first, last):
    """Monday-to-Friday days from first to last (tours take working days only)."""
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if day.weekday() < 5]


def index_monday(index, week):
    return absolute_monday(index.base_week + week)


def test_own_team_is_never_a_host():
    assert fits(org([visitor("ana", home="host")], [opening("o1", host="host")])) == set()


def test_onsite_openings_need_the_same_city_or_travel():
    offer = opening("o1", mode="onsite")
    teams = [team("home"), team("host", city="lisbon")]
    assert fits(org([visitor("ana")], [offer], teams)) == set()
    assert fits(org([visitor("ana", travels=True)], [offer], teams)) == {("ana", "o1")}
    assert fits(org([visitor("ana", city="lisbon")], [offer], teams)) == {("ana", "o1")}
    assert fits(org([visitor("ana", mode="onsite")], [opening("o1")], teams)) == set()


def test_both_forms_defaults_match_each_other():
    # The opening form's default is hybrid, the profile's "either" without a city or travel.
    teams = [team("home"), team("host", city="lisbon")]
    someone = visitor("ana", city=None)
    assert fits(org([someone], [opening("o1", mode="hybrid")], teams)) == {("ana", "o1")}


def test_an_unknown_city_is_not_a_different_city():
    hybrid = opening("o1", mode="hybrid")
    nowhere = [team("home"), team("host", city=None)]
    assert fits(org([visitor("ana", city="berlin")], [hybrid], nowhere)) == {("ana", "o1")}
    assert fits(org([visitor("ana", city=None)], [hybrid], nowhere)) == {("ana", "o1")}


def test_a_fully_onsite_opening_needs_the_visitors_city_or_travel():
    onsite = opening("o1", mode="onsite")
    teams = [team("home"), team("host", city="lisbon")]
    assert fits(org([visitor("ana", city=None)], [onsite], teams)) == set()
    assert fits(org([visitor("ana", city=None, travels=True)], [onsite], teams)) == {("ana", "o1")}


def test_windows_must_overlap_by_the_whole_tour():
    late = visitor("ana", first_week=6, last_week=9)
    assert fits(org([late], [opening("o1", last_week=7, weeks=2)])) == {("ana", "o1")}
    assert fits(org([late], [opening("o1", last_week=7, weeks=3)])) == set()


def test_blackouts_of_either_team_rule_out_the_dates_they_cover():
    offer = opening("o1", last_week=2, weeks=2)
    host_blackout = (monday(1), monday(1) + timedelta(days=2))
    teams = [team("home"), team("host", blackouts=(host_blackout,))]
    assert fits(org([visitor("ana")], [offer], teams)) == set()
    weekend = (monday(1) - timedelta(days=2), monday(1) - timedelta(days=1))
    teams = [team("home", blackouts=(weekend,)), team("host")]
    assert fits(org([visitor("ana")], [offer], teams)) == {("ana", "o1")}


def test_host_limits_per_quarter_and_rest_days():
    this_quarter = Tour("old", "elsewhere", "host", TODAY, TODAY + timedelta(days=4))
    teams = [team("home"), team("elsewhere"), team("host", visitors_per_quarter=1)]
    offer = opening("o1", last_week=2, weeks=2)
    assert fits(org([visitor("ana")], [offer], teams, tours=[this_quarter])) == set()
    past = Tour("old", "elsewhere", "host", TODAY - timedelta(days=30), TODAY - timedelta(days=3))
    assert fits(org([visitor("ana")], [offer], teams, tours=[past])) == {("ana", "o1")}
    teams = [team("home"), team("elsewhere"), team("host", rest_days=7)]
    index = MatchIndex(org([visitor("ana")], [offer], teams, tours=[past]))
    assert index.feasible_pairs().starts.tolist() == [0b10]  # not the week straight after


def test_looking_snoozed_applied_and_visited_visitors_get_nothing():
    offer = opening("o1")
    assert fits(org([visitor("ana", looking=False)], [offer])) == set()
    assert fits(org([visitor("ana", snoozed_until=TODAY + timedelta(days=1))], [offer])) == set()
    assert fits(org([visitor("ana", snoozed_until=TODAY)], [offer])) == {("ana", "o1")}
    applied = org([visitor("ana")], [offer], applications=[Application("ana", "o1")])
    assert fits(applied) == set()
    been = Tour("ana", "home", "host", TODAY - timedelta(days=90), TODAY - timedelta(days=80))
    assert fits(org([visitor("ana")], [offer], tours=[been])) == set()


def test_a_related_topic_is_enough_for_partial_credit():
    related = {"rust": frozenset({"wasm"})}
    people = [visitor("ana", learn=("rust",))]
    offers = [opening("exact", topics=("rust",)), opening("near", topics=("wasm",))]
    index = MatchIndex(org(people, offers, related=related))
    pairs = index.feasible_pairs()
    names = [index.openings[o].id for o in pairs.opening.tolist()]
    points = dict(zip(names, pairs.points.tolist(), strict=True))
    assert 0 < points["near"] < points["exact"]
    assert fits(org(people, [opening("far", topics=("sql",))], related=related)) == set()


def test_rare_topics_count_more_than_common_ones():
    # Two people want rust, so it is rare but no stray.
    people = [visitor("ana", learn=("rust", "go")), visitor("bo", learn=("rust",))]
    offers = [opening(f"go{i}", topics=("go",)) for i in range(4)] + [
        opening("r", topics=("rust",))
    ]
    index = MatchIndex(org(people, offers))
    pairs = index.feasible_pairs()
    best = index.openings[pairs.opening[np.argmax(pairs.points)]].id
    assert best == "r"


def test_two_typos_do_not_outrank_a_real_fit():
    """The issue's profile: "kafka, hermes, kafak" against a typo opening and kafka openings."""
    people = [
        visitor("ana", learn=("kafka", "hermes", "kafak")),
        visitor("bo", learn=("kafka",)),
    ]
    offers = [
        opening("typos", topics=("hermes", "kafak")),
        *(opening(f"kafka{i}", topics=("kafka",)) for i in range(3)),
    ]
    index = MatchIndex(org(people, offers))
    assert stray_topics(index.org) == {"hermes", "kafak"}
    assert index.rarity_sum(["hermes", "kafak"]) < index.rarity_of["kafka"]
    pairs = index.pairs_of_visitor(index.visitor_pos["ana"])
    names = [index.openings[o].id for o in pairs.opening.tolist()]
    points = dict(zip(names, pairs.points.tolist(), strict=True))
    assert max(points, key=points.__getitem__) == "kafka0"
    assert points["typos"] < points["kafka0"]


def test_a_topic_two_people_or_two_openings_name_is_no_stray():
    people = [visitor("ana", learn=("hermes",)), visitor("bo", teach=("hermes",))]
    assert "hermes" not in stray_topics(org(people, []))
    offers = [opening("a", topics=("kafak",)), opening("b", hopes=("kafak",))]
    assert "kafak" not in stray_topics(org([], offers))
    assert {"hermes", "kafak"} <= stray_topics(org(people[:1], offers[:1]))


def test_obstacles_name_each_failing_rule():
    index = MatchIndex(
        org([visitor("ana", last_week=1)], [opening("o1", topics=("sql",), weeks=3)])
    )
    blocked = {rule for rule, mask in index.obstacles(0).items() if mask[0]}
    assert blocked == {Obstacle.DATES, Obstacle.NO_SHARED_TOPIC}
    assert friday(1) > monday(1)
