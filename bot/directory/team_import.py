"""`tourism import-teams FILE`: load the team directory from a file, idempotently.

Teams are matched by name (whatever its case) and keep their stored spelling: renaming is the
team form's job, so a file typed in lower case cannot rename "Listings" to "listings". A row for
a new team adds it. For a known team, a filled cell replaces the field (leads and blackouts become
the file's), an empty cell leaves the field as it is and `-` clears it: a sparse file never wipes
what the organisers set in Slack. Teams the file does not mention are left alone. Every change is
reported as `field: old → new`; rejected rows are reported and skipped; the good rows are saved
together in one transaction, or not at all in a dry run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any, Protocol

from bot.core.ports import Audit
from bot.core.user_text import match_key
from bot.directory.model import TeamDraft, TeamEntry, draft_of, read_team
from bot.directory.service import DirectoryTeams
from bot.directory.team_file import BLACKOUT_SEPARATOR, CLEAR, TeamRow
from bot.workspaces.model import Workspace
from bot.workspaces.service import InstalledWorkspace


class Workspaces(Protocol):
    def get(self, workspace_id: str) -> Workspace | None: ...

    def active(self) -> list[InstalledWorkspace]: ...

    def register(
        self,
        installed: InstalledWorkspace,
        *,
        name: str,
        bot_user_id: str | None,
        installer_id: str | None,
        now: datetime,
    ) -> None: ...


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
    """The named workspace is not in a database that already serves other workspaces (a typo)."""

    def __init__(self, workspace_id: str, known: Sequence[str]) -> None:
        super().__init__(workspace_id)
        self.workspace_id = workspace_id
        self.known = tuple(known)


@dataclass(frozen=True)
class RejectedRow:
    line: int
    name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.field}: {self.old or '(empty)'} → {self.new or '(empty)'}"


@dataclass(frozen=True)
class TeamUpdate:
    """A known team the row changes; `spelled` is the file's spelling when it differs from the
    stored name only in case or spacing (the stored one stays)."""

    name: str
    changes: tuple[FieldChange, ...]
    spelled: str = ""


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[TeamUpdate] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    respelled: list[TeamUpdate] = field(default_factory=list)
    registered_workspace: bool = False

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.rejected)} rejected"
        )

    def change_lines(self) -> list[str]:
        """What happens to each team: added, each changed field, a spelling left as stored."""
        lines = [f"{name}: new team" for name in self.added]
        for update in self.updated:
            lines.append(f"{update.name}:")
            lines += [f"  {change}" for change in update.changes]
        lines += [
            f"{update.name} keeps its name (the file says {update.spelled}); "
            "rename a team in Slack with /tourism team edit."
            for update in self.respelled
        ]
        return lines


def import_teams(
    uow_factory: ImportUnitOfWorkFactory,
    *,
    workspace_id: str,
    rows: Sequence[TeamRow],
    source: str,
    now: datetime,
    dry_run: bool = False,
) -> ImportReport:
    """With `dry_run` the report says what the import would do and nothing is saved."""
    report = ImportReport()
    with uow_factory() as uow:
        report.registered_workspace = _ensure_workspace(uow, workspace_id, now)
        # Every team with its leads and blackouts in a few queries, so no row costs a query.
        existing = {
            match_key(entry.name): (team_id, entry)
            for team_id, entry in uow.teams.entries(workspace_id)
        }
        first_line: dict[str, int] = {}
        for row in rows:
            team_id, before = existing.get(match_key(row.draft.name), (None, None))
            entry = _read_row(row, before, first_line, report)
            if entry is None:
                continue
            if team_id is None:
                uow.teams.create(workspace_id, entry)
                report.added.append(entry.name)
                continue
            assert before is not None
            update = TeamUpdate(entry.name, changes(before, entry), _respelled(row, before))
            if update.spelled:
                report.respelled.append(update)
            if update.changes:
                uow.teams.update(workspace_id, team_id, entry)
                report.updated.append(update)
            else:
                report.unchanged.append(entry.name)
        uow.teams.flush()
        if dry_run:
            return report  # leaving the unit of work uncommitted rolls everything back
        if report.added or report.updated:
            uow.audit.record(
                workspace_id,
                action="teams_imported",
                actor_user_id=None,
                now=now,
                subject=source[-60:],
                detail={
                    "added": report.added,
                    "updated": [update.name for update in report.updated],
                    "unchanged": len(report.unchanged),
                    "rejected": [row.line for row in report.rejected],
                },
            )
        uow.commit()
    return report


def _ensure_workspace(uow: ImportUnitOfWork, workspace_id: str, now: datetime) -> bool:
    """True when the workspace was new and is now registered (a fresh database's first import).

    A database that already serves other workspaces refuses an unknown one: most likely a typo,
    and teams filed under it would be invisible to everyone.
    """
    if uow.workspaces.get(workspace_id) is not None:
        return False
    known = [workspace.id for workspace in uow.workspaces.active()]
    if known:
        raise UnknownWorkspaceError(workspace_id, known)
    # The bot fills in the name and its own user when it starts with this workspace's token.
    uow.workspaces.register(
        InstalledWorkspace(workspace_id), name="", bot_user_id=None, installer_id=None, now=now
    )
    return True


def merged_draft(draft: TeamDraft, before: TeamEntry | None) -> TeamDraft:
    """The row as it applies to the team: empty cells keep the stored value, `-` clears it.

    Blackouts are kept as periods (see `_read_row`), not as text a reason's `;` could split.
    """
    stored = draft_of(before) if before is not None else TeamDraft()
    values: dict[str, Any] = {}
    for name in (item.name for item in fields(TeamDraft)):
        typed = getattr(draft, name)
        if typed in (CLEAR, (CLEAR,)):
            values[name] = type(typed)()
        elif typed or name == "blackouts":
            values[name] = typed
        else:
            values[name] = getattr(stored, name)
    return TeamDraft(**values)


def changes(before: TeamEntry, after: TeamEntry) -> tuple[FieldChange, ...]:
    """Each field the update changes, as the file's columns name and write them."""
    old, new = _shown(before), _shown(after)
    return tuple(FieldChange(name, old[name], new[name]) for name in old if old[name] != new[name])


def _shown(entry: TeamEntry) -> dict[str, str]:
    draft = draft_of(entry)
    shown = {item.name: str(getattr(draft, item.name)) for item in fields(TeamDraft)}
    shown["leads"] = " ".join(draft.leads)
    shown["blackouts"] = "; ".join(map(str, entry.blackouts))
    return shown


def _respelled(row: TeamRow, before: TeamEntry) -> str:
    spelled = " ".join(row.draft.name.split())
    return spelled if spelled != before.name else ""


def _read_row(
    row: TeamRow, before: TeamEntry | None, first_line: dict[str, int], report: ImportReport
) -> TeamEntry | None:
    """The row's entry (over the stored team `before`, if any), or None once it is rejected."""
    name = " ".join(row.draft.name.split())
    if row.problems:
        report.rejected.append(RejectedRow(row.line, name, row.problems))
        return None
    draft = merged_draft(row.draft, before)
    entry, errors = read_team(draft, name_taken=False, separator=BLACKOUT_SEPARATOR)
    if entry is not None and before is not None:
        keep_blackouts = not row.draft.blackouts
        entry = replace(
            entry,
            name=before.name,
            blackouts=before.blackouts if keep_blackouts else entry.blackouts,
        )
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
