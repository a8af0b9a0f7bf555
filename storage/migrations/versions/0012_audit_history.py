"""audit_log: an index to read a visit's history by subject

Revision ID: 0012_audit_history
Revises: 0011_w2b
Create Date: 2026-12-03 16:40:00

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0012_audit_history"
down_revision: str | Sequence[str] | None = "0011_w2b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index(
        "ix_audit_log_workspace_subject", "audit_log", ["workspace_id", "subject"], unique=False
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_audit_log_workspace_subject", table_name="audit_log")
