"""Readers read beside the one writer and cannot write; writers still write after them."""

from collections.abc import Iterator

import pytest
from sqlalchemy.exc import DBAPIError

from storage.db import create_db_engine, session_factory
from storage.unit_of_work import SqlReader, SqlUnitOfWork
from tests.conftest import NOW


@pytest.fixture
def sessions(database_url: str) -> Iterator:
    engine = create_db_engine(database_url)
    yield session_factory(engine)
    engine.dispose()


def test_a_reader_reads_while_a_writer_holds_the_write_lock(sessions):
    with SqlUnitOfWork(sessions) as writer:
        writer.workspaces.upsert("T1", name="Acme", bot_user_id="U0BOT", now=NOW)
        # SQLite: BEGIN IMMEDIATE above holds the lock; a reader that asked for it would wait
        # for busy_timeout (30 s) and then fail.
        with SqlReader(sessions) as reader:
            assert reader.workspaces.get("T1") is None  # not committed yet
        writer.commit()
    with SqlReader(sessions) as reader:
        assert reader.workspaces.get("T1").name == "Acme"


def test_a_reader_cannot_write(sessions):
    with SqlReader(sessions) as reader, pytest.raises(DBAPIError):
        reader.workspaces.upsert("T1", name="Acme", bot_user_id="U0BOT", now=NOW)
    assert not hasattr(SqlReader, "commit")


def test_a_writer_after_a_reader_on_the_same_connection_writes(sessions):
    for _ in range(3):  # the pool hands the reader's connection back to the writer
        with SqlReader(sessions) as reader:
            reader.workspaces.get("T1")
        with SqlUnitOfWork(sessions) as writer:
            writer.workspaces.upsert("T1", name="Acme", bot_user_id="U0BOT", now=NOW)
            writer.commit()
    with SqlReader(sessions) as reader:
        assert reader.workspaces.get("T1") is not None
