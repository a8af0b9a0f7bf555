"""many workspaces: per-workspace settings, Enterprise Grid, slack-sdk's OAuth store tables

Revision ID: 0011_w2a
Revises: 0011_h5
Create Date: 2026-12-03 14:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

# revision identifiers, used by Alembic.
revision: str = "0011_w2a"
down_revision: str | Sequence[str] | None = "0011_h5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAMING_CONVENTION = {"pk": "pk_%(table_name)s"}


def _store_tables() -> list[sa.Table]:
    """The stores' own table definitions (they query them by these names)."""
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    return [
        SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations"),
        SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots"),
        SQLAlchemyOAuthStateStore.build_oauth_states_table(metadata, "slack_oauth_states"),
    ]


def upgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("enterprise_id", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column(
                "is_enterprise_install", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.add_column(sa.Column("organiser_ids", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("announcement_channel", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))
    for table in _store_tables():
        table.create(op.get_bind())


def downgrade() -> None:
    for table in reversed(_store_tables()):
        table.drop(op.get_bind())
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("timezone")
        batch_op.drop_column("announcement_channel")
        batch_op.drop_column("organiser_ids")
        batch_op.drop_column("is_enterprise_install")
        batch_op.drop_column("enterprise_id")
