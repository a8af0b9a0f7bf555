"""proposals and invitations are sent once

Revision ID: 0011_h3
Revises: 0010
Create Date: 2026-12-03 13:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_h3"
down_revision: str | Sequence[str] | None = "0011_h8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("status = 'sent'")


def upgrade() -> None:
    # Rounds sent twice before this left duplicates: keep the oldest live proposal of each pair.
    op.execute(
        "UPDATE proposals SET status = 'superseded' WHERE status = 'sent' AND id NOT IN "
        "(SELECT MIN(id) FROM proposals WHERE status = 'sent' GROUP BY person_id, opening_id)"
    )
    op.create_index(
        "uq_proposals_live",
        "proposals",
        ["person_id", "opening_id"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opening_id", sa.Integer(), nullable=False),
        sa.Column("visitor_user_id", sa.String(length=32), nullable=False),
        sa.Column("invited_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["opening_id"],
            ["openings.id"],
            name=op.f("fk_invitations_opening_id_openings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_invitations_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint(
            "opening_id",
            "visitor_user_id",
            name=op.f("uq_invitations_opening_id_visitor_user_id"),
        ),
    )
    op.create_index(
        op.f("ix_invitations_workspace_id"), "invitations", ["workspace_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_invitations_workspace_id"), table_name="invitations")
    op.drop_table("invitations")
    op.drop_index("uq_proposals_live", table_name="proposals")
