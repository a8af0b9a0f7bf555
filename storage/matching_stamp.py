"""The matching stamp: one version number per workspace, bumped by the transaction that changes
anything the matcher reads, so a process keeping a matching index refreshes it when it moves.

Changes are noted as they are flushed (ORM objects) or executed (bulk UPDATE/DELETE statements)
and the stamp is bumped when the transaction commits: its row lock is the last lock a writer
takes, so it cannot join a deadlock, and a rolled-back transaction bumps nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, event, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, sessionmaker

from storage.models import Application, Blackout, MatchingStamp, Opening, Person, Team, Tour

MATCHED_MODELS = (Person, Opening, Team, Blackout, Tour, Application)
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


def changes_matching(session: Session) -> bool:
    """Whether this session holds changes the matcher reads that are not committed yet."""
    return bool(session.info.get(_CHANGED))


def keep_matching_stamps(sessions: sessionmaker[Session]) -> None:
    """Makes every session of `sessions` bump the stamps of the workspaces it changes."""
    event.listen(sessions, "before_flush", _note_flushed)
    event.listen(sessions, "do_orm_execute", _note_bulk)
    event.listen(sessions, "before_commit", _bump_on_commit)
    event.listen(sessions, "after_transaction_end", _forget)


def _note(session: Session, workspace_ids: Iterable[str | None]) -> None:
    session.info.setdefault(_CHANGED, set()).update(w for w in workspace_ids if w is not None)


def _note_flushed(session: Session, _context: Any, _instances: Any) -> None:
    touched = [*session.new, *session.deleted]
    touched += [obj for obj in session.dirty if _matched_columns_changed(obj)]
    _note(session, (obj.workspace_id for obj in touched if isinstance(obj, MATCHED_MODELS)))


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
    query = select(model.workspace_id).distinct()
    if state.statement.whereclause is not None:  # type: ignore[attr-defined]
        query = query.where(state.statement.whereclause)  # type: ignore[attr-defined]
    _note(state.session, state.session.connection().scalars(query))


def _bump_on_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint: the outer transaction bumps when it commits
    session.flush()  # notes the last changes
    connection = session.connection()
    for workspace_id in sorted(session.info.get(_CHANGED, ())):
        _bump(connection, workspace_id)


def _bump(connection: Connection, workspace_id: str) -> None:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(MatchingStamp).values(workspace_id=workspace_id, version=1)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[MatchingStamp.workspace_id],
            set_={"version": MatchingStamp.version + 1},
        )
    )


def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)
