"""outbox: remember a try that may have posted

Revision ID: 0011_h5
Revises: 0010
Create Date: 2026-12-03 13:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0011_h5"
down_revision: str | Sequence[str] | None = "0011_h3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("maybe_sent_at", sa.DateTime(timezone=True), nullable=True))
    # Until now a row tried before was looked for in Slack before being sent again: rows still
    # waiting that were tried keep that promise.
    op.execute(
        "UPDATE outbox SET maybe_sent_at = CURRENT_TIMESTAMP"
        " WHERE status IN ('pending', 'sending') AND attempts > 0"
    )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("maybe_sent_at")
