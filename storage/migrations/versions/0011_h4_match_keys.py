"""teams.name_key and openings.title_key: names and titles compared case-folded, not ASCII-only

Revision ID: 0011_h4
Revises: 0010
Create Date: 2026-12-03 13:45:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.core.user_text import match_key

# revision identifiers, used by Alembic.
revision: str = "0011_h4"
down_revision: str | Sequence[str] | None = "0011_h2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column holding the text, column holding its key)
KEYED = (("teams", "name", "name_key"), ("openings", "title", "title_key"))


def upgrade() -> None:
    for table, _, key in KEYED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(key, sa.Text(), nullable=False, server_default=""))
    connection = op.get_bind()
    for table, source, key in KEYED:
        rows = connection.execute(sa.text(f"SELECT id, {source} FROM {table}")).all()
        keys = [{"id": row_id, "key": match_key(text)} for row_id, text in rows]
        if keys:
            connection.execute(sa.text(f"UPDATE {table} SET {key} = :key WHERE id = :id"), keys)
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.create_index("ix_teams_workspace_name_key", ["workspace_id", "name_key"])


def downgrade() -> None:
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_index("ix_teams_workspace_name_key")
    for table, _, key in KEYED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(key)
