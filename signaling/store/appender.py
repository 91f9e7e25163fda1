"""Group commit for conversation logs. Appends from every conversation queue up; one writer
task takes what has gathered and writes it in one transaction — the idempotency check, the new
events and the folded states, each as one statement for the whole batch — then answers every
caller. Under load a transaction carries many messages, so per message the store costs a few
dozen microseconds instead of a few round trips to the database thread each."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from ..conversation_state import apply
from ..ids import now_ms
from ..protocol.common import Actor, Conversation
from ..protocol.events import EventBase, LogEvent, log_event_adapter
from .schema import conversation_events, conversations

if TYPE_CHECKING:
    from .conversations import ConversationRepo

log = logging.getLogger(__name__)

MAX_BATCH = 256
_STATE_COLUMNS = [c.name for c in conversations.columns]
_UPDATE = (conversations.update().where(conversations.c.id == sa.bindparam("b_id"))
           .values({name: sa.bindparam(name) for name in _STATE_COLUMNS if name != "id"}))


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


def state_from_row(row: sa.Row[Any]) -> Conversation:
    return Conversation.model_validate(dict(row._mapping))


def event_from_row(row: sa.Row[Any]) -> LogEvent:
    return log_event_adapter.validate_python(
        {"conversation_id": row.conversation_id, "seq": row.seq, "ts": row.ts,
         "type": row.type, "actor": row.actor, "data": row.data}
    )


def state_row(state: Conversation) -> dict[str, Any]:
    row = state.model_dump(mode="json")
    return {k: row[k] for k in _STATE_COLUMNS}


# SQLite only (single node): PostgreSQL reports no row count for a batch like this.
_INSERT_IGNORING_RETRIES = sqlite_insert(conversation_events).on_conflict_do_nothing(
    index_elements=["conversation_id", "type", "client_id"])


class _RetriedRequest(Exception):
    """The batch held a request already stored: its transaction is rolled back."""


@dataclass
class _Request:
    conversation_id: str
    new: Sequence[NewEvent]
    done: asyncio.Future[Appended]


@dataclass
class _Plan:
    """What one request adds, worked out before anything is written."""

    request: _Request
    before: Conversation | None
    state: Conversation
    events: list[EventBase]
    new_events: list[EventBase]
    event_rows: list[dict[str, Any]] = field(default_factory=list)


class Appender:
    def __init__(self, repo: ConversationRepo) -> None:
        self._repo = repo
        self._queue: asyncio.Queue[_Request] = asyncio.Queue()
        # The one writer; started on first use, stopped by close().
        self._writer: asyncio.Task[None] | None = None

    async def append(self, conversation_id: str, new: Sequence[NewEvent]) -> Appended:
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._run(), name="log-appender")
        done: asyncio.Future[Appended] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Request(conversation_id, new, done))
        return await done

    async def _run(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < MAX_BATCH and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                try:
                    await self._commit(batch, optimistic=self._repo.store.single_node)
                except _RetriedRequest:
                    # A retried request was among them: again, looking up stored client ids.
                    await self._commit(batch, optimistic=False)
            except Exception:
                # One bad request must not fail the others: write them one by one.
                log.warning("a batch of %d appends failed; retrying one by one", len(batch),
                            exc_info=True)
                for request in batch:
                    if not request.done.done():
                        try:
                            await self._commit([request])
                        except Exception as exc:
                            if not request.done.done():
                                request.done.set_exception(exc)

    async def _commit(self, batch: list[_Request], optimistic: bool = False) -> None:
        async with self._repo.store.write() as conn:
            plans = await self._plan(conn, batch, look_up=not optimistic)
            await self._write(conn, plans, optimistic)
        for plan in plans:
            self._repo.remember(plan.state)
            if not plan.request.done.done():
                plan.request.done.set_result(Appended(plan.events, plan.new_events,
                                                      plan.before, plan.state))

    async def _plan(self, conn: AsyncConnection, batch: list[_Request],
                    look_up: bool) -> list[_Plan]:
        states = await self._repo.states_for_update(conn, {r.conversation_id for r in batch})
        existing = await _existing(conn, batch) if look_up else {}
        ts = now_ms()
        plans = []
        for request in batch:
            try:
                plans.append(_plan_one(request, states, existing, ts))
            except Exception as exc:  # a caller's mistake (bad event): only it fails
                request.done.set_exception(exc)
        return plans

    async def _write(self, conn: AsyncConnection, plans: list[_Plan], optimistic: bool) -> None:
        created = [p for p in plans if p.before is None and p.new_events]
        updated = [p for p in plans if p.before is not None and p.new_events]
        if created:  # the log's rows point at the conversation: it must exist first
            await conn.execute(conversations.insert(), [state_row(p.state) for p in created])
        rows = [row for p in plans for row in p.event_rows]
        if rows and optimistic:
            # Assume no retried client id (the common case) and let the unique index say
            # otherwise: an ignored row means a retry, and the batch is written again.
            result = await conn.execute(_INSERT_IGNORING_RETRIES, rows)
            if result.rowcount != len(rows):
                raise _RetriedRequest()
        elif rows:
            await conn.execute(conversation_events.insert(), rows)
        if updated:
            await conn.execute(_UPDATE, [{"b_id": p.state.id, **{
                k: v for k, v in state_row(p.state).items() if k != "id"}} for p in updated])

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
        while not self._queue.empty():
            request = self._queue.get_nowait()
            if not request.done.done():
                request.done.set_exception(RuntimeError("the store is closing"))


async def _existing(conn: AsyncConnection,
                    batch: list[_Request]) -> dict[tuple[str, str, str], EventBase]:
    """Events already stored under the client ids in this batch (retried requests)."""
    keys = {(r.conversation_id, e.type, e.client_id) for r in batch for e in r.new
            if e.client_id is not None}
    if not keys:
        return {}
    rows = (await conn.execute(conversation_events.select().where(
        conversation_events.c.conversation_id.in_({k[0] for k in keys}),
        conversation_events.c.client_id.in_({k[2] for k in keys})))).all()
    found: dict[tuple[str, str, str], EventBase] = {}
    for row in rows:
        key = (row.conversation_id, row.type, row.client_id)
        if key in keys:
            found[key] = event_from_row(row)
    return found


def _plan_one(request: _Request, states: dict[str, Conversation],
              existing: dict[tuple[str, str, str], EventBase], ts: int) -> _Plan:
    before = states.get(request.conversation_id)
    state = before
    events: list[EventBase] = []
    new_events: list[EventBase] = []
    rows: list[dict[str, Any]] = []
    for item in request.new:
        key = (request.conversation_id, item.type, item.client_id or "")
        if item.client_id is not None and key in existing:
            events.append(existing[key])
            continue
        seq = (state.last_seq if state else 0) + 1
        event = log_event_adapter.validate_python(
            {"conversation_id": request.conversation_id, "seq": seq, "ts": ts,
             "type": item.type, "actor": item.actor.model_dump(), "data": item.data})
        state = apply(state, event)
        rows.append({"conversation_id": request.conversation_id, "seq": seq, "ts": ts,
                     "type": item.type, "actor": event.actor.model_dump(mode="json"),
                     "data": event.data.model_dump(mode="json"), "client_id": item.client_id})
        if item.client_id is not None:
            existing[key] = event  # a retry within the same batch
        events.append(event)
        new_events.append(event)
    if state is None:
        raise ValueError("nothing to append to a conversation that does not exist")
    # The next request of the batch for this conversation starts from here.
    states[request.conversation_id] = state
    return _Plan(request, before, state, events, new_events, rows)
