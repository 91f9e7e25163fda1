"""A page's batches as the server sees them: parts put back together, each batch checked
(deflate that inflates within a bound to a JSON array of rrweb-shaped events) and numbered per
page session, so a gap is noticed and answered with a request for a full snapshot. Checking
happens off the event loop for batches that inflate large; contents are never trusted further
than that — the agent's console replays them in a sandbox without scripts.

What one shopper can make the server hold or do is bounded: the page sessions kept per
conversation, the bytes of a batch in parts, the events in a batch, and the inflated bytes per
second (a budget: deflate shrinks rrweb's repetitive JSON several hundredfold, so the
compressed size says little about the work)."""

from __future__ import annotations

import asyncio
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

import orjson

from ..errors import InvalidPayload, RateLimited, TooLarge
from ..protocol.cobrowse import CobrowseBatch

# Inflated size of one batch (a full snapshot of a very large page is a few MB).
MAX_INFLATED_BYTES = 16_000_000
# A batch that inflates to more than this is checked in a worker thread.
OFF_LOOP_INFLATED_BYTES = 262_144
# Events in one batch (a snapshot is one event; a busy second of a page, a few hundred).
MAX_EVENTS = 50_000
# A batch sent in parts, put together (compressed).
MAX_BATCH_BYTES = 4_000_000
# Page sessions (a page load each) remembered per conversation; the oldest is forgotten.
MAX_SESSIONS = 8
# Inflated bytes per conversation: a burst (a few snapshots of a large page) and a rate.
INFLATED_BURST_BYTES = 48_000_000
INFLATED_BYTES_PER_S = 4_000_000
# rrweb's EventType: DomContentLoaded 0 … Plugin 6.
MAX_EVENT_TYPE = 6
META = 4
CUSTOM = 5
# The widget's event for a single-page app's new address (no Meta: the page did not load).
PAGE_MOVED = "aisle:page"


@dataclass(frozen=True)
class CheckedBatch:
    session_id: str
    batch_no: int
    full: bool
    data: bytes  # as sent, compressed
    events: int
    # The page's addresses in the batch, in order: from Meta events (a snapshot) and the
    # widget's `aisle:page` events (a single-page app moved).
    hrefs: tuple[str, ...] = ()
    # Whether the first event says its address (else the first events are on the page as it
    # was before the batch).
    opens_with_href: bool = False

    @property
    def href(self) -> str | None:
        """Where the page is at the end of the batch, when it says."""
        return self.hrefs[-1] if self.hrefs else None


def inflate(data: bytes, limit: int = MAX_INFLATED_BYTES) -> bytes | None:
    """The inflated batch; None when it inflates to more than `limit` (below the maximum).
    Raises InvalidPayload / TooLarge."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        raw = inflater.decompress(data, limit)
    except zlib.error as exc:
        raise InvalidPayload("the batch is not deflate data") from exc
    if inflater.unconsumed_tail:
        if limit < MAX_INFLATED_BYTES:
            return None
        raise TooLarge(f"a batch inflates to more than {MAX_INFLATED_BYTES} bytes")
    if not inflater.eof:
        raise InvalidPayload("the batch is truncated")
    return raw


def inflate_fully(data: bytes) -> bytes:
    raw = inflate(data)
    if raw is None:  # at the maximum, inflate raises instead
        raise TooLarge(f"a batch inflates to more than {MAX_INFLATED_BYTES} bytes")
    return raw


def _href_of(event: dict[str, Any]) -> str | None:
    data = event.get("data")
    if not isinstance(data, dict):
        return None
    if event["type"] == CUSTOM:
        if data.get("tag") != PAGE_MOVED or not isinstance(data.get("payload"), dict):
            return None
        data = data["payload"]
    value = data.get("href")
    return value if isinstance(value, str) else None


def check_events(raw: bytes) -> tuple[int, tuple[str, ...], bool]:
    try:
        events: Any = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidPayload("the batch is not JSON") from exc
    if not isinstance(events, list) or not events:
        raise InvalidPayload("a batch is a non-empty array of events")
    if len(events) > MAX_EVENTS:
        raise TooLarge(f"a batch holds at most {MAX_EVENTS} events")
    hrefs: list[str] = []
    opens_with_href = False
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            raise InvalidPayload("an event is an object")
        kind = event.get("type")
        stamp = event.get("timestamp")
        if not isinstance(kind, int) or isinstance(kind, bool) or not 0 <= kind <= MAX_EVENT_TYPE:
            raise InvalidPayload("an event has an rrweb type")
        if not isinstance(stamp, (int, float)) or isinstance(stamp, bool):
            raise InvalidPayload("an event has a timestamp")
        if kind in (META, CUSTOM) and (href := _href_of(event)) is not None:
            hrefs.append(href)
            opens_with_href = opens_with_href or index == 0
    return len(events), tuple(hrefs), opens_with_href


@dataclass
class _Pending:
    batch_no: int
    full: bool
    parts: int
    received: dict[int, bytes] = field(default_factory=dict)


@dataclass
class _Stream:
    next_batch: int | None = None
    pending: _Pending | None = None


@dataclass
class _Budget:
    """Inflated bytes a conversation may still send now (may go below zero once)."""

    tokens: float
    stamp: float


class PageStreams:
    """Per conversation and page session: reassembly and numbering."""

    def __init__(self) -> None:
        # Per conversation, its page sessions, least recently used first.
        self._streams: dict[str, dict[str, _Stream]] = {}
        self._budgets: dict[str, _Budget] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    def _stream(self, conversation_id: str, session_id: str) -> _Stream:
        sessions = self._streams.setdefault(conversation_id, {})
        stream = sessions.pop(session_id, None) or _Stream()
        sessions[session_id] = stream  # the most recently used, last
        while len(sessions) > MAX_SESSIONS:
            del sessions[next(iter(sessions))]
        return stream

    def _spend(self, conversation_id: str, inflated: int) -> None:
        budget = self._budgets[conversation_id]
        budget.tokens -= inflated

    def _admit(self, conversation_id: str) -> None:
        now = time.monotonic()
        budget = self._budgets.setdefault(conversation_id, _Budget(INFLATED_BURST_BYTES, now))
        budget.tokens = min(INFLATED_BURST_BYTES,
                            budget.tokens + (now - budget.stamp) * INFLATED_BYTES_PER_S)
        budget.stamp = now
        if budget.tokens < 0:
            raise RateLimited("too much page data: slow down")

    async def accept(self, batch: CobrowseBatch) -> CheckedBatch | None:
        """The whole checked batch once its last part is in, None while parts are missing.
        Raises SnapshotNeeded on a gap. A conversation's batches are taken one at a time, so
        that its budget is spent before the next is admitted and batches stay in order."""
        lock = self._locks.setdefault(batch.conversation_id, asyncio.Lock())
        async with lock:
            return await self._accept(batch)

    async def _accept(self, batch: CobrowseBatch) -> CheckedBatch | None:
        self._admit(batch.conversation_id)
        stream = self._stream(batch.conversation_id, batch.session_id)
        if batch.parts > 1:
            pending = stream.pending
            if pending is None or pending.batch_no != batch.batch_no:
                pending = stream.pending = _Pending(batch.batch_no, batch.full, batch.parts)
            if pending.parts != batch.parts or batch.part >= batch.parts:
                stream.pending = None
                raise InvalidPayload("inconsistent parts")
            pending.received[batch.part] = batch.data
            if sum(map(len, pending.received.values())) > MAX_BATCH_BYTES:
                stream.pending = None
                raise TooLarge(f"a batch is at most {MAX_BATCH_BYTES} bytes")
            if len(pending.received) < pending.parts:
                return None
            data = b"".join(pending.received[i] for i in range(pending.parts))
            stream.pending = None
        else:
            data = batch.data
        if not batch.full and stream.next_batch != batch.batch_no:
            raise SnapshotNeeded()
        raw = inflate(data, OFF_LOOP_INFLATED_BYTES)
        if raw is None:  # large once inflated: inflating and parsing it would hold the loop
            try:
                raw = await asyncio.to_thread(inflate_fully, data)
            except (InvalidPayload, TooLarge):
                self._spend(batch.conversation_id, MAX_INFLATED_BYTES)  # it cost that much
                raise
        # Spent whether or not the events check out: the work was done either way.
        self._spend(batch.conversation_id, len(raw))
        if len(raw) > OFF_LOOP_INFLATED_BYTES:
            count, hrefs, opens = await asyncio.to_thread(check_events, raw)
        else:
            count, hrefs, opens = check_events(raw)
        stream.next_batch = batch.batch_no + 1
        return CheckedBatch(batch.session_id, batch.batch_no, batch.full, data, count, hrefs,
                            opens)

    def forget(self, conversation_id: str) -> None:
        self._streams.pop(conversation_id, None)
        self._budgets.pop(conversation_id, None)
        self._locks.pop(conversation_id, None)


class SnapshotNeeded(Exception):
    """The batch does not follow the last one: the agent cannot apply it."""
