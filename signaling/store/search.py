"""Finding conversations by who the shopper is or what was written in them: the console's
search. Every word must appear in the shopper's name or email address, or in a message or note
of the conversation (case aside, matching.py); a whole conversation id finds that conversation.
Newest first. One query that runs the same on SQLite and PostgreSQL; it reads every message of
the conversations it may return, as the review search does (no text index)."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa

from ..protocol.common import Conversation
from .appender import state_from_row
from .matching import contains
from .schema import conversation_events, conversations, visitors
from .store import Store

WRITTEN = ("message_created", "note_created")


def _found_by(word: str) -> sa.ColumnElement[bool]:
    e = conversation_events.c
    written = sa.exists().where(e.conversation_id == conversations.c.id, e.type.in_(WRITTEN),
                                contains(e.data["text"].as_string(), word))
    return sa.or_(contains(visitors.c.name, word), contains(visitors.c.email, word), written)


async def find_conversations(store: Store, text: str, *, agent_id: str | None,
                             teams: Collection[str], limit: int) -> list[Conversation]:
    """`agent_id` None: everyone's (a supervisor). Otherwise the conversations that agent holds
    or held last, and their teams' messages left: each of them theirs to read whole."""
    words = text.split()
    if not words:
        return []
    matches = sa.or_(conversations.c.id == text.strip(), sa.and_(*map(_found_by, words)))
    where = [matches]
    if agent_id is not None:
        where.append(sa.or_(conversations.c.agent_id == agent_id, sa.and_(
            conversations.c.status == "offline", conversations.c.team.in_(list(teams)))))
    query = (sa.select(conversations)
             .select_from(conversations.outerjoin(
                 visitors, visitors.c.id == conversations.c.visitor_id))
             .where(*where)
             .order_by(conversations.c.created_at.desc(), conversations.c.id)
             .limit(limit))
    async with store.read() as conn:
        rows = (await conn.execute(query)).all()
    return [state_from_row(row) for row in rows]
