"""when the organisers were told that a visitor was often pulled back twice

Revision ID: 0012_told_checkin_pulls
Revises: 0011_w2b
Create Date: 2026-12-03 16:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0012_told_checkin_pulls"
down_revision: str | Sequence[str] | None = "0012_audit_history"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("checkin_answers") as batch_op:
        batch_op.add_column(
            sa.Column("pulls_alerted_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("checkin_answers") as batch_op:
        batch_op.drop_column("pulls_alerted_at")
