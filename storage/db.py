"""Engine and session factory: one session per request or job, committed by its unit of work."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from storage.history import keep_history
from storage.matching_stamp import keep_matching_stamps

# Execution options of a read-only transaction: PostgreSQL refuses writes in it
# (SET TRANSACTION READ ONLY), SQLite begins it deferred and in query_only mode.
READ_ONLY_OPTION = "tourism_read_only"
BUSY_TIMEOUT_SECONDS = 30  # how long a SQLite writer waits for the write lock before failing
READ_ONLY: Mapping[str, bool] = MappingProxyType(
    {READ_ONLY_OPTION: True, "postgresql_readonly": True}
)


def create_db_engine(database_url: str, *, foreign_keys: bool = True) -> Engine:
    """`foreign_keys=False` is for migrations only: SQLite alters a table by copying it, and
    dropping the old copy would cascade-delete the rows of every table that refers to it."""
    if database_url.startswith("sqlite"):
        engine = create_engine(
            database_url,
            # Bolt runs listeners in a thread pool, the scheduler in another thread.
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_SECONDS},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        if not foreign_keys:
            event.listen(engine, "connect", _sqlite_without_foreign_keys)
        WriterTurns(BUSY_TIMEOUT_SECONDS).attach(engine)
        return engine
    return create_engine(database_url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The sqlite3 module's own transaction handling commits on RELEASE SAVEPOINT and defers
    # BEGIN; take it over (SQLAlchemy's documented recipe) so savepoints and rollbacks are real.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the one writer
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.close()


def _sqlite_without_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # outside any transaction, as it must


class WriterTurns:
    """The process's SQLite writers wait for their turn on a lock of the process's own.

    SQLite has one write lock, and a writer that finds it taken sleeps in steps of up to 100 ms
    before trying again (its busy handler), so under many writers a turn goes to whoever happens
    to wake up: some wait a few milliseconds, others seconds. Here a writer of this process first
    waits on a lock that wakes the next one as soon as the last has committed or rolled back;
    SQLite's own lock still orders this process with the others. Past `timeout` seconds a writer
    goes ahead anyway and SQLite decides, as it would without the turns.
    """

    HOLDS = "tourism_holds_writer_turn"

    def __init__(self, timeout: float) -> None:
        self._lock = threading.Lock()
        self._timeout = timeout

    @property
    def taken(self) -> bool:
        """A writer of this process has the turn."""
        return self._lock.locked()

    def attach(self, engine: Engine) -> None:
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _begin(self, connection: Connection) -> None:
        if connection.get_execution_options().get(READ_ONLY_OPTION):
            # A reader never takes the write lock (WAL lets it read beside the one writer), and
            # query_only makes a write in it fail instead of quietly queueing for the lock.
            connection.exec_driver_sql("PRAGMA query_only=ON")
            connection.exec_driver_sql("BEGIN")
            return
        connection.info[self.HOLDS] = self._lock.acquire(timeout=self._timeout)
        try:
            # Pooled connections are shared by readers and writers: every writer says what it is.
            connection.exec_driver_sql("PRAGMA query_only=OFF")
            # IMMEDIATE takes the write lock up front: two deferred transactions that both try
            # to write would otherwise fail with "database is locked" instead of waiting.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self._end(connection)  # no transaction began, so none will end
            raise

    def _end(self, connection: Connection) -> None:
        if connection.info.pop(self.HOLDS, False):
            self._lock.release()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    sessions = sessionmaker(engine, expire_on_commit=False)
    keep_history(sessions)  # before the stamps: their bump stays the transaction's last lock
    keep_matching_stamps(sessions)
    return sessions
