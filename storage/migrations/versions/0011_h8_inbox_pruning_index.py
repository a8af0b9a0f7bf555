"""inbox events indexed by when they were claimed, for pruning

Revision ID: 0011_h8
Revises: 0010
Create Date: 2026-12-03 13:50:00

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0011_h8"
down_revision: str | Sequence[str] | None = "0011_h4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbox_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inbox_events_claimed_at"), ["claimed_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("inbox_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_events_claimed_at"))
