"""The matching stamp: one version number per workspace, bumped by the transaction that changes
anything the matcher reads, so a process keeping a matching index refreshes it when it moves.
Each version also records what it changed (people, openings and teams by id, in
`matching_changes`), so a process a few versions behind reloads only those rows.

Changes are noted as they are flushed (ORM objects) or executed (bulk UPDATE/DELETE statements)
and the stamp is bumped when the transaction commits: its row lock is the last lock a writer
takes, so it cannot join a deadlock, and a rolled-back transaction bumps nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import Connection, delete, event, insert, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, sessionmaker

from storage.models import (
    Application,
    Blackout,
    MatchingChange,
    MatchingStamp,
    Opening,
    Person,
    Team,
    Tour,
)

MATCHED_MODELS = (Person, Opening, Team, Blackout, Tour, Application)
# What a row of each model moves in the matcher: (kind of change, column naming what changed).
# A visit counts for its visitor (never matched to that team again) and for both teams (caps,
# host limits, visitors hosted); an application for its applicant.
CHANGE_KEYS: dict[type, tuple[tuple[str, str], ...]] = {
    Person: (("person", "id"),),
    Opening: (("opening", "id"),),
    Team: (("team", "id"),),
    Blackout: (("team", "team_id"),),
    Tour: (("person", "person_id"), ("team", "host_team_id"), ("team", "home_team_id")),
    Application: (("person", "person_id"),),
}
EVERYTHING = "all"  # the kind of change that names no row: whoever is behind rebuilds
# A transaction changing more rows than this records EVERYTHING instead (imports, bulk closes).
MAX_NAMED_CHANGES = 500
# Versions whose changes are kept: a process further behind rebuilds its index.
KEPT_VERSIONS = 1000
# Columns of those models that the matcher never reads: changing only these moves nothing.
UNMATCHED_COLUMNS = frozenset(
    {
        "note",
        "learning_goal",
        "timezone",
        "updated_at",
        "announcement_channel",
        "announcement_ts",
        "announce",
        "first_day_kit",
        "description",
        "buddy_user_id",
        "leads",
    }
)
_CHANGED = "matching_changed_workspaces"


def read_stamp(session: Session, workspace_id: str) -> int:
    """The workspace's matching version as this transaction sees it (0 before any change)."""
    query = select(MatchingStamp.version).where(MatchingStamp.workspace_id == workspace_id)
    return session.scalar(query) or 0


class Change(NamedTuple):
    version: int
    kind: str
    key: int


def read_changes(session: Session, workspace_id: str, after: int, upto: int) -> list[Change]:
    """What the versions after `after` up to `upto` changed, in version order."""
    query = (
        select(MatchingChange.version, MatchingChange.kind, MatchingChange.key)
        .where(
            MatchingChange.workspace_id == workspace_id,
            MatchingChange.version > after,
            MatchingChange.version <= upto,
        )
        .order_by(MatchingChange.version)
    )
    return [Change(*row) for row in session.execute(query)]


def changes_matching(session: Session) -> bool:
    """Whether this session holds changes the matcher reads that are not committed yet."""
    return bool(session.info.get(_CHANGED))


def keep_matching_stamps(sessions: sessionmaker[Session]) -> None:
    """Makes every session of `sessions` bump the stamps of the workspaces it changes."""
    event.listen(sessions, "after_flush", _note_flushed)
    event.listen(sessions, "do_orm_execute", _note_bulk)
    event.listen(sessions, "before_commit", _bump_on_commit)
    event.listen(sessions, "after_transaction_end", _forget)


def _note(session: Session, workspace_id: str | None, keys: Iterable[tuple[str, Any]]) -> None:
    if workspace_id is None:
        return
    noted: dict[str, set[tuple[str, int]]] = session.info.setdefault(_CHANGED, {})
    noted.setdefault(workspace_id, set()).update((k, key) for k, key in keys if key is not None)


def _note_flushed(session: Session, _context: Any) -> None:
    """After the flush: new rows have their ids, and changed ones still their history."""
    touched = [*session.new, *session.deleted]
    touched += [obj for obj in session.dirty if _matched_columns_changed(obj)]
    for obj in touched:
        if isinstance(obj, MATCHED_MODELS):
            _note(session, obj.workspace_id, _keys_of(obj))


def _keys_of(obj: object) -> Iterable[tuple[str, Any]]:
    """The changes a row names, before and after (a visit moved to another team names both)."""
    attrs = inspect(obj).attrs
    for kind, column in CHANGE_KEYS[type(obj)]:
        yield kind, getattr(obj, column)
        for before in attrs[column].history.deleted:
            yield kind, before


def _matched_columns_changed(obj: object) -> bool:
    return any(
        attr.history.has_changes()
        for attr in inspect(obj).attrs
        if attr.key not in UNMATCHED_COLUMNS
    )


def _note_bulk(state: ORMExecuteState) -> None:
    """A bulk UPDATE or DELETE names its rows by id: their workspaces are looked up first."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    model = state.bind_mapper.class_
    if not issubclass(model, MATCHED_MODELS):
        return
    keys = CHANGE_KEYS[model]
    query = select(model.workspace_id, *(getattr(model, column) for _, column in keys))
    if state.statement.whereclause is not None:  # type: ignore[attr-defined]
        query = query.where(state.statement.whereclause)  # type: ignore[attr-defined]
    for workspace_id, *named in state.session.connection().execute(query):
        _note(state.session, workspace_id, zip((kind for kind, _ in keys), named, strict=True))


def _bump_on_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint: the outer transaction bumps when it commits
    session.flush()  # notes the last changes
    connection = session.connection()
    noted: dict[str, set[tuple[str, int]]] = session.info.get(_CHANGED, {})
    for workspace_id in sorted(noted):
        _bump(connection, workspace_id, noted[workspace_id])


def _bump(connection: Connection, workspace_id: str, keys: set[tuple[str, int]]) -> None:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(MatchingStamp).values(workspace_id=workspace_id, version=1)
    version = connection.execute(
        statement.on_conflict_do_update(
            index_elements=[MatchingStamp.workspace_id],
            set_={"version": MatchingStamp.version + 1},
        ).returning(MatchingStamp.version)
    ).scalar_one()
    named = sorted(keys) if 0 < len(keys) <= MAX_NAMED_CHANGES else [(EVERYTHING, 0)]
    connection.execute(
        insert(MatchingChange),
        [
            {"workspace_id": workspace_id, "version": version, "kind": k, "key": key}
            for k, key in named
        ],
    )
    connection.execute(
        delete(MatchingChange).where(
            MatchingChange.workspace_id == workspace_id,
            MatchingChange.version <= version - KEPT_VERSIONS,
        )
    )


def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)
