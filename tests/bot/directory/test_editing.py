"""The organisers' directory: what is refused when adding, editing and removing a team, on
in-memory fakes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import pytest

from bot.directory.model import DuplicateTeamNameError, Team, TeamDraft, TeamEntry
from bot.directory.service import (
    EditableTeam,
    RemovalCheck,
    TeamNotFound,
    check_removal,
    find_for_editing,
    remove_team,
    save_team,
)


@dataclass(frozen=True)
class Commitments:
    open_openings: int = 0
    live_tours: int = 0
    members: int = 3
    past_openings: int = 1
    past_tours: int = 1

    @property
    def blocks_removal(self) -> bool:
        return self.open_openings > 0 or self.live_tours > 0


WORKSPACE, ORGANISER, NOW = "T0TEST", "U0ORG", datetime(2026, 11, 23, 10, 0)
SEARCH = TeamDraft(name="Search", leads=("U0LEAD",))
FREE = Commitments()


class FakeTeams:
    def __init__(self) -> None:
        self.rows: dict[int, TeamEntry] = {}
        self.busy: dict[int, Commitments] = {}
        self.audited: list[tuple[str, str, dict[str, Any]]] = []
        self.commits = 0
        # Who the audit entries must name: the organiser at the form, or nobody for the CLI import.
        self.actor: str | None = ORGANISER
        # Another organiser saves a team of the same name between our check and our write.
        self.namesake_races = False
        # Teams found by name whose entry is gone by the time it is read (removed meanwhile).
        self.vanishing: set[int] = set()

    def by_name(self, workspace_id: str, name: str) -> Team | None:
        found = [
            Team(team_id, entry.name, entry.leads, entry.channel_id)
            for team_id, entry in self.entries(workspace_id)
            if entry.name.casefold() == name.casefold()
        ]
        return found[0] if found else None

    def entry(self, workspace_id: str, team_id: int) -> TeamEntry | None:
        return None if team_id in self.vanishing else dict(self.entries(workspace_id)).get(team_id)

    def entries(self, workspace_id: str) -> list[tuple[int, TeamEntry]]:
        return list(self.rows.items()) if workspace_id == WORKSPACE else []

    def names(self, workspace_id: str) -> list[str]:
        return [entry.name for _, entry in self.entries(workspace_id)]

    def create(self, workspace_id: str, entry: TeamEntry) -> None:
        self.insert(workspace_id, entry)

    def insert(self, workspace_id: str, entry: TeamEntry) -> int:
        self._write_check(workspace_id)
        team_id = len(self.rows) + 1
        self.rows[team_id] = entry
        return team_id

    def update(self, workspace_id: str, team_id: int, entry: TeamEntry) -> bool:
        self._write_check(workspace_id)
        self.rows[team_id] = entry
        return True

    def _write_check(self, workspace_id: str) -> None:
        assert workspace_id == WORKSPACE
        if self.namesake_races:
            raise DuplicateTeamNameError

    def remove(self, workspace_id: str, team_id: int) -> bool:
        assert workspace_id == WORKSPACE
        return self.rows.pop(team_id, None) is not None

    def flush(self) -> None:
        return None

    def commitments(self, workspace_id: str, team_id: int) -> Commitments:
        assert workspace_id == WORKSPACE and team_id in self.rows
        return self.busy.get(team_id, FREE)

    @contextmanager
    def unit_of_work(self) -> Iterator[Any]:
        audit = SimpleNamespace(record=self._record)
        yield SimpleNamespace(teams=self, audit=audit, commit=self._commit)

    def _record(self, workspace_id: str, *, action: str, **more: Any) -> None:
        assert (workspace_id, more["actor_user_id"], more["now"]) == (WORKSPACE, self.actor, NOW)
        self.audited.append((action, more["subject"], more["detail"]))

    @property
    def actions(self) -> list[str]:
        return [action for action, _subject, _detail in self.audited]

    def _commit(self) -> None:
        self.commits += 1


@pytest.fixture
def teams() -> FakeTeams:
    return FakeTeams()


def save(teams: FakeTeams, draft: TeamDraft, team_id: int | None = None):
    return save_team(
        teams.unit_of_work,
        workspace_id=WORKSPACE,
        actor=ORGANISER,
        team_id=team_id,
        draft=draft,
        now=NOW,
    )


def test_a_team_is_added_then_edited(teams):
    added = save(teams, SEARCH)
    assert added.errors == {} and added.added and teams.names(WORKSPACE) == ["Search"]
    assert added.entry == teams.rows[1]
    found = find_for_editing(teams.unit_of_work, WORKSPACE, "search")
    assert found == EditableTeam(1, found.draft) and found.draft.name == "Search"
    edited = save(teams, replace(SEARCH, city="Lyon"), team_id=1)
    assert edited.errors == {} and not edited.added and teams.rows[1].city == "Lyon"
    every_field = [f.name for f in fields(TeamEntry)]
    assert teams.audited == [
        ("team_added", "team:1", {"name": "Search", "changed": every_field}),
        ("team_updated", "team:1", {"name": "Search", "changed": ["city"]}),
    ]
    assert teams.commits == 2


def test_a_second_team_with_the_same_name_is_refused(teams):
    save(teams, SEARCH)
    assert "name" in save(teams, replace(SEARCH, name=" search ")).errors
    assert len(teams.rows) == 1 and teams.commits == 1
    save(teams, replace(SEARCH, name="Data Platform"))
    assert "name" in save(teams, replace(SEARCH, name=" data   platform ")).errors
    assert len(teams.rows) == 2 and teams.commits == 2


@pytest.mark.parametrize("team_id", [None, 1])
def test_a_namesake_saved_meanwhile_is_refused(teams, team_id):
    save(teams, replace(SEARCH, name="Ads"))
    teams.namesake_races = True
    result = save(teams, SEARCH, team_id=team_id)
    assert result.errors == {"name": "There is already a team called Search."}
    assert result.entry is None and teams.names(WORKSPACE) == ["Ads"] and teams.commits == 1


def test_a_team_keeps_its_own_name_when_edited(teams):
    save(teams, SEARCH)
    save(teams, replace(SEARCH, name="Ads"))
    assert save(teams, replace(SEARCH, city="Lyon"), team_id=1).errors == {}
    assert "name" in save(teams, replace(SEARCH, name="Ads"), team_id=1).errors


def test_a_team_removed_while_being_edited_is_not_written_back(teams):
    result = save(teams, SEARCH, team_id=7)
    gone = "This team was removed from the directory while you edited it."
    assert result.errors == {"name": gone}
    assert teams.rows == {} and teams.commits == 0


def test_a_mistaken_draft_saves_nothing(teams):
    assert save(teams, TeamDraft(name="", leads=())).errors
    assert teams.rows == {} and teams.commits == 0


def test_an_unknown_or_another_workspaces_team_is_not_found_with_suggestions(teams):
    save(teams, SEARCH)
    missing = find_for_editing(teams.unit_of_work, WORKSPACE, "Serch")
    assert isinstance(missing, TeamNotFound) and missing.suggestions == ["Search"]
    assert isinstance(find_for_editing(teams.unit_of_work, "T0OTHER", "Search"), TeamNotFound)
    not_removable = check_removal(teams.unit_of_work, WORKSPACE, "Serch")
    assert isinstance(not_removable, TeamNotFound) and not_removable.suggestions == ["Search"]


def test_a_team_removed_between_its_lookup_and_its_reading_is_not_found(teams):
    save(teams, SEARCH)
    teams.vanishing.add(1)
    for look in (find_for_editing, check_removal):
        missing = look(teams.unit_of_work, WORKSPACE, "Search")
        assert isinstance(missing, TeamNotFound) and missing.names == ["Search"]


def remove(teams: FakeTeams, team_id: int):
    return remove_team(
        teams.unit_of_work, workspace_id=WORKSPACE, actor=ORGANISER, team_id=team_id, now=NOW
    )


def test_a_team_nothing_depends_on_is_removed(teams):
    save(teams, SEARCH)
    check = RemovalCheck(1, "Search", ("U0LEAD",), FREE)
    assert check_removal(teams.unit_of_work, WORKSPACE, "Search") == check
    removal = remove(teams, 1)
    assert removal.removed and removal.name == "Search" and teams.rows == {}
    counts = {"members": 3, "past_openings": 1, "past_tours": 1}
    assert teams.audited[-1] == ("team_removed", "team:1", {"name": "Search", **counts})
    assert teams.commits == 2


@pytest.mark.parametrize("busy", [{"open_openings": 1}, {"live_tours": 1}])
def test_a_team_with_an_open_opening_or_a_live_visit_stays(teams, busy):
    save(teams, SEARCH)
    teams.busy[1] = replace(FREE, **busy)
    removal = remove(teams, 1)
    assert not removal.removed and removal.name == "Search"
    assert removal.refused == RemovalCheck(1, "Search", ("U0LEAD",), teams.busy[1])
    assert 1 in teams.rows and teams.commits == 1


def test_removing_a_team_already_gone_says_so(teams):
    removal = remove(teams, 7)
    assert removal.name is None and not removal.removed and teams.commits == 0
