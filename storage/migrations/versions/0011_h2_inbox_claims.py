"""inbox events are claimed, then marked processed once their Slack call succeeded

Revision ID: 0011_h2
Revises: 0010
Create Date: 2026-12-03 13:50:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0011_h2"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbox_events") as batch:
        batch.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch.alter_column("processed_at", existing_type=sa.DateTime(timezone=True), nullable=True)
    op.execute("UPDATE inbox_events SET claimed_at = processed_at")
    with op.batch_alter_table("inbox_events") as batch:
        batch.alter_column("claimed_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    op.execute("DELETE FROM inbox_events WHERE processed_at IS NULL")
    with op.batch_alter_table("inbox_events") as batch:
        batch.alter_column("processed_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.drop_column("claimed_at")
