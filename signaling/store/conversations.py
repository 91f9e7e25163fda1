"""Conversations and their append-only logs. `append` allocates the next `seq`, folds the event
into the stored state (conversation_state.apply) and inserts the log row in one transaction;
a retried request with the same client id returns the event stored the first time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from ..conversation_state import apply
from ..ids import now_ms
from ..protocol.common import Actor, Conversation, ConversationSummary
from ..protocol.events import AGENT_ONLY, EventBase, LogEvent, log_event_adapter
from .schema import conversation_events, conversations, visitors

if TYPE_CHECKING:
    from .store import Store


@dataclass(frozen=True)
class NewEvent:
    type: str
    data: dict[str, Any]
    actor: Actor
    client_id: str | None = None


@dataclass(frozen=True)
class Appended:
    # One per NewEvent: the stored event, or the one stored the first time for a retry.
    events: list[EventBase]
    # Only those appended now.
    new_events: list[EventBase]
    before: Conversation | None
    state: Conversation

    @property
    def created(self) -> bool:
        return bool(self.new_events)


_STATE_COLUMNS = [c.name for c in conversations.columns]


def _to_row(state: Conversation) -> dict[str, Any]:
    row = state.model_dump(mode="json")
    return {k: row[k] for k in _STATE_COLUMNS}


def _from_row(row: sa.Row[Any]) -> Conversation:
    return Conversation.model_validate(dict(row._mapping))


def _event_from_row(row: sa.Row[Any]) -> LogEvent:
    return log_event_adapter.validate_python(
        {"conversation_id": row.conversation_id, "seq": row.seq, "ts": row.ts,
         "type": row.type, "actor": row.actor, "data": row.data}
    )


class ConversationRepo:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def append(self, conversation_id: str, new: Sequence[NewEvent]) -> Appended:
        async with self._store.write() as conn:
            return await self._append(conn, conversation_id, new)

    async def _append(self, conn: AsyncConnection, conversation_id: str,
                      new: Sequence[NewEvent]) -> Appended:
        query = conversations.select().where(conversations.c.id == conversation_id)
        if self._store.locks_rows:
            query = query.with_for_update()
        row = (await conn.execute(query)).first()
        state = _from_row(row) if row else None
        before = state
        events: list[EventBase] = []
        new_events: list[EventBase] = []
        ts = now_ms()
        for item in new:
            if item.client_id is not None:
                existing = (await conn.execute(
                    conversation_events.select().where(
                        conversation_events.c.conversation_id == conversation_id,
                        conversation_events.c.type == item.type,
                        conversation_events.c.client_id == item.client_id,
                    )
                )).first()
                if existing is not None:
                    events.append(_event_from_row(existing))
                    continue
            seq = (state.last_seq if state else 0) + 1
            event = log_event_adapter.validate_python(
                {"conversation_id": conversation_id, "seq": seq, "ts": ts, "type": item.type,
                 "actor": item.actor.model_dump(), "data": item.data}
            )
            state = apply(state, event)
            if row is None and not new_events:
                # The log's rows point at the conversation: it must exist first.
                await conn.execute(conversations.insert().values(**_to_row(state)))
            await conn.execute(conversation_events.insert().values(
                conversation_id=conversation_id, seq=seq, ts=ts, type=item.type,
                actor=event.actor.model_dump(mode="json"),
                data=event.data.model_dump(mode="json"),
                client_id=item.client_id,
            ))
            events.append(event)
            new_events.append(event)
        if state is None:
            raise ValueError("nothing to append to a conversation that does not exist")
        if new_events:
            await conn.execute(conversations.update()
                               .where(conversations.c.id == conversation_id)
                               .values(**_to_row(state)))
        return Appended(events, new_events, before, state)

    async def get(self, conversation_id: str) -> Conversation | None:
        async with self._store.read() as conn:
            row = (await conn.execute(
                conversations.select().where(conversations.c.id == conversation_id))).first()
        return _from_row(row) if row else None

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
        return [_event_from_row(r) for r in rows]

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
        return [_event_from_row(r) for r in reversed(rows[:limit])], has_more

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
        return [_from_row(r) for r in rows]

    async def offered_to(self, agent_id: str) -> list[Conversation]:
        async with self._store.read() as conn:
            rows = (await conn.execute(conversations.select().where(
                conversations.c.status == "offered",
                conversations.c.offered_agent_id == agent_id))).all()
        return [_from_row(r) for r in rows]

    async def summaries(self, states: Sequence[Conversation]) -> list[ConversationSummary]:
        """Queue and inbox lines: the state plus the visitor's name and the last message."""
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
                               conversation_events.c.type == "message_created")
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
        return [
            ConversationSummary(
                id=s.id, status=s.status, topic=s.topic, team=s.team, visitor_id=s.visitor_id,
                visitor_name=names.get(s.visitor_id) or s.fields.name, agent_id=s.agent_id,
                created_at=s.created_at, queued_at=s.queued_at, ended_at=s.ended_at,
                last_message=texts.get(s.id), last_seq=s.last_seq, rating=s.rating,
            )
            for s in states
        ]

    async def recent_handle_times(self, team: str, limit: int) -> list[float]:
        """Seconds from assignment to end of the team's most recent answered conversations."""
        async with self._store.read() as conn:
            rows = (await conn.execute(
                sa.select(conversations.c.assigned_at, conversations.c.ended_at)
                .where(conversations.c.team == team, conversations.c.status == "ended",
                       conversations.c.assigned_at.is_not(None),
                       conversations.c.ended_at.is_not(None))
                .order_by(conversations.c.ended_at.desc()).limit(limit)
            )).all()
        return [(ended - assigned) / 1000 for assigned, ended in rows]

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
        return _from_row(row) if row else None

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
        async with self._store.write() as conn:
            for table in (conversation_events,):
                await conn.execute(table.delete().where(
                    table.c.conversation_id.in_(list(conversation_ids))))
            result = await conn.execute(conversations.delete().where(
                conversations.c.id.in_(list(conversation_ids))))
        return int(result.rowcount)
