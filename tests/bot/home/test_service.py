"""Gathering the App Home on in-memory fakes: who sees which part, and the suggestions."""

from __future__ import annotations

from bot.home.model import (
    Counted,
    HomeData,
    HomeOpening,
    HomePerson,
    Hosting,
    OpeningName,
    OrganiserCounts,
    PendingDecision,
    TeamAway,
)
from bot.home.service import HOME_SUGGESTIONS, load_home
from bot.profiles.model import Profile
from tests.bot.home.fakes import WORKSPACE, FakeHomeReader, FakeMatching, FakeOverview
from tests.bot.matching.builders import TODAY, opening, org, visitor

LEAD, VISITOR = "U0LEAD", "U0VISITOR"
PENDING = Counted([PendingDecision(7, VISITOR, "Kafka", "Streaming", TODAY, TODAY, True)], 1)
LED = Counted([HomeOpening(3, "Kafka", "Streaming", 1, 1, "open")], 1)
AWAY = [TeamAway("Streaming", away_cap=1)]
HOSTING = [Hosting("Streaming", 1, 2, 4)]
COUNTS = OrganiserCounts(open_openings=5, pending_approvals=2, active_tours=1)


def reader(overview: FakeOverview, *openings_offered: str) -> FakeHomeReader:
    """The visitor learns rust; each opening offered teaches it, within their dates."""
    offered = [opening(id_) for id_ in openings_offered]
    return FakeHomeReader(overview, FakeMatching(org([visitor(VISITOR)], offered)))


def a_lead_with_everything() -> FakeOverview:
    return FakeOverview(
        leads={LEAD},
        pending={LEAD: PENDING},
        openings={LEAD: LED},
        away={LEAD: AWAY},
        hosted={LEAD: HOSTING},
        counts=COUNTS,
    )


def home(uow: FakeHomeReader, user_id: str, *, is_organiser: bool = False) -> HomeData:
    return load_home(uow, WORKSPACE, user_id, today=TODAY, is_organiser=is_organiser)


def test_a_lead_sees_what_waits_for_them_and_their_teams():
    data = home(reader(a_lead_with_everything()), LEAD)
    assert data.leads_teams
    assert (data.pending, data.lead_openings) == (PENDING, LED)
    assert (list(data.teams_away), list(data.hosting)) == (AWAY, HOSTING)


def test_someone_leading_no_team_sees_no_lead_part():
    overview = a_lead_with_everything()
    overview.leads = set()
    data = home(reader(overview), LEAD)
    assert not data.leads_teams
    assert data.pending == Counted() and data.lead_openings == Counted()
    assert data.teams_away == () and data.hosting == ()


def test_only_an_organiser_sees_the_programme_counts():
    uow = reader(a_lead_with_everything())
    assert home(uow, LEAD).organiser is None
    assert home(uow, LEAD, is_organiser=True).organiser == COUNTS


def test_someone_without_a_profile_has_no_profile_team_or_suggestions():
    data = home(reader(FakeOverview(names={1: OpeningName("Rust", "Core")}), "1"), VISITOR)
    assert (data.profile, data.home_team_name, data.suggestions) == (None, None, ())


def looking(looking: bool = True) -> FakeOverview:
    return FakeOverview(
        people={VISITOR: HomePerson(Profile(looking=looking), "Payments")},
        names={n: OpeningName(f"Rust {n}", "Core") for n in range(1, 6)},
    )


def test_someone_looking_gets_a_few_named_suggestions_with_reasons():
    data = home(reader(looking(), "1", "2", "3", "4", "5"), VISITOR)
    assert data.home_team_name == "Payments"
    assert len(data.suggestions) == HOME_SUGGESTIONS
    assert {s.title for s in data.suggestions} <= {f"Rust {n}" for n in range(1, 6)}
    assert all(s.team_name == "Core" and s.why for s in data.suggestions)
    assert all(s.title == f"Rust {s.opening_id}" for s in data.suggestions)


def test_someone_not_looking_gets_no_suggestions():
    assert home(reader(looking(False), "1"), VISITOR).suggestions == ()


def test_a_suggested_opening_storage_no_longer_names_is_left_out():
    overview = looking()
    del overview.names[1]
    data = home(reader(overview, "1", "2"), VISITOR)
    assert [s.opening_id for s in data.suggestions] == [2]


def test_someone_with_a_profile_the_index_does_not_hold_yet_gets_no_suggestions():
    uow = reader(looking(), "1")
    uow.overview.people["U0NEWCOMER"] = uow.overview.people[VISITOR]
    assert home(uow, "U0NEWCOMER").suggestions == ()
