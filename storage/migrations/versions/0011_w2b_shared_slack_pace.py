"""slack_pace: the pace of Slack calls, shared by every replica

Revision ID: 0011_w2b
Revises: 0010
Create Date: 2026-12-03 14:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0011_w2b"
down_revision: str | Sequence[str] | None = "0011_w2e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "slack_pace",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("bucket", sa.String(length=120), nullable=False),
        sa.Column("next_slot", sa.Float(), nullable=False),
        sa.Column("blocked_until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", "bucket", name=op.f("pk_slack_pace")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("slack_pace")
