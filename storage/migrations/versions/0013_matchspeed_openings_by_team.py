"""openings by team: a lead's open openings found through their teams, not among all open ones

Revision ID: 0013_matchspeed_openings_by_team
Revises: 0012_matchspeed_changes
Create Date: 2026-12-03 19:55:00

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0013_matchspeed_openings_by_team"
down_revision: str | Sequence[str] | None = "0013_home_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Without it SQLite (no statistics) reads every open opening of the workspace to keep a
    # lead's few: `/tourism candidates` spent ~2 ms there at 5,000 open openings.
    op.create_index(
        "ix_openings_workspace_team_status",
        "openings",
        ["workspace_id", "host_team_id", "status"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_openings_workspace_team_status", table_name="openings")
