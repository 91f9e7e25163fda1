"""Conversations and their append-only logs. `append` (group-committed by appender.py)
allocates the next `seq`, folds the event into the stored state (conversation_state.apply) and
inserts the log row in one transaction; a retried request with the same client id returns the
event stored the first time. Reads of single conversations come from memory on a single node."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from ..protocol.common import Conversation, ConversationSummary
from ..protocol.events import AGENT_ONLY, LogEvent
from .appender import Appended, Appender, NewEvent, event_from_row, state_from_row
from .schema import conversation_events, conversations, visitors

__all__ = ["Appended", "ConversationRepo", "NewEvent"]

if TYPE_CHECKING:
    from .store import Store


# Conversations being served fit many times over; ~4 KB each, so at most ~20 MB.
STATE_CACHE_SIZE = 5_000


class ConversationRepo:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._store = store  # (the appender reaches it as .store)
        self._appender = Appender(self)
        # Single node (SQLite): the states, kept as written, so that reads and appends need no
        # query. Several nodes share PostgreSQL: there every append reads (and locks) the row.
        self._states: OrderedDict[str, Conversation] | None = (
            None if store.locks_rows else OrderedDict())

    async def append(self, conversation_id: str, new: Sequence[NewEvent]) -> Appended:
        return await self._appender.append(conversation_id, new)

    def remember(self, state: Conversation) -> None:
        if self._states is not None:
            self._states[state.id] = state
            self._states.move_to_end(state.id)
            while len(self._states) > STATE_CACHE_SIZE:
                self._states.popitem(last=False)

    def forget(self, conversation_ids: Sequence[str]) -> None:
        if self._states is not None:
            for conversation_id in conversation_ids:
                self._states.pop(conversation_id, None)

    async def states_for_update(self, conn: AsyncConnection | None,
                                ids: set[str]) -> dict[str, Conversation]:
        """The current states of `ids`; read with `conn` (locking the rows on PostgreSQL) or,
        without one, on a connection of its own."""
        found: dict[str, Conversation] = {}
        missing = set(ids)
        if self._states is not None:
            for conversation_id in ids:
                cached = self._states.get(conversation_id)
                if cached is not None:
                    found[conversation_id] = cached
                    missing.discard(conversation_id)
        if missing:
            query = conversations.select().where(conversations.c.id.in_(missing))
            if self._store.locks_rows:
                query = query.with_for_update()
            if conn is None:
                async with self._store.read() as own:
                    rows = (await own.execute(query)).all()
            else:
                rows = (await conn.execute(query)).all()
            for row in rows:
                found[row.id] = state_from_row(row)
        return found

    async def close(self) -> None:
        await self._appender.close()

    async def get(self, conversation_id: str) -> Conversation | None:
        if self._states is not None and conversation_id in self._states:
            return self._states[conversation_id]
        async with self._store.read() as conn:
            row = (await conn.execute(
                conversations.select().where(conversations.c.id == conversation_id))).first()
        state = state_from_row(row) if row else None
        if state is not None:
            self.remember(state)
        return state

    async def events_after(self, conversation_id: str, after_seq: int, *, agent_view: bool,
                           limit: int = 10_000) -> list[LogEvent]:
        query = (conversation_events.select()
                 .where(conversation_events.c.conversation_id == conversation_id,
                        conversation_events.c.seq > after_seq)
                 .order_by(conversation_events.c.seq).limit(limit))
        if not agent_view:
            query = query.where(conversation_events.c.type.not_in(AGENT_ONLY))
        async with self._store.read() as conn:
            rows = (await conn.execute(query)).all()
        return [event_from_row(r) for r in rows]

    async def events_of_types(self, conversation_id: str,
                              event_types: Sequence[str]) -> list[LogEvent]:
        """The conversation's events of these types, oldest first."""
        query = (conversation_events.select()
                 .where(conversation_events.c.conversation_id == conversation_id,
                        conversation_events.c.type.in_(list(event_types)))
                 .order_by(conversation_events.c.seq))
        async with self._store.read() as conn:
            rows = (await conn.execute(query)).all()
        return [event_from_row(r) for r in rows]

    async def events_before(self, conversation_id: str, before_seq: int | None, *,
                            agent_view: bool, limit: int) -> tuple[list[LogEvent], bool]:
        query = (conversation_events.select()
                 .where(conversation_events.c.conversation_id == conversation_id)
                 .order_by(conversation_events.c.seq.desc()).limit(limit + 1))
        if before_seq is not None:
            query = query.where(conversation_events.c.seq < before_seq)
        if not agent_view:
            query = query.where(conversation_events.c.type.not_in(AGENT_ONLY))
        async with self._store.read() as conn:
            rows = (await conn.execute(query)).all()
        has_more = len(rows) > limit
        return [event_from_row(r) for r in reversed(rows[:limit])], has_more

    async def find(self, *, status: Sequence[str] | None = None, team: str | None = None,
                   agent_id: str | None = None, visitor_id: str | None = None,
                   site_id: str | None = None, limit: int = 500,
                   newest_first: bool = False) -> list[Conversation]:
        query = conversations.select()
        if status is not None:
            query = query.where(conversations.c.status.in_(status))
        if team is not None:
            query = query.where(conversations.c.team == team)
        if agent_id is not None:
            query = query.where(conversations.c.agent_id == agent_id)
        if visitor_id is not None:
            query = query.where(conversations.c.visitor_id == visitor_id)
        if site_id is not None:
            query = query.where(conversations.c.site_id == site_id)
        order = conversations.c.created_at.desc() if newest_first else conversations.c.created_at
        query = query.order_by(order, conversations.c.id).limit(limit)
        async with self._store.read() as conn:
            rows = (await conn.execute(query)).all()
        return [state_from_row(r) for r in rows]

    async def offered_to(self, agent_id: str) -> list[Conversation]:
        async with self._store.read() as conn:
            rows = (await conn.execute(conversations.select().where(
                conversations.c.status == "offered",
                conversations.c.offered_agent_id == agent_id))).all()
        return [state_from_row(r) for r in rows]

    async def summaries(self, states: Sequence[Conversation]) -> list[ConversationSummary]:
        """Queue and inbox lines: the state plus the visitor's name, the last message and
        whether an agent ever replied."""
        if not states:
            return []
        ids = [s.id for s in states]
        async with self._store.read() as conn:
            names = dict((await conn.execute(
                sa.select(visitors.c.id, visitors.c.name)
                .where(visitors.c.id.in_({s.visitor_id for s in states}))
            )).all())
            last_seq = (sa.select(conversation_events.c.conversation_id,
                                  sa.func.max(conversation_events.c.seq).label("seq"))
                        .where(conversation_events.c.conversation_id.in_(ids),
                               conversation_events.c.type == "message_created",
                               # What the shopper last said: a queue card or a message left
                               # shows the shopper's words, not an agent's reply.
                               conversation_events.c.actor["kind"].as_string() == "visitor")
                        .group_by(conversation_events.c.conversation_id).subquery())
            texts = {
                cid: data.get("text") if isinstance(data, dict) else None
                for cid, data in (await conn.execute(
                    sa.select(conversation_events.c.conversation_id, conversation_events.c.data)
                    .join(last_seq, sa.and_(
                        conversation_events.c.conversation_id == last_seq.c.conversation_id,
                        conversation_events.c.seq == last_seq.c.seq))
                )).all()
            }
            replied = set((await conn.execute(
                sa.select(conversation_events.c.conversation_id).distinct()
                .where(conversation_events.c.conversation_id.in_(ids),
                       conversation_events.c.type == "message_created",
                       conversation_events.c.actor["kind"].as_string() == "agent"))).scalars())
        return [
            ConversationSummary(
                id=s.id, site_id=s.site_id, status=s.status, topic=s.topic, team=s.team,
                visitor_id=s.visitor_id,
                visitor_name=names.get(s.visitor_id) or s.fields.name, agent_id=s.agent_id,
                created_at=s.created_at, queued_at=s.queued_at, ended_at=s.ended_at,
                last_message=texts.get(s.id), last_seq=s.last_seq, rating=s.rating,
                agent_replied=s.id in replied,
            )
            for s in states
        ]

    async def recent_handle_times(self, team: str, limit: int) -> list[float]:
        """Seconds from assignment to end of the team's most recent live conversations, timed
        as reports time them: to when the shopper left, when they closed the page (not to the
        end of the grace period after). Messages left are not live chats (one answered in the
        morning and closed in the afternoon would tell every shopper in line to wait hours),
        and a chat taken after the shopper had gone took nobody's time."""
        c = conversations.c
        ended = conversation_events.alias("ended")
        left_at = ended.c.data["left_at"].as_integer()
        async with self._store.read() as conn:
            rows = (await conn.execute(
                sa.select(c.assigned_at, c.ended_at, left_at)
                .select_from(conversations.outerjoin(ended, sa.and_(
                    ended.c.conversation_id == c.id, ended.c.type == "conversation_ended")))
                .where(c.team == team, c.status == "ended", c.offline_reason.is_(None),
                       c.assigned_at.is_not(None), c.ended_at.is_not(None))
                .order_by(c.ended_at.desc()).limit(limit)
            )).all()
        spans = [(left if left is not None else end) - assigned
                 for assigned, end, left in rows]
        return [span / 1000 for span in spans if span > 0]

    async def loads(self) -> dict[str, int]:
        """Conversations held (active) or offered, per agent: routing's measure of load."""
        loads: dict[str, int] = {}
        async with self._store.read() as conn:
            for column, status in ((conversations.c.agent_id, "active"),
                                   (conversations.c.offered_agent_id, "offered")):
                rows = (await conn.execute(
                    sa.select(column, sa.func.count()).where(conversations.c.status == status,
                                                             column.is_not(None))
                    .group_by(column))).all()
                for agent_id, count in rows:
                    loads[agent_id] = loads.get(agent_id, 0) + count
        return loads

    async def find_started(self, visitor_id: str, client_id: str) -> Conversation | None:
        """The conversation a visitor started with this client id (a retried start)."""
        async with self._store.read() as conn:
            row = (await conn.execute(
                conversations.select().join(
                    conversation_events,
                    conversation_events.c.conversation_id == conversations.c.id)
                .where(conversations.c.visitor_id == visitor_id,
                       conversation_events.c.type == "conversation_started",
                       conversation_events.c.client_id == client_id))).first()
        return state_from_row(row) if row else None

    async def unread_by_visitor(self, statuses: Sequence[str], since_ms: int,
                                limit: int = 5_000) -> list[Conversation]:
        """Conversations in these states, not ended before `since_ms`, with events after what
        the visitor has read (answers by email still due at start)."""
        c = conversations.c
        query = (conversations.select()
                 .where(c.status.in_(list(statuses)), c.last_seq > c.visitor_read_seq,
                        sa.or_(c.ended_at.is_(None), c.ended_at >= since_ms))
                 .order_by(c.created_at).limit(limit))
        async with self._store.read() as conn:
            rows = (await conn.execute(query)).all()
        return [state_from_row(r) for r in rows]

    async def ended_before(self, site_id: str, before_ms: int) -> list[str]:
        async with self._store.read() as conn:
            rows = (await conn.execute(
                sa.select(conversations.c.id).where(conversations.c.site_id == site_id,
                                                    conversations.c.status == "ended",
                                                    conversations.c.ended_at < before_ms)
            )).all()
        return [r[0] for r in rows]

    async def delete(self, conversation_ids: Sequence[str]) -> int:
        """Rows really gone: the log, annotations, scores and jobs go with them (cascades)."""
        if not conversation_ids:
            return 0
        self.forget(conversation_ids)
        async with self._store.write() as conn:
            for table in (conversation_events,):
                await conn.execute(table.delete().where(
                    table.c.conversation_id.in_(list(conversation_ids))))
            result = await conn.execute(conversations.delete().where(
                conversations.c.id.in_(list(conversation_ids))))
        return int(result.rowcount)
