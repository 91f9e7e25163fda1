"""canned shortcuts unique per owner by constraint; conversations indexed by creation time

Until now a shortcut was unique per agent (or per team) by a check in the same transaction as
the save, which two saves at the same instant on PostgreSQL could both pass. Twins saved before
that check (or by such a race) are renamed `/name-2`, `/name-3`, … keeping the oldest as it was,
so the unique indexes can be built.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SHORTCUT_MAX = 32


def _rename_twins() -> None:
    conn = op.get_bind()
    canned = sa.table("canned_responses", sa.column("id"), sa.column("agent_id"),
                      sa.column("team"), sa.column("shortcut"), sa.column("created_at"))
    rows = conn.execute(sa.select(canned.c.id, canned.c.agent_id, canned.c.team,
                                  canned.c.shortcut)
                        .order_by(canned.c.created_at, canned.c.id)).all()
    taken: dict[tuple[str | None, str | None], set[str]] = {}
    for row in rows:
        taken.setdefault((row.agent_id, row.team), set()).add(row.shortcut)
    seen: set[tuple[str | None, str | None, str]] = set()
    for row in rows:
        owner = (row.agent_id, row.team)
        if (*owner, row.shortcut) not in seen:
            seen.add((*owner, row.shortcut))
            continue
        n = 2
        while True:
            suffix = f"-{n}"
            name = row.shortcut[:SHORTCUT_MAX - len(suffix)] + suffix
            if name not in taken[owner]:
                break
            n += 1
        taken[owner].add(name)
        seen.add((*owner, name))
        conn.execute(canned.update().where(canned.c.id == row.id).values(shortcut=name))


def upgrade() -> None:
    _rename_twins()
    op.create_index("uq_canned_agent_shortcut", "canned_responses", ["agent_id", "shortcut"],
                    unique=True)
    op.create_index("uq_canned_team_shortcut", "canned_responses", ["team", "shortcut"],
                    unique=True)
    op.create_index(op.f("ix_conversations_created_at"), "conversations", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_conversations_created_at", "conversations")
    op.drop_index("uq_canned_team_shortcut", "canned_responses")
    op.drop_index("uq_canned_agent_shortcut", "canned_responses")
