"""A page's batches as the server sees them: parts put back together, each batch checked
(deflate that inflates within a bound to a JSON array of rrweb-shaped events) and numbered per
page session, so a gap is noticed and answered with a request for a full snapshot. Checking
happens off the event loop for large batches; contents are never trusted further than that —
the agent's console replays them in a sandbox without scripts."""

from __future__ import annotations

import asyncio
import zlib
from dataclasses import dataclass, field
from typing import Any

import orjson

from ..errors import InvalidPayload, TooLarge
from ..protocol.cobrowse import CobrowseBatch

# Inflated size of one batch (a full snapshot of a very large page is a few MB).
MAX_INFLATED_BYTES = 16_000_000
# Batches bigger than this are checked in a worker thread.
OFF_LOOP_BYTES = 65_536
# rrweb's EventType: DomContentLoaded 0 … Plugin 6.
MAX_EVENT_TYPE = 6
META = 4


@dataclass(frozen=True)
class CheckedBatch:
    session_id: str
    batch_no: int
    full: bool
    data: bytes  # as sent, compressed
    events: int
    # The page's address from its Meta event, when the batch has one.
    href: str | None


def inflate_and_check(data: bytes) -> tuple[int, str | None]:
    """Number of events and the Meta href; raises InvalidPayload / TooLarge."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        raw = inflater.decompress(data, MAX_INFLATED_BYTES)
    except zlib.error as exc:
        raise InvalidPayload("the batch is not deflate data") from exc
    if inflater.unconsumed_tail:
        raise TooLarge(f"a batch inflates to more than {MAX_INFLATED_BYTES} bytes")
    if not inflater.eof:
        raise InvalidPayload("the batch is truncated")
    try:
        events: Any = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidPayload("the batch is not JSON") from exc
    if not isinstance(events, list) or not events:
        raise InvalidPayload("a batch is a non-empty array of events")
    href = None
    for event in events:
        if not isinstance(event, dict):
            raise InvalidPayload("an event is an object")
        kind = event.get("type")
        stamp = event.get("timestamp")
        if not isinstance(kind, int) or isinstance(kind, bool) or not 0 <= kind <= MAX_EVENT_TYPE:
            raise InvalidPayload("an event has an rrweb type")
        if not isinstance(stamp, (int, float)) or isinstance(stamp, bool):
            raise InvalidPayload("an event has a timestamp")
        if kind == META and isinstance(event.get("data"), dict):
            value = event["data"].get("href")
            href = value if isinstance(value, str) else href
    return len(events), href


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


class PageStreams:
    """Per conversation and page session: reassembly and numbering."""

    def __init__(self) -> None:
        self._streams: dict[tuple[str, str], _Stream] = {}

    async def accept(self, batch: CobrowseBatch) -> CheckedBatch | None:
        """The whole checked batch once its last part is in, None while parts are missing.
        Raises SnapshotNeeded on a gap."""
        key = (batch.conversation_id, batch.session_id)
        stream = self._streams.setdefault(key, _Stream())
        if batch.parts > 1:
            pending = stream.pending
            if pending is None or pending.batch_no != batch.batch_no:
                pending = stream.pending = _Pending(batch.batch_no, batch.full, batch.parts)
            if pending.parts != batch.parts or batch.part >= batch.parts:
                stream.pending = None
                raise InvalidPayload("inconsistent parts")
            pending.received[batch.part] = batch.data
            if len(pending.received) < pending.parts:
                return None
            data = b"".join(pending.received[i] for i in range(pending.parts))
            stream.pending = None
        else:
            data = batch.data
        if not batch.full and stream.next_batch != batch.batch_no:
            raise SnapshotNeeded()
        if len(data) > OFF_LOOP_BYTES:
            count, href = await asyncio.to_thread(inflate_and_check, data)
        else:
            count, href = inflate_and_check(data)
        stream.next_batch = batch.batch_no + 1
        return CheckedBatch(batch.session_id, batch.batch_no, batch.full, data, count, href)

    def forget(self, conversation_id: str) -> None:
        for key in [k for k in self._streams if k[0] == conversation_id]:
            del self._streams[key]


class SnapshotNeeded(Exception):
    """The batch does not follow the last one: the agent cannot apply it."""
