"""Who may post, edit and close an opening: every refusal, each with the case just inside it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from bot.core.forms import TopicCheck
from bot.core.topics import default_vocabulary
from bot.openings.model import OpeningDraft
from bot.openings.service import (
    Actor,
    ListKind,
    ListQuery,
    Refusal,
    close_opening,
    edit_form,
    host_form,
    leads_anything,
    list_openings,
    save_opening,
)
from tests.bot.openings.fakes import WORKSPACE, FakeOpeningStore

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0)
LEAD, OTHER_LEAD, ENGINEER, ORGANISER = "U0LEAD", "U0OTHERLEAD", "U0ENGINEER", "U0ORG"
SEARCH, ADS = 1, 2
DRAFT = OpeningDraft(
    team_id=SEARCH,
    title="Tune the ranking",
    description="Ranking experiments.",
    topics=("python",),
    earliest_start=date(2026, 12, 7),
    latest_end=date(2027, 1, 3),
    weeks=4,
    seats=2,
    apply_by=date(2026, 12, 7),
)


def actor(user_id: str, *, workspace_id: str = WORKSPACE) -> Actor:
    return Actor(workspace_id, user_id, is_organiser=user_id == ORGANISER)


@pytest.fixture
def store() -> FakeOpeningStore:
    store = FakeOpeningStore()
    store.add_team(SEARCH, "Search", LEAD)
    store.add_team(ADS, "Ads", OTHER_LEAD)
    return store


def save(store: FakeOpeningStore, who: str, draft: OpeningDraft = DRAFT, **options):
    arguments = {
        "opening_id": None,
        "today": TODAY,
        "now": NOW,
        "channel_id": "C0ANN",
        "topic_check": TopicCheck(default_vocabulary()),
    } | options
    return save_opening(store.unit_of_work, actor(who), draft, **arguments)


def posted(store: FakeOpeningStore, draft: OpeningDraft = DRAFT) -> int:
    result = save(store, LEAD, draft)
    assert result.opening is not None, result.errors
    return result.opening.id


# --- the host form -----------------------------------------------------------------------------


def test_a_lead_hosts_for_the_team_they_lead_preselected(store):
    form = host_form(store.unit_of_work, actor(LEAD))
    assert form.refusal is None and form.teams == [(SEARCH, "Search")]
    assert form.draft.team_id == SEARCH


def test_a_lead_of_two_teams_picks_one(store):
    store.add_team(3, "Payments", LEAD)
    form = host_form(store.unit_of_work, actor(LEAD))
    assert [team_id for team_id, _ in form.teams] == [SEARCH, 3] and form.draft.team_id is None


def test_someone_who_leads_no_team_may_not_host(store):
    form = host_form(store.unit_of_work, actor(ENGINEER))
    assert form.refusal == Refusal.NOT_A_LEAD and form.teams == []


def test_an_organiser_hosts_for_any_team_and_is_told_when_there_is_none(store):
    form = host_form(store.unit_of_work, actor(ORGANISER))
    assert form.refusal is None and [team_id for team_id, _ in form.teams] == [SEARCH, ADS]
    empty = FakeOpeningStore()
    assert host_form(empty.unit_of_work, actor(ORGANISER)).refusal == Refusal.NO_TEAMS


def test_only_leads_and_organisers_lead_anything(store):
    assert leads_anything(store.unit_of_work, actor(LEAD))
    assert leads_anything(FakeOpeningStore().unit_of_work, actor(ORGANISER))
    assert not leads_anything(store.unit_of_work, actor(ENGINEER))


# --- posting -----------------------------------------------------------------------------------


def test_a_lead_posts_for_their_team_once(store):
    result = save(store, LEAD)
    assert result.errors == {} and result.created and result.opening is not None
    assert result.opening.created_by == LEAD and store.commits == 1
    assert store.audit.actions == ["opening_created"]


def test_a_lead_may_not_post_for_another_team(store):
    result = save(store, OTHER_LEAD)
    assert "team" in result.errors and result.opening is None
    assert store.openings.rows == [] and store.commits == 0


def test_an_organiser_posts_for_any_team(store):
    assert save(store, ORGANISER, replace(DRAFT, team_id=ADS)).opening is not None


def test_a_team_no_longer_in_the_directory_is_refused(store):
    result = save(store, ORGANISER, replace(DRAFT, team_id=99))
    assert "not in the directory" in result.errors["team"] and store.openings.rows == []


def test_the_same_title_twice_for_one_team_is_refused_but_not_for_another(store):
    posted(store)
    assert "title" in save(store, LEAD).errors and len(store.openings.rows) == 1
    assert save(store, OTHER_LEAD, replace(DRAFT, team_id=ADS)).opening is not None


def test_a_title_is_saved_with_its_spacing_folded(store):
    result = save(store, LEAD, replace(DRAFT, title="  Tune   the ranking "))
    assert result.opening is not None and result.opening.title == "Tune the ranking"


# --- editing -----------------------------------------------------------------------------------


def test_the_host_lead_edits_their_opening_keeping_its_title(store):
    opening_id = posted(store)
    form = edit_form(store.unit_of_work, actor(LEAD), opening_id)
    assert form.refusal is None and form.opening_id == opening_id and form.draft == DRAFT
    assert form.teams == [(SEARCH, "Search")]
    result = save(store, LEAD, replace(DRAFT, seats=3), opening_id=opening_id)
    assert result.errors == {} and not result.created
    assert store.openings.get(WORKSPACE, opening_id).draft.seats == 3
    assert store.audit.actions == ["opening_created", "opening_updated"]


def test_an_edit_may_not_drop_seats_below_those_taken(store):
    opening_id = posted(store)
    taken = replace(store.openings.rows[0], seats_taken=2)
    store.openings.rows[0] = taken
    result = save(store, LEAD, replace(DRAFT, seats=1), opening_id=opening_id)
    assert "seats" in result.errors and store.commits == 1
    assert save(store, LEAD, replace(DRAFT, seats=2), opening_id=opening_id).errors == {}


def test_an_organiser_edits_any_opening(store):
    opening_id = posted(store)
    assert edit_form(store.unit_of_work, actor(ORGANISER), opening_id).refusal is None
    assert save(store, ORGANISER, replace(DRAFT, seats=3), opening_id=opening_id).errors == {}


@pytest.mark.parametrize("who", [OTHER_LEAD, ENGINEER])
def test_nobody_else_edits_an_opening(store, who):
    opening_id = posted(store)
    refused = edit_form(store.unit_of_work, actor(who), opening_id)
    assert refused.refusal == Refusal.NOT_YOURS and refused.teams == []
    result = save(store, who, replace(DRAFT, seats=3), opening_id=opening_id)
    assert "Only the host team's leads" in result.errors["team"]
    assert store.openings.get(WORKSPACE, opening_id).draft.seats == 2 and store.commits == 1


def test_a_closed_opening_is_not_edited(store):
    opening_id = posted(store)
    close_opening(store.unit_of_work, actor(LEAD), opening_id, now=NOW)
    assert edit_form(store.unit_of_work, actor(LEAD), opening_id).refusal == Refusal.CLOSED
    result = save(store, LEAD, replace(DRAFT, seats=3), opening_id=opening_id)
    assert "closed" in result.errors["title"] and store.commits == 2


def test_a_missing_or_another_workspaces_opening_is_not_found(store):
    opening_id = posted(store)
    elsewhere = Actor("T0OTHER", LEAD, is_organiser=False)
    assert edit_form(store.unit_of_work, elsewhere, opening_id).refusal == Refusal.NOT_FOUND
    assert edit_form(store.unit_of_work, actor(LEAD), 999).refusal == Refusal.NOT_FOUND
    result = save(store, LEAD, DRAFT, opening_id=999)
    assert "no longer exists" in result.errors["title"] and store.commits == 1


# --- closing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [LEAD, ORGANISER])
def test_the_host_lead_or_an_organiser_closes_an_opening(store, who):
    opening_id = posted(store)
    closed = close_opening(store.unit_of_work, actor(who), opening_id, now=NOW)
    assert not isinstance(closed, Refusal) and closed.status == "closed"
    assert store.openings.get(WORKSPACE, opening_id).status == "closed"
    assert store.audit.actions == ["opening_created", "opening_closed"] and store.commits == 2


@pytest.mark.parametrize("who", [OTHER_LEAD, ENGINEER])
def test_nobody_else_closes_an_opening(store, who):
    opening_id = posted(store)
    assert close_opening(store.unit_of_work, actor(who), opening_id, now=NOW) == Refusal.NOT_YOURS
    assert store.openings.get(WORKSPACE, opening_id).is_open and store.commits == 1


def test_closing_twice_or_a_missing_opening_is_refused(store):
    opening_id = posted(store)
    close_opening(store.unit_of_work, actor(LEAD), opening_id, now=NOW)
    assert close_opening(store.unit_of_work, actor(LEAD), opening_id, now=NOW) == Refusal.CLOSED
    assert close_opening(store.unit_of_work, actor(LEAD), 999, now=NOW) == Refusal.NOT_FOUND
    assert store.commits == 2


# --- listing one's own -------------------------------------------------------------------------


def test_my_openings_are_those_of_my_teams_and_an_organiser_sees_all(store):
    posted(store)
    save(store, OTHER_LEAD, replace(DRAFT, team_id=ADS, title="Bid better"))

    def titles(who: str, kind: ListKind) -> list[str]:
        page = list_openings(
            store.unit_of_work,
            store.unit_of_work,
            actor(who),
            ListQuery(kind),
            vocabulary=default_vocabulary(),
            today=TODAY,
        )
        return [opening.title for opening in page.openings]

    assert titles(LEAD, ListKind.MINE) == ["Tune the ranking"]
    assert titles(ORGANISER, ListKind.MINE) == ["Tune the ranking", "Bid better"]
    assert titles(LEAD, ListKind.OPEN) == ["Tune the ranking", "Bid better"]
