from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

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
