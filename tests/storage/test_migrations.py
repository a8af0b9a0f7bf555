from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from storage import migrate
from storage.db import create_db_engine
from storage.models import Base


def table_names(url: str) -> set[str]:
    engine = create_db_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_migrations_go_down_and_up_again(database_url: str):
    expected = set(Base.metadata.tables)
    assert table_names(database_url) == expected
    migrate.downgrade(database_url, "base")
    assert table_names(database_url) == set()
    migrate.upgrade(database_url)
    assert table_names(database_url) == expected


def test_models_and_migrations_agree(database_url: str):
    engine = create_db_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_the_match_keys_of_existing_teams_are_filled_in(database_url: str):
    migrate.downgrade(database_url, "0010")
    engine = create_db_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO workspaces (id, name, installed_at) VALUES ('T0', '', :now)"),
                {"now": datetime(2026, 11, 23, tzinfo=UTC)},
            )
            connection.execute(
                text(
                    "INSERT INTO teams (workspace_id, name, away_cap, "
                    "rest_days_between_visitors, created_at) VALUES ('T0', :name, 1, 0, :now)"
                ),
                [
                    {"name": name, "now": datetime(2026, 11, 23, tzinfo=UTC)}
                    for name in ("Über  Data", "Se\u200barch")
                ],
            )
        migrate.upgrade(database_url)
        with engine.connect() as connection:
            keys = connection.execute(text("SELECT name_key FROM teams ORDER BY id")).scalars()
            assert list(keys) == ["über data", "search"]
    finally:
        engine.dispose()
