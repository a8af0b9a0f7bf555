"""An index kept current by changes answers exactly like one built afresh."""

from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matching import Application, MatchIndex, Organisation, Tour
from bot.matching.changes import OrganisationChanges, apply_changes, updated_index
from tests.bot.matching.builders import TODAY, monday, opening, org, organisations, team, visitor

CHANGES = ("profile", "profile", "profile", "newcomer", "applied", "left", "opening", "team")
CHANGES += ("visit",)


def answers(index: MatchIndex) -> tuple[object, ...]:
    """Everything the matcher answers from an index, by ids (positions and codes may differ)."""
    pairs = index.feasible_pairs()
    found = {
        (index.visitors[v].id, index.openings[o].id, points, host, starts)
        for v, o, points, host, starts in zip(
            pairs.visitor.tolist(),
            pairs.opening.tolist(),
            pairs.points.tolist(),
            pairs.host_points.tolist(),
            pairs.starts.tolist(),
            strict=True,
        )
    }
    blocked = {
        (person.id, obstacle, index.openings[o].id)
        for v, person in enumerate(index.visitors)
        for obstacle, openings in index.obstacles(v).items()
        for o in openings.nonzero()[0].tolist()
    }
    return found, blocked, index.rarity_of, sorted(index.visitor_pos), sorted(index.opening_pos)


def a_change(kind: str, n: int, current: Organisation, donor: Organisation) -> OrganisationChanges:
    """Change `kind`, taking new records from `donor` (an unrelated organisation)."""
    teams = [t.id for t in current.teams]
    someone = current.visitors[n % len(current.visitors)] if current.visitors else None
    new = donor.visitors[n % len(donor.visitors)]
    new = replace(new, home_team_id=new.home_team_id if new.home_team_id in teams else None)
    if kind in {"profile", "newcomer"} or someone is None:
        visitor_id = someone.id if kind == "profile" and someone else f"new{n}"
        return OrganisationChanges(visitors={visitor_id: replace(new, id=visitor_id)})
    tours = tuple(t for t in current.tours if t.visitor_id == someone.id)
    if kind == "applied":
        offer = donor.openings[n % len(donor.openings)].id
        return OrganisationChanges(
            visitors={someone.id: someone},
            tours=tours,
            applications=(Application(someone.id, offer),),
        )
    if kind == "left":
        return OrganisationChanges(visitors={someone.id: None})
    if kind == "visit":
        start = TODAY + timedelta(days=7 * (n % 5))
        host = teams[n % len(teams)]
        visit = Tour(someone.id, someone.home_team_id, host, start, start + timedelta(days=11))
        visited = replace(current.teams[n % len(teams)], visitors_hosted=n % 3)
        return OrganisationChanges(
            visitors={someone.id: someone}, teams={host: visited}, tours=(*tours, visit)
        )
    if kind == "team":
        changed = replace(donor.teams[n % len(donor.teams)], id=teams[n % len(teams)])
        return OrganisationChanges(teams={changed.id: changed})
    offer = donor.openings[n % len(donor.openings)]
    return OrganisationChanges(
        openings={f"o{n % 8}": replace(offer, id=f"o{n % 8}", host_team_id=teams[0])}
    )


@settings(max_examples=60, deadline=None)
@given(
    organisations(),
    organisations(),
    st.lists(st.tuples(st.sampled_from(CHANGES), st.integers(0, 30)), min_size=1, max_size=8),
)
def test_an_index_updated_by_random_changes_answers_like_a_fresh_one(first, donor, changes):
    index, current = MatchIndex(first), first
    for kind, n in changes:
        change = a_change(kind, n, current, donor)
        current = apply_changes(current, change)
        index = updated_index(index, current, change)
        assert answers(index) == answers(MatchIndex(current))


def test_a_profile_change_updates_the_index_in_place_of_building_it():
    offers = [opening("o1", topics=("rust", "kafka")), opening("o2", topics=("kafka",))]
    index = MatchIndex(org([visitor("v1"), visitor("v2", learn=("kafka",))], offers))
    change = OrganisationChanges(visitors={"v1": visitor("v1", learn=("kafka",))})
    updated = updated_index(index, apply_changes(index.org, change), change)
    assert updated.cover is index.cover  # the openings' compiled rows are shared, not rebuilt
    assert answers(updated) == answers(MatchIndex(apply_changes(index.org, change)))
    assert {updated.openings[o].id for o in updated.pairs_of_visitor(0).opening} == {"o1", "o2"}


def test_a_profile_naming_a_new_topic_builds_the_index_again():
    index = MatchIndex(org([visitor("v1"), visitor("v2")], [opening("o1")]))
    change = OrganisationChanges(visitors={"v1": visitor("v1", learn=("zig",))})
    updated = updated_index(index, apply_changes(index.org, change), change)
    assert updated.cover is not index.cover
    assert "zig" in updated.topic_pos
    assert answers(updated) == answers(MatchIndex(apply_changes(index.org, change)))


def updated(index: MatchIndex, change: OrganisationChanges) -> MatchIndex:
    """The index updated by `change`, checked against one built afresh."""
    kept = updated_index(index, apply_changes(index.org, change), change)
    assert answers(kept) == answers(MatchIndex(apply_changes(index.org, change)))
    return kept


def test_an_opening_change_compiles_the_openings_again_and_keeps_the_visitors_rows():
    people = [visitor("v1", learn=("kafka",)), visitor("v2", learn=("rust",))]
    index = MatchIndex(org(people, [opening("o1", topics=("kafka",)), opening("o2")]))
    change = OrganisationChanges(openings={"o1": opening("o1", topics=("rust",), weeks=3)})
    kept = updated(index, change)
    assert kept.learn is index.learn  # nobody's row was compiled again
    assert {kept.openings[o].id for o in kept.pairs_of_visitor(1).opening} == {"o1", "o2"}
    assert len(kept.pairs_of_visitor(0)) == 0


def test_an_opening_closing_or_opening_moves_the_rarities_of_every_topic():
    people = [visitor("v1", learn=("kafka", "rust")), visitor("v2", learn=("kafka",))]
    offers = [opening("o1", topics=("kafka",)), opening("o2"), opening("o3", topics=("kafka",))]
    index = MatchIndex(org(people, offers))
    closed = updated(index, OrganisationChanges(openings={"o3": None}))
    assert closed.rarity_of["kafka"] > index.rarity_of["kafka"]
    reopened = updated(closed, OrganisationChanges(openings={"o3": offers[2]}))
    assert reopened.rarity_of == index.rarity_of


def test_a_visit_compiles_its_host_again_and_fills_its_quarter():
    people = [visitor("v1", home="home"), visitor("v2", home="home"), visitor("v3", home=None)]
    teams = [team("home"), team("host", visitors_per_quarter=1), team("other")]
    offers = [opening("o1", host="host", first_week=1), opening("o2", host="other")]
    index = MatchIndex(org(people, offers, teams))
    assert len(index.pairs_of_opening(0)) == 3
    visit = Tour("v3", None, "host", monday(1), monday(1) + timedelta(days=11))
    # The host's record as it was (a visit moved, say): the tours it hosts tell.
    change = OrganisationChanges(visitors={"v3": index.visitors[2]}, tours=(visit,))
    kept = updated(index, change)
    assert len(kept.pairs_of_opening(0)) == 0  # the quarter is full: nobody else this quarter
    assert len(kept.pairs_of_opening(1)) == 3


def test_a_team_change_compiles_that_team_again():
    people = [visitor("v1", home="home"), visitor("v2", home="host")]
    teams = [team("home"), team("host")]
    index = MatchIndex(org(people, [opening("o1", host="host")], teams))
    black = replace(teams[1], blackouts=((monday(0), monday(8)),))
    kept = updated(index, OrganisationChanges(teams={"host": black}))
    assert len(index.pairs_of_opening(0)) == 1
    assert len(kept.pairs_of_opening(0)) == 0


@settings(max_examples=40, deadline=None)
@given(organisations(), organisations(), st.integers(0, 30))
def test_the_pairs_of_an_opening_are_its_feasible_pairs_after_a_change(first, donor, n):
    change = a_change("profile", n, first, donor)
    index = updated_index(MatchIndex(first), apply_changes(first, change), change)
    whole = index.feasible_pairs()
    for o in range(len(index.openings)):
        mine, rows = index.pairs_of_opening(o), whole.opening == o
        assert mine.visitor.tolist() == whole.visitor[rows].tolist()
        assert mine.points.tolist() == whole.points[rows].tolist()


def test_the_candidates_of_an_opening_are_the_learners_of_any_of_its_topics():
    people = [visitor("v1", learn=("kafka",)), visitor("v2", learn=("rust",)), visitor("v3")]
    people.append(visitor("v4", learn=("go",)))
    index = MatchIndex(org(people, [opening("o1", topics=("rust", "kafka"))]))
    found = index.pairs_of_opening(0)
    assert [index.visitors[v].id for v in found.visitor.tolist()] == ["v1", "v2", "v3"]
