"""calls on conversations

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("call", sa.String(16), nullable=False, server_default="off"))
        batch.add_column(sa.Column("call_id", sa.String(40), nullable=True))
        batch.add_column(sa.Column("call_media", sa.String(16), nullable=True))
        batch.add_column(sa.Column("call_by", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        for column in ("call_by", "call_media", "call_id", "call"):
            batch.drop_column(column)
