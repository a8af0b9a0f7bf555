"""people.deactivated_at: when Slack deactivated the person, to forget them after a grace period

Revision ID: 0012_forget_deactivated_people
Revises: 0011_w2b
Create Date: 2026-12-03 17:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0012_forget_deactivated_people"
down_revision: str | Sequence[str] | None = "0012_told_checkin_pulls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("people") as batch_op:
        batch_op.add_column(sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("people") as batch_op:
        batch_op.drop_column("deactivated_at")
