"""History: every state change of an application, a visit (tour), an extension or an opening is
written to the audit log by the transaction that makes it, in this one place.

Changes are noted as they are flushed (ORM objects: attribute history gives before and after) or
executed (bulk compare-and-set UPDATEs: the rows they match are read before and after), and
written when the transaction commits, so a rolled-back step leaves no history. "Who" is the person
the step itself names in the audit log (every use case records its step with the acting user);
a transaction that names nobody, like the scheduler moving visits along by date, is the bot's.

Each entry's subject is the visit-level record it belongs to (`application:12`, `tour:5`,
`opening:3`; an extension and a card confirmation belong to their tour and application), and its
detail says which record changed and how: {"record": "extension", "id": 7,
"changes": {"status": ["submitted", "host_agreed"]}}.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, event, insert, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, sessionmaker

from bot.history.model import FieldChange, HistoryEntry, Record
from storage.models import (
    Application,
    AuditEntry,
    Base,
    CardConfirmation,
    Opening,
    Tour,
    TourExtension,
)

CREATED = "record_created"
CHANGED = "record_changed"
HISTORY_ACTIONS = (CREATED, CHANGED)


@dataclass(frozen=True)
class Tracked:
    """How one model's state changes are recorded."""

    record: str  # what the detail calls it
    fields: tuple[str, ...]  # the columns whose changes are history
    # The visit-level record it belongs to: `{subject}:{row.<subject_key>}`.
    subject: str
    subject_key: str = "id"
    # A row that names who made it and when (a card confirmation, whose step records no audit
    # entry of its own when others have yet to confirm): that person and time, not the step's.
    own_step: Callable[[Any], tuple[str, datetime]] | None = None


STATUS_AND_DATES = ("status", "starts_on", "ends_on")
TRACKED: dict[type[Base], Tracked] = {
    Application: Tracked("application", STATUS_AND_DATES, "application"),
    Tour: Tracked("tour", STATUS_AND_DATES, "tour"),
    TourExtension: Tracked("extension", ("status",), "tour", "tour_id"),
    CardConfirmation: Tracked(
        "card_confirmation",
        ("role",),
        "application",
        "application_id",
        own_step=lambda row: (row.user_id, row.confirmed_at),
    ),
    Opening: Tracked("opening", ("status",), "opening"),
}

_NOTED = "history_noted"
_STEP = "history_step"  # (actor, at) of the step the transaction records


@dataclass(frozen=True)
class Change:
    workspace_id: str
    subject: str
    record: str
    record_id: int
    created: bool
    changes: dict[str, list[Any]]  # field: [before, after]
    step: tuple[str, datetime] | None = None  # who and when, if the row says so itself


def keep_history(sessions: sessionmaker[Session]) -> None:
    """Makes every session of `sessions` write the state changes it commits to the audit log."""
    event.listen(sessions, "after_flush", _note_flushed)
    event.listen(sessions, "do_orm_execute", _note_bulk)
    event.listen(sessions, "before_commit", _write_on_commit)
    event.listen(sessions, "after_transaction_end", _forget)


def _plain(value: Any) -> Any:
    """JSON-ready: dates as ISO text."""
    return value.isoformat() if isinstance(value, date | datetime) else value


def _note(session: Session, change: Change) -> None:
    session.info.setdefault(_NOTED, []).append(change)


def _note_flushed(session: Session, _context: Any) -> None:
    for row in session.new:
        if isinstance(row, AuditEntry) and row.actor_user_id:
            session.info[_STEP] = (row.actor_user_id, row.at)
    for row in [*session.new, *session.dirty]:
        tracked = TRACKED.get(type(row))
        if tracked is not None:
            _note_row(session, row, tracked, created=row in session.new)


def _note_row(session: Session, row: Any, tracked: Tracked, *, created: bool) -> None:
    changes: dict[str, list[Any]] = {}
    for name in tracked.fields:
        history = inspect(row).attrs[name].history
        if created:
            changes[name] = [None, _plain(getattr(row, name))]
        elif history.has_changes() and history.deleted and history.added:
            before, after = _plain(history.deleted[0]), _plain(history.added[0])
            if before != after:
                changes[name] = [before, after]
    if changes:
        _note(session, _change(row, tracked, created=created, changes=changes))


def _change(row: Any, tracked: Tracked, *, created: bool, changes: dict[str, list[Any]]) -> Change:
    return Change(
        workspace_id=row.workspace_id,
        subject=f"{tracked.subject}:{getattr(row, tracked.subject_key)}",
        record=tracked.record,
        record_id=row.id,
        created=created,
        changes=changes,
        step=tracked.own_step(row) if tracked.own_step is not None else None,
    )


def _note_bulk(state: ORMExecuteState) -> Any:
    """A compare-and-set UPDATE of a tracked column: the rows it matches, read before and after."""
    if not state.is_update or state.bind_mapper is None:
        return None
    model = state.bind_mapper.class_
    tracked = TRACKED.get(model)
    # The SET clause's columns (SQLAlchemy keeps them in `_values`; no public accessor).
    values = getattr(state.statement, "_values", None) or {}
    if tracked is None or not {getattr(k, "key", k) for k in values} & set(tracked.fields):
        return None
    keys = dict.fromkeys(("id", "workspace_id", tracked.subject_key, *tracked.fields))
    columns = [getattr(model, key) for key in keys]
    before_query = select(*columns)
    if state.statement.whereclause is not None:  # type: ignore[attr-defined]
        before_query = before_query.where(state.statement.whereclause)  # type: ignore[attr-defined]
    connection = state.session.connection()
    before = {row.id: row for row in connection.execute(before_query)}
    result = state.invoke_statement()
    if before:
        after_query = select(*columns).where(model.id.in_(before))
        for row in connection.execute(after_query):
            _note_bulk_row(state.session, tracked, before[row.id], row)
    return result


def _note_bulk_row(session: Session, tracked: Tracked, before: Any, after: Any) -> None:
    changes = {
        name: [_plain(getattr(before, name)), _plain(getattr(after, name))]
        for name in tracked.fields
        if getattr(before, name) != getattr(after, name)
    }
    if changes:
        _note(session, _change(after, tracked, created=False, changes=changes))


def _write_on_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint: the outer transaction writes when it commits
    session.flush()  # notes the last changes
    noted: list[Change] = session.info.get(_NOTED, [])
    if noted:
        step = session.info.get(_STEP, (None, datetime.now(UTC)))
        _write(session.connection(), noted, step)


def _write(connection: Connection, noted: list[Change], step: tuple[str | None, datetime]) -> None:
    connection.execute(
        insert(AuditEntry),
        [
            {
                "workspace_id": change.workspace_id,
                "actor_user_id": (change.step or step)[0],
                "action": CREATED if change.created else CHANGED,
                "subject": change.subject,
                "detail": {
                    "record": change.record,
                    "id": change.record_id,
                    "changes": change.changes,
                },
                "at": (change.step or step)[1],
            }
            for change in noted
        ],
    )


def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_NOTED, None)
        session.info.pop(_STEP, None)


def history_entry(row: AuditEntry) -> HistoryEntry:
    """An audit log row this module wrote, as the history shows it."""
    changes = row.detail.get("changes", {})
    return HistoryEntry(
        at=row.at,
        actor_id=row.actor_user_id,
        record=Record(row.detail["record"]),
        record_id=int(row.detail["id"]),
        created=row.action == CREATED,
        changes=tuple(FieldChange(name, *values) for name, values in changes.items()),
    )
