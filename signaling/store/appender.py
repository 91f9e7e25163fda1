"""Group commit for conversation logs. Appends from every conversation queue up; one writer
task takes what has gathered and writes it in one transaction — the idempotency check, the new
events and the folded states, each as one statement for the whole batch — then answers every
caller. Under load a transaction carries many messages, so per message the store costs a few
dozen microseconds instead of a few round trips to the database thread each."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from ..conversation_state import apply
from ..ids import now_ms
from ..protocol.common import Actor, Conversation
from ..protocol.events import EventBase, LogEvent, log_event_adapter
from .schema import conversation_events, conversations
from .sqlite_batch import RowsIgnored, Statement

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


_EventRow = tuple[EventBase, "str | None"]


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


# The optimistic path is SQLite's (single node; PostgreSQL reports no row count for a batch
# like this), written by sqlite_batch.py: statements written out for the driver, so a batch
# costs SQLAlchemy nothing per row; JSON columns are orjson text, as the engine writes them.
def _quoted(name: str) -> str:
    return f'"{name}"'


_EVENT_COLUMNS = ("conversation_id", "seq", "ts", "type", "actor", "data", "client_id")
_SQLITE_INSERT_IGNORING_RETRIES = (
    f"INSERT INTO conversation_events ({', '.join(map(_quoted, _EVENT_COLUMNS))}) "
    f"VALUES ({', '.join('?' for _ in _EVENT_COLUMNS)}) "
    "ON CONFLICT (conversation_id, type, client_id) DO NOTHING")
_JSON_STATE_COLUMNS = frozenset(c.name for c in conversations.columns
                                if isinstance(c.type, sa.JSON))
_UPDATED_COLUMNS = [name for name in _STATE_COLUMNS if name != "id"]
_SQLITE_INSERT_STATE = (
    f"INSERT INTO conversations ({', '.join(map(_quoted, _STATE_COLUMNS))}) "
    f"VALUES ({', '.join('?' for _ in _STATE_COLUMNS)})")


def _event_params(row: _EventRow) -> tuple[Any, ...]:
    event, client_id = row
    return (event.conversation_id, event.seq, event.ts, event.type,
            event.actor.model_dump_json(), event.data.model_dump_json(), client_id)


def _event_row(row: _EventRow) -> dict[str, Any]:
    event, client_id = row
    return {"conversation_id": event.conversation_id, "seq": event.seq, "ts": event.ts,
            "type": event.type, "actor": event.actor.model_dump(mode="json"),
            "data": event.data.model_dump(mode="json"), "client_id": client_id}


def _state_values(state: Conversation, columns: Sequence[str]) -> list[Any]:
    row = state.model_dump(mode="json", include=set(columns))
    return [orjson.dumps(row[n]).decode() if n in _JSON_STATE_COLUMNS else row[n]
            for n in columns]


def _state_params(state: Conversation) -> tuple[Any, ...]:
    return tuple(_state_values(state, _STATE_COLUMNS))


def _changed_columns(before: Conversation, after: Conversation) -> tuple[str, ...]:
    # A fold copies the state shallowly: unchanged fields are the same objects, so identity
    # settles nearly every column without comparing lists of participants.
    b, a = before.__dict__, after.__dict__
    return tuple(n for n in _UPDATED_COLUMNS if b[n] is not a[n] and b[n] != a[n])


def _update_params(state: Conversation, columns: tuple[str, ...]) -> tuple[Any, ...]:
    return (*_state_values(state, columns), state.id)


@functools.lru_cache(maxsize=256)
def _sqlite_update(columns: tuple[str, ...]) -> str:
    return (f"UPDATE conversations SET {', '.join(_quoted(n) + ' = ?' for n in columns)} "
            "WHERE id = ?")


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
    # New events to store, with the client id each was sent under.
    event_rows: list[_EventRow] = field(default_factory=list)


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
                    await self._commit(batch, optimistic=self._repo.store.batch_writer is not None)
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
        batch = [r for r in batch if not r.done.done()]  # failed while planned before
        ids = {r.conversation_id for r in batch}
        store = self._repo.store
        if optimistic and store.batch_writer is not None:
            # Assume no retried client id (the common case) and let the unique index say
            # otherwise: an ignored row means a retry, and the batch is written again.
            async with store.write_lock:
                plans = _plan(batch, await self._repo.states_for_update(None, ids), {})
                try:
                    with store.write_health.watch():
                        await store.batch_writer.write(_sqlite_statements(plans))
                except RowsIgnored:
                    raise _RetriedRequest() from None
        else:
            async with store.write() as conn:
                states = await self._repo.states_for_update(conn, ids)
                plans = _plan(batch, states, await _existing(conn, batch))
                await _write(conn, plans)
        for plan in plans:
            self._repo.remember(plan.state)
            if not plan.request.done.done():
                plan.request.done.set_result(Appended(plan.events, plan.new_events,
                                                      plan.before, plan.state))

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
        while not self._queue.empty():
            request = self._queue.get_nowait()
            if not request.done.done():
                request.done.set_exception(RuntimeError("the store is closing"))


def _plan(batch: list[_Request], states: dict[str, Conversation],
          existing: dict[tuple[str, str, str], EventBase]) -> list[_Plan]:
    ts = now_ms()
    plans = []
    for request in batch:
        try:
            plans.append(_plan_one(request, states, existing, ts))
        except Exception as exc:  # a caller's mistake (bad event): only it fails
            request.done.set_exception(exc)
    return plans


async def _write(conn: AsyncConnection, plans: list[_Plan]) -> None:
    created = [p for p in plans if p.before is None and p.new_events]
    updated = [p for p in plans if p.before is not None and p.new_events]
    if created:  # the log's rows point at the conversation: it must exist first
        await conn.execute(conversations.insert(), [state_row(p.state) for p in created])
    events = [e for p in plans for e in p.event_rows]
    if events:
        await conn.execute(conversation_events.insert(), [_event_row(e) for e in events])
    if updated:
        await conn.execute(_UPDATE, [{"b_id": p.state.id, **{
            k: v for k, v in state_row(p.state).items() if k != "id"}} for p in updated])


def _sqlite_statements(plans: list[_Plan]) -> list[Statement]:
    # Per conversation, the state before the batch and after it: one row each, whatever the
    # number of requests the batch holds for it.
    first: dict[str, Conversation | None] = {}
    last: dict[str, Conversation] = {}
    for p in plans:
        if p.new_events:
            first.setdefault(p.state.id, p.before)
            last[p.state.id] = p.state
    statements = []
    created = [state for cid, state in last.items() if first[cid] is None]
    if created:  # the log's rows point at the conversation: it must exist first
        statements.append(Statement(_SQLITE_INSERT_STATE, [_state_params(s) for s in created]))
    events = [e for p in plans for e in p.event_rows]
    if events:
        statements.append(Statement(_SQLITE_INSERT_IGNORING_RETRIES,
                                    [_event_params(e) for e in events], expect=len(events)))
    # Only the columns that changed, so that a message (its seq) leaves the indexes alone;
    # one statement per set of columns.
    by_columns: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    for cid, state in last.items():
        before = first[cid]
        if before is not None and (columns := _changed_columns(before, state)):
            by_columns.setdefault(columns, []).append(_update_params(state, columns))
    for columns, rows in by_columns.items():
        statements.append(Statement(_sqlite_update(columns), rows))
    return statements


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
    rows: list[_EventRow] = []
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
        rows.append((event, item.client_id))
        if item.client_id is not None:
            existing[key] = event  # a retry within the same batch
        events.append(event)
        new_events.append(event)
    if state is None:
        raise ValueError("nothing to append to a conversation that does not exist")
    # The next request of the batch for this conversation starts from here.
    states[request.conversation_id] = state
    return _Plan(request, before, state, events, new_events, rows)
