"""Messages to one websocket, gathered into one write per turn of the event loop.

A chat message is written to its sender twice (its `message_created` and its ack) and to the
agent once, and a batch of messages committed together wakes all its senders in the same turn:
written one by one, that is a `send()` system call per frame, each taking the kernel through the
loopback or network stack. Frames put here are framed at once (RFC 6455, a server's frames are
not masked) and written together when the loop gets to the flush it scheduled, in the order
they were put. Every message to the connection is put here, whatever its size and however full
the send buffer, so none can overtake another; Engine.IO's own packets flush first.

Nothing waits for a slow reader: what it has not read stays in the transport's buffer, and a
reader more than `BACKLOG_LIMIT` behind is cut off (its client reconnects and resumes). Once
the websocket is closing (a close frame is sent or on its way), nothing more is written."""

from __future__ import annotations

import asyncio
import logging
import struct

from aiohttp.web import WebSocketResponse

from ..logs import RateLimitedLog

log = logging.getLogger(__name__)
_errors = RateLimitedLog(log)

TEXT = 0x1
BINARY = 0x2
# Bytes written and not yet taken by the peer beyond which the connection is dropped.
BACKLOG_LIMIT = 16 * 1024 * 1024

_HEAD_SHORT = struct.Struct("!BB").pack
_HEAD_MEDIUM = struct.Struct("!BBH").pack
_HEAD_LONG = struct.Struct("!BBQ").pack


def frame(payload: bytes, opcode: int) -> bytes:
    """One final, unmasked websocket frame."""
    first = 0x80 | opcode
    size = len(payload)
    if size < 126:
        return _HEAD_SHORT(first, size) + payload
    if size < 65_536:
        return _HEAD_MEDIUM(first, 126, size) + payload
    return _HEAD_LONG(first, 127, size) + payload


class Outbox:
    __slots__ = ("_loop", "_pending", "_transport", "_ws")

    def __init__(self, ws: WebSocketResponse, transport: asyncio.WriteTransport) -> None:
        self._ws = ws
        self._transport = transport
        self._loop = asyncio.get_running_loop()
        self._pending: list[bytes] = []

    def put(self, payload: bytes, opcode: int) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(frame(payload, opcode))

    def flush(self) -> None:
        pending = self._pending
        if not pending:
            return
        data = pending[0] if len(pending) == 1 else b"".join(pending)
        pending.clear()
        transport = self._transport
        if self._ws.closed or transport.is_closing():
            return  # after a close frame, nothing (RFC 6455 §5.5.1)
        transport.write(data)
        if transport.get_write_buffer_size() > BACKLOG_LIMIT:
            _errors.warning("backlog", "a client read nothing of its last %d bytes: dropped",
                            transport.get_write_buffer_size())
            transport.abort()
