"""a matching version stamp per workspace, so kept matching indexes know when they are stale

Revision ID: 0011_w2e
Revises: 0011_h5
Create Date: 2026-12-03 14:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0011_w2e"
down_revision: str | Sequence[str] | None = "0011_w2a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "matching_stamps",
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_matching_stamps")),
    )


def downgrade() -> None:
    op.drop_table("matching_stamps")
