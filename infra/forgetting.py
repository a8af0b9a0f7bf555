"""`tourism forget` and `tourism purge`: an organiser forgets a person, or deletes a workspace,
from the command line; each says what it would remove and asks first (unless --yes).

They need only DATABASE_URL (and, to forget, the salt keying tombstones: TOURISM_TOMBSTONE_SALT
or SLACK_SIGNING_SECRET, as the bot uses)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bot.core.clock import clock_for
from bot.core.words import counted
from bot.forgetting.model import ForgottenBy, removal_lines
from bot.forgetting.service import (
    ForgetRequest,
    forget_person,
    personal_data_of,
    purge_workspace,
    workspace_rows,
)
from infra.settings import load_database_url, load_tombstone_salt
from storage import migrate
from storage.db import create_db_engine, session_factory
from storage.unit_of_work import SqlReader, SqlUnitOfWork


def run_forget(user_id: str, workspace_id: str, *, yes: bool) -> int:
    """0 when forgotten (or nothing was stored), 1 when not confirmed."""
    with _database() as (uow, reader):
        data = personal_data_of(reader, workspace_id, user_id)
        if data.nothing:
            print(f"tourism: nothing is stored about {user_id} in {workspace_id}; nothing to do.")
            return 0
        print(f"tourism: forgetting {user_id} in {workspace_id} removes:")
        for line in removal_lines(data, whose="their"):
            print(f"  - {line}")
        if data.visits:
            print(f"  ({counted(data.visits, 'visit')} kept in the numbers, without their name)")
        if not yes and not _confirmed("Forget them? [y/N] ", ("y", "yes")):
            print("tourism: nothing changed.")
            return 1
        salt, now = load_tombstone_salt(), clock_for(None).now()
        forget_person(uow, ForgetRequest(workspace_id, user_id, ForgottenBy.ORGANISER, salt, now))
    print(f"tourism: {user_id} is forgotten in {workspace_id}; a tombstone is in the audit log.")
    return 0


def run_purge(workspace_id: str, *, yes: bool) -> int:
    """0 when purged (or nothing was stored), 1 when not confirmed."""
    with _database() as (uow, reader):
        rows = workspace_rows(reader, workspace_id)
        if not rows:
            print(f"tourism: nothing is stored for workspace {workspace_id}; nothing to do.")
            return 0
        print(f"tourism: purging {workspace_id} deletes {sum(rows.values())} rows:")
        for table, count in sorted(rows.items()):
            print(f"  - {table}: {count}")
        if _still_installed(reader, workspace_id):
            print(
                f"tourism: {workspace_id} is still installed: a running bot keeps serving it "
                "but cannot store anything for it until it restarts (and starts it afresh)."
            )
        question = f"Type {workspace_id} to delete all of it: "
        if not yes and not _confirmed(question, (workspace_id.lower(),)):
            print("tourism: nothing changed.")
            return 1
        purge_workspace(uow, workspace_id)
    print(f"tourism: workspace {workspace_id} is purged.")
    return 0


def _still_installed(reader: Callable[[], SqlReader], workspace_id: str) -> bool:
    with reader() as uow:
        workspace = uow.workspaces.get(workspace_id)
        return workspace is not None and workspace.uninstalled_at is None


def _confirmed(question: str, answers: tuple[str, ...]) -> bool:
    try:
        return input(question).strip().lower() in answers
    except EOFError:  # no terminal to answer from: use --yes
        print(file=sys.stderr)
        return False


@contextmanager
def _database() -> Iterator[tuple[Callable[[], SqlUnitOfWork], Callable[[], SqlReader]]]:
    database_url = load_database_url()
    migrate.upgrade(database_url)
    engine = create_db_engine(database_url)
    sessions = session_factory(engine)
    try:
        yield (lambda: SqlUnitOfWork(sessions)), (lambda: SqlReader(sessions))
    finally:
        engine.dispose()
