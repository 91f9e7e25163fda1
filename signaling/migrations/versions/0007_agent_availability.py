"""agents' time signed in, online or away, for occupancy in reports

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agent_availability",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("agent_id", sa.String(40), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("started_at", sa.BigInteger, nullable=False),
        sa.Column("ended_at", sa.BigInteger, nullable=True),
        sa.Column("checked_at", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_availability")),
    )
    op.create_index(op.f("ix_agent_availability_agent_id"), "agent_availability", ["agent_id"])
    op.create_index(op.f("ix_agent_availability_started_at"), "agent_availability", ["started_at"])


def downgrade() -> None:
    op.drop_index("ix_agent_availability_started_at", "agent_availability")
    op.drop_index("ix_agent_availability_agent_id", "agent_availability")
    op.drop_table("agent_availability")
