"""`tourism import-teams FILE`: load the team directory from a file, idempotently.

Teams are matched by name (whatever its case). A row for a new team adds it; a row that differs
from its team overwrites it, leads and blackouts included (the directory lists a team's leads);
a row that matches changes nothing. Teams the file does not mention are left alone. Rejected rows
are reported and skipped; the good rows are saved together in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.core.ports import Audit
from bot.core.user_text import match_key
from bot.directory.model import TeamEntry, read_team
from bot.directory.service import DirectoryTeams
from bot.directory.team_file import BLACKOUT_SEPARATOR, TeamRow


class Workspaces(Protocol):
    def get(self, workspace_id: str) -> Any: ...


class ImportUnitOfWork(Protocol):
    @property
    def workspaces(self) -> Workspaces: ...
    @property
    def teams(self) -> DirectoryTeams: ...
    @property
    def audit(self) -> Audit: ...

    def commit(self) -> None: ...


ImportUnitOfWorkFactory = Callable[[], AbstractContextManager[ImportUnitOfWork]]


class UnknownWorkspaceError(LookupError):
    """The workspace has no row yet: the bot registers it when it first starts."""


@dataclass(frozen=True)
class RejectedRow:
    line: int
    name: str
    reasons: tuple[str, ...]


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.rejected)} rejected"
        )


def import_teams(
    uow_factory: ImportUnitOfWorkFactory,
    *,
    workspace_id: str,
    rows: Sequence[TeamRow],
    source: str,
    now: datetime,
) -> ImportReport:
    report = ImportReport()
    with uow_factory() as uow:
        if uow.workspaces.get(workspace_id) is None:
            raise UnknownWorkspaceError(workspace_id)
        # Every team with its leads and blackouts in a few queries, so no row costs a query.
        existing = {
            match_key(entry.name): (team_id, entry)
            for team_id, entry in uow.teams.entries(workspace_id)
        }
        first_line: dict[str, int] = {}
        for row in rows:
            entry = _read_row(row, first_line, report)
            if entry is None:
                continue
            team_id, before = existing.get(match_key(entry.name), (None, None))
            if team_id is None:
                uow.teams.create(workspace_id, entry)
                report.added.append(entry.name)
            elif before == entry:
                report.unchanged.append(entry.name)
            else:
                uow.teams.update(workspace_id, team_id, entry)
                report.updated.append(entry.name)
        uow.teams.flush()
        if report.added or report.updated:
            uow.audit.record(
                workspace_id,
                action="teams_imported",
                actor_user_id=None,
                now=now,
                subject=source[-60:],
                detail={
                    "added": report.added,
                    "updated": report.updated,
                    "unchanged": len(report.unchanged),
                    "rejected": [row.line for row in report.rejected],
                },
            )
        uow.commit()
    return report


def _read_row(row: TeamRow, first_line: dict[str, int], report: ImportReport) -> TeamEntry | None:
    """The row's entry, or None once the row is recorded as rejected."""
    name = " ".join(row.draft.name.split())
    if row.problems:
        report.rejected.append(RejectedRow(row.line, name, row.problems))
        return None
    entry, errors = read_team(row.draft, name_taken=False, separator=BLACKOUT_SEPARATOR)
    if entry is None:
        reasons = tuple(f"{column}: {message}" for column, message in errors.items())
        report.rejected.append(RejectedRow(row.line, name, reasons))
        return None
    seen_on = first_line.setdefault(match_key(entry.name), row.line)
    if seen_on != row.line:
        reason = f"name: {entry.name} is already on line {seen_on}; give each team one row."
        report.rejected.append(RejectedRow(row.line, name, (reason,)))
        return None
    return entry
