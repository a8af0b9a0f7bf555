import os
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext

from infra.settings import DEFAULT_DATABASE_URL
from storage.db import create_db_engine
from storage.models import Base, UtcDateTime

config = context.config
target_metadata = Base.metadata


def _database_url() -> str:
    # `tourism migrate` passes the URL in; the plain `alembic` CLI reads the environment.
    return config.get_main_option("sqlalchemy.url") or os.environ.get(
        "DATABASE_URL", DEFAULT_DATABASE_URL
    )


def _render_item(kind: str, item: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    if kind == "type" and isinstance(item, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline() -> None:
    context.configure(
        url=_database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    # Without foreign keys on SQLite: a batch migration copies a table and drops the old one,
    # which would otherwise cascade-delete the rows that refer to it (every team, once).
    engine = create_db_engine(_database_url(), foreign_keys=False)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=True,  # SQLite alters tables by copying them
                render_item=_render_item,
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
