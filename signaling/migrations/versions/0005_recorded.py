"""whether the current sharing and call are recorded

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


_conversations = sa.table("conversations", sa.column("id", sa.String),
                          sa.column("cobrowse", sa.String), sa.column("call", sa.String),
                          sa.column("cobrowse_recorded", sa.Boolean),
                          sa.column("call_recorded", sa.Boolean))
_events = sa.table("conversation_events", sa.column("conversation_id", sa.String),
                   sa.column("seq", sa.Integer), sa.column("type", sa.String),
                   sa.column("data", sa.JSON))


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("cobrowse_recorded", sa.Boolean, nullable=True))
        batch.add_column(sa.Column("call_recorded", sa.Boolean, nullable=True))
    # The state is the fold of the log: a sharing or call under way says what its start said
    # (a sharing the shopper did not agree to record must stay unrecorded after the upgrade).
    bind = op.get_bind()
    for column, state, on, started in (("cobrowse_recorded", "cobrowse", "on", "cobrowse_started"),
                                       ("call_recorded", "call", "active", "call_accepted")):
        ids = bind.execute(sa.select(_conversations.c.id)
                           .where(_conversations.c[state] == on)).scalars().all()
        for conversation_id in ids:
            data = bind.execute(
                sa.select(_events.c.data)
                .where(_events.c.conversation_id == conversation_id, _events.c.type == started)
                .order_by(_events.c.seq.desc()).limit(1)).scalar()
            recorded = data.get("recorded") if isinstance(data, dict) else None
            if isinstance(recorded, bool):
                bind.execute(_conversations.update()
                             .where(_conversations.c.id == conversation_id)
                             .values({column: recorded}))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("call_recorded")
        batch.drop_column("cobrowse_recorded")
