"""Shared fixtures: real databases, the fake Slack Web API and the real app over real HTTP.

Database tests run on SQLite always and, when TEST_DATABASE_URL names a PostgreSQL database, on
PostgreSQL as well (each test that asks for `database_url` runs once per database).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from app import create_app
from bot.core.clock import Clock, FixedClock
from infra.deps import Deps
from infra.fake_slack import FakeSlack
from infra.fake_slack.requests import SlackRequests
from infra.http import HttpServer, slack_wsgi_app
from infra.settings import Settings, load_database_url, load_settings
from storage import migrate
from storage.db import create_db_engine, session_factory
from storage.models import Base
from storage.unit_of_work import SqlUnitOfWork
from tests.support.fixtures import fake_slack  # noqa: F401 - a fixture

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-1234-5678-testtoken"
ORGANISER = "U0ORGANISER"
NOW = datetime.fromisoformat("2026-11-23T09:00:00+00:00")  # a Monday

_migrated_postgres: set[str] = set()


def _postgres_url() -> str | None:
    raw = os.environ.get("TEST_DATABASE_URL")
    return load_database_url({"DATABASE_URL": raw}) if raw else None


def _empty_all_tables(url: str) -> None:
    engine = create_db_engine(url)
    names = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "tourism.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, migrated_sqlite_file: Path) -> str:
    """A migrated, empty database: a fresh SQLite file, or the PostgreSQL test database emptied."""
    if request.param == "sqlite":
        path = tmp_path / "tourism.db"
        shutil.copyfile(migrated_sqlite_file, path)
        return f"sqlite:///{path}"
    url = _postgres_url()
    if url is None:
        pytest.skip("PostgreSQL: set TEST_DATABASE_URL to run this test on it too")
    if url not in _migrated_postgres:
        migrate.upgrade(url)
        _migrated_postgres.add(url)
    _empty_all_tables(url)
    return url


def settings_env(**overrides: str) -> dict[str, str]:
    env = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "TOURISM_ADMINS": ORGANISER,
        "TOURISM_TIMEZONE": "Europe/Warsaw",
    }
    env.update(overrides)
    return env


def make_settings(env: Mapping[str, str]) -> Settings:
    return load_settings(env)


@dataclass
class RunningBot:
    """The real app served over HTTP, talking to the fake Slack, on a real database."""

    url: str
    slack: FakeSlack
    deps: Deps
    clock: Clock
    requests: SlackRequests


@pytest.fixture
def bot(database_url: str, fake_slack: FakeSlack) -> Iterator[RunningBot]:  # noqa: F811
    settings = make_settings(
        settings_env(DATABASE_URL=database_url, SLACK_API_URL=fake_slack.base_url)
    )
    with serving(settings, fake_slack) as running:
        yield running


@contextmanager
def serving(settings: Settings, fake_slack: FakeSlack) -> Iterator[RunningBot]:  # noqa: F811
    """The app made of `settings`, served over HTTP until the block ends."""
    clock = FixedClock(NOW)
    tourism = create_app(settings, clock)
    server = HttpServer(slack_wsgi_app(tourism.bolt, SIGNING_SECRET), "127.0.0.1", 0)
    server.start_in_background()
    try:
        yield RunningBot(
            url=server.url,
            slack=fake_slack,
            deps=tourism.deps,
            clock=clock,
            requests=SlackRequests(
                server.url, SIGNING_SECRET, team_id=fake_slack.team_id, fake_slack=fake_slack
            ),
        )
    finally:
        server.stop()
        tourism.close()


@pytest.fixture
def uow_factory(database_url: str) -> Iterator[Callable[[], SqlUnitOfWork]]:
    engine = create_db_engine(database_url)
    sessions = session_factory(engine)
    yield lambda: SqlUnitOfWork(sessions)
    engine.dispose()
