"""Indexes the App Home reads by: what someone leads, and the organiser's counts by status

Revision ID: 0013_home_indexes
Revises: 0012_matchspeed_changes
Create Date: 2026-12-03 19:40:00

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0013_home_indexes"
down_revision: str | Sequence[str] | None = "0012_matchspeed_changes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_team_leads_workspace_user", "team_leads", ["workspace_id", "user_id"]),
    ("ix_applications_workspace_status", "applications", ["workspace_id", "status"]),
    ("ix_tours_workspace_status", "tours", ["workspace_id", "status"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
