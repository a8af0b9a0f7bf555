"""Readers read beside the one writer and cannot write; writers still write after them."""

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker

from storage.db import WriterTurns, _sqlite_pragmas, create_db_engine, session_factory
from storage.models import Base
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


@pytest.fixture
def turns(tmp_path) -> Iterator[tuple[WriterTurns, sessionmaker]]:
    """A SQLite engine as create_db_engine makes it, with its writers' turns at hand."""
    engine = create_engine(f"sqlite:///{tmp_path / 'turns.db'}")
    event.listen(engine, "connect", _sqlite_pragmas)
    writer_turns = WriterTurns(timeout=5)
    writer_turns.attach(engine)
    Base.metadata.create_all(engine)
    yield writer_turns, session_factory(engine)
    engine.dispose()


def test_a_sqlite_writer_holds_the_turn_until_it_commits(turns):
    writer_turns, sessions = turns
    with SqlUnitOfWork(sessions) as writer:
        assert writer_turns.taken
        writer.workspaces.upsert("T1", name="Acme", bot_user_id="U0BOT", now=NOW)
        writer.commit()
        assert not writer_turns.taken
    with SqlReader(sessions) as reader:  # readers never wait for a writer's turn
        assert not writer_turns.taken
        assert reader.workspaces.get("T1") is not None


def test_a_sqlite_writer_that_fails_gives_the_turn_back(turns):
    writer_turns, sessions = turns
    with pytest.raises(RuntimeError), SqlUnitOfWork(sessions):
        raise RuntimeError("the step failed")
    assert not writer_turns.taken
    with SqlUnitOfWork(sessions) as writer:  # the next writer gets its turn at once
        writer.workspaces.upsert("T1", name="Acme", bot_user_id="U0BOT", now=NOW)
        writer.commit()
