"""Alembic, driven from code: the bot migrates on start and `tourism migrate` does it on demand.

Replicas starting or upgrading together take turns: the migration runs under a lock (a
PostgreSQL advisory lock; a lock file beside a SQLite database), so the first one migrates and
the others wait, then find the schema at head and do nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from filelock import FileLock
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from storage.db import create_db_engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Any fixed number fitting PostgreSQL's bigint, the same in every replica: the lock's name.
ADVISORY_LOCK_KEY = 0x7E4A_7001_5A1D_0001


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser treats % as interpolation; URLs may carry %-escaped passwords.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    with migration_lock(database_url):
        command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    with migration_lock(database_url):
        command.downgrade(alembic_config(database_url), revision)


@cache
def _expected_heads() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def schema_is_current(engine: Engine) -> bool:
    """Whether the database is at the newest migration; raises if it cannot be reached."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    return frozenset(current) == _expected_heads()


@contextmanager
def migration_lock(database_url: str) -> Iterator[None]:
    """Held by one process at a time for a given database; the others wait for it."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        engine = create_db_engine(database_url)
        try:
            with engine.connect() as connection:
                # Session-level: held across Alembic's own transactions and released when this
                # connection closes, even if the process dies mid-migration.
                connection.execute(
                    text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
                )
                try:
                    yield
                finally:
                    connection.execute(
                        text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY}
                    )
        finally:
            engine.dispose()
    elif url.database and url.database != ":memory:":
        with FileLock(f"{url.database}.migrate-lock"):
            yield
    else:
        yield  # an in-memory database belongs to one process
