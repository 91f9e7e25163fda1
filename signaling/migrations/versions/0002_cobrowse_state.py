"""co-browse and control consent on conversations

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("cobrowse", sa.String(16), nullable=False,
                                   server_default="off"))
        batch.add_column(sa.Column("cobrowse_agent_id", sa.String(40), nullable=True))
        batch.add_column(sa.Column("control", sa.String(16), nullable=False,
                                   server_default="off"))
        batch.add_column(sa.Column("control_agent_id", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        for column in ("control_agent_id", "control", "cobrowse_agent_id", "cobrowse"):
            batch.drop_column(column)
