"""Use cases of `/tourism team`: the organisers' team directory (add, edit, list, remove)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.core.inputs import OPTIONS_PER_SELECT
from bot.core.ports import Audit
from bot.directory.model import (
    DuplicateTeamNameError,
    Team,
    TeamDraft,
    TeamEntry,
    changed_fields,
    draft_of,
    read_team,
    similar_names,
)

# A message holds 50 blocks: a header, a context line and the buttons leave room for 45 teams.
TEAMS_PER_PAGE = 45


class Commitments(Protocol):
    @property
    def open_openings(self) -> int: ...
    @property
    def live_tours(self) -> int: ...
    @property
    def members(self) -> int: ...
    @property
    def past_openings(self) -> int: ...
    @property
    def past_tours(self) -> int: ...

    @property
    def blocks_removal(self) -> bool: ...


class DirectoryTeams(Protocol):
    def by_name(self, workspace_id: str, name: str) -> Team | None: ...

    def entry(self, workspace_id: str, team_id: int) -> TeamEntry | None: ...

    def entries(self, workspace_id: str) -> list[tuple[int, TeamEntry]]: ...

    def entries_page(self, workspace_id: str, offset: int, limit: int) -> list[TeamEntry]: ...

    def count(self, workspace_id: str) -> int: ...

    def names(self, workspace_id: str) -> list[str]: ...

    def search(self, workspace_id: str, text: str, limit: int) -> list[Team]: ...

    def create(self, workspace_id: str, entry: TeamEntry) -> None: ...

    def insert(self, workspace_id: str, entry: TeamEntry) -> int: ...

    def update(self, workspace_id: str, team_id: int, entry: TeamEntry) -> bool: ...

    def remove(self, workspace_id: str, team_id: int) -> bool: ...

    def flush(self) -> None: ...

    def commitments(self, workspace_id: str, team_id: int) -> Commitments: ...


class DirectoryReader(Protocol):
    @property
    def teams(self) -> DirectoryTeams: ...
    @property
    def audit(self) -> Audit: ...


class DirectoryUnitOfWork(DirectoryReader, Protocol):
    def commit(self) -> None: ...


DirectoryReaderFactory = Callable[[], AbstractContextManager[DirectoryReader]]
DirectoryUnitOfWorkFactory = Callable[[], AbstractContextManager[DirectoryUnitOfWork]]


@dataclass(frozen=True)
class TeamNotFound:
    """No team has the name typed; the closest names and how many teams there are."""

    typed: str
    suggestions: list[str]
    names: list[str]


@dataclass(frozen=True)
class EditableTeam:
    team_id: int
    draft: TeamDraft


def find_for_editing(
    uow_factory: DirectoryReaderFactory, workspace_id: str, name: str
) -> EditableTeam | TeamNotFound:
    with uow_factory() as uow:
        team = uow.teams.by_name(workspace_id, name)
        entry = None if team is None else uow.teams.entry(workspace_id, team.id)
        if team is None or entry is None:
            return _not_found(uow, workspace_id, name)
        return EditableTeam(team.id, draft_of(entry))


@dataclass(frozen=True)
class SaveResult:
    """Errors keyed by field (nothing was saved), or the saved entry."""

    errors: dict[str, str]
    entry: TeamEntry | None = None
    added: bool = False


def save_team(
    uow_factory: DirectoryUnitOfWorkFactory,
    *,
    workspace_id: str,
    actor: str,
    team_id: int | None,
    draft: TeamDraft,
    now: datetime,
) -> SaveResult:
    """Adds a team (no `team_id`) or overwrites one, in one transaction; with errors, nothing."""
    with uow_factory() as uow:
        before = None if team_id is None else uow.teams.entry(workspace_id, team_id)
        if team_id is not None and before is None:
            return SaveResult(
                {"name": "This team was removed from the directory while you edited it."}
            )
        namesake = uow.teams.by_name(workspace_id, " ".join(draft.name.split()))
        taken = namesake is not None and namesake.id != team_id
        entry, errors = read_team(draft, name_taken=taken)
        if entry is None:
            return SaveResult(errors)
        try:
            saved_id = _write(uow, workspace_id, team_id, entry)
        except DuplicateTeamNameError:
            return SaveResult({"name": f"There is already a team called {entry.name}."})
        uow.audit.record(
            workspace_id,
            action="team_added" if before is None else "team_updated",
            actor_user_id=actor,
            now=now,
            subject=f"team:{saved_id}",
            detail={"name": entry.name, "changed": changed_fields(before, entry)},
        )
        uow.commit()
    return SaveResult({}, entry, added=before is None)


def _write(
    uow: DirectoryUnitOfWork, workspace_id: str, team_id: int | None, entry: TeamEntry
) -> int:
    if team_id is None:
        return uow.teams.insert(workspace_id, entry)
    uow.teams.update(workspace_id, team_id, entry)
    uow.teams.flush()
    return team_id


@dataclass(frozen=True)
class DirectoryPage:
    teams: list[TeamEntry]
    offset: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.teams) < self.total


def directory_page(
    uow_factory: DirectoryReaderFactory, workspace_id: str, offset: int
) -> DirectoryPage:
    """The page of teams from `offset` (rounded down to a page start and kept in range)."""
    with uow_factory() as uow:
        total = uow.teams.count(workspace_id)
        last_page_start = max(total - 1, 0) // TEAMS_PER_PAGE * TEAMS_PER_PAGE
        start = min(max(offset, 0) // TEAMS_PER_PAGE * TEAMS_PER_PAGE, last_page_start)
        teams = uow.teams.entries_page(workspace_id, start, TEAMS_PER_PAGE)
    return DirectoryPage(teams, start, total)


def teams_matching(
    uow_factory: DirectoryReaderFactory, workspace_id: str, typed: str
) -> list[Team]:
    """What a team picker offers for the text typed into it: as many as a select holds."""
    with uow_factory() as uow:
        return uow.teams.search(workspace_id, typed, OPTIONS_PER_SELECT)


@dataclass(frozen=True)
class RemovalCheck:
    """A team about to be removed and what depends on it."""

    team_id: int
    name: str
    leads: tuple[str, ...]
    commitments: Commitments


def check_removal(
    uow_factory: DirectoryReaderFactory, workspace_id: str, name: str
) -> RemovalCheck | TeamNotFound:
    with uow_factory() as uow:
        team = uow.teams.by_name(workspace_id, name)
        if team is None:
            return _not_found(uow, workspace_id, name)
        entry = uow.teams.entry(workspace_id, team.id)
        if entry is None:
            return _not_found(uow, workspace_id, name)
        commitments = uow.teams.commitments(workspace_id, team.id)
        return RemovalCheck(team.id, entry.name, entry.leads, commitments)


@dataclass(frozen=True)
class Removal:
    """The outcome of a confirmed removal: done, refused (commitments appeared since), or gone."""

    name: str | None
    refused: RemovalCheck | None = None

    @property
    def removed(self) -> bool:
        return self.name is not None and self.refused is None


def remove_team(
    uow_factory: DirectoryUnitOfWorkFactory,
    *,
    workspace_id: str,
    actor: str,
    team_id: int,
    now: datetime,
) -> Removal:
    """Removes the team unless openings or tours still need it; checked again at the click,
    since an opening may have been posted after the confirmation was shown."""
    with uow_factory() as uow:
        entry = uow.teams.entry(workspace_id, team_id)
        if entry is None:
            return Removal(None)
        commitments = uow.teams.commitments(workspace_id, team_id)
        if commitments.blocks_removal:
            return Removal(entry.name, RemovalCheck(team_id, entry.name, entry.leads, commitments))
        uow.teams.remove(workspace_id, team_id)
        uow.audit.record(
            workspace_id,
            action="team_removed",
            actor_user_id=actor,
            now=now,
            subject=f"team:{team_id}",
            detail={
                "name": entry.name,
                "members": commitments.members,
                "past_openings": commitments.past_openings,
                "past_tours": commitments.past_tours,
            },
        )
        uow.commit()
    return Removal(entry.name)


def _not_found(uow: DirectoryReader, workspace_id: str, typed: str) -> TeamNotFound:
    names = uow.teams.names(workspace_id)
    return TeamNotFound(typed, similar_names(typed, names), names)
