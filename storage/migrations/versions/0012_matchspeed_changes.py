"""matching_changes: what each matching version changed, so kept indexes update incrementally

Revision ID: 0012_matchspeed_changes
Revises: 0012_audit_history
Create Date: 2026-12-03 17:05:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0012_matchspeed_changes"
down_revision: str | Sequence[str] | None = "0012_forget_deactivated_people"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "matching_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matching_changes")),
    )
    op.create_index(
        "ix_matching_changes_workspace_version",
        "matching_changes",
        ["workspace_id", "version"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_matching_changes_workspace_version", table_name="matching_changes")
    op.drop_table("matching_changes")
