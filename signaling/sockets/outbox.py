"""Messages to one websocket, gathered into one write per turn of the event loop.

A chat message is written to its sender twice (its `message_created` and its ack) and to the
agent once, and a batch of messages committed together wakes all its senders in the same turn:
written one by one, that is a `send()` system call per frame, each taking the kernel through the
loopback or network stack. Frames put here are framed at once (RFC 6455, a server's frames are
not masked) and written together when the loop gets to the flush it scheduled, in the order
they were put. Whoever writes to the same websocket by another way (a control packet, a frame
too large to gather) flushes first, so order holds across both ways."""

from __future__ import annotations

import asyncio
import struct

TEXT = 0x1
BINARY = 0x2

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
    __slots__ = ("_loop", "_pending", "_size", "_transport")

    def __init__(self, transport: asyncio.WriteTransport) -> None:
        self._transport = transport
        self._loop = asyncio.get_running_loop()
        self._pending: list[bytes] = []
        self._size = 0

    def has_room(self, size: int) -> bool:
        """True while the transport's buffer, with what is gathered here and `size` more,
        stays below its high-water mark: putting the message then never needs to wait."""
        transport = self._transport
        return (transport.get_write_buffer_size() + self._size + size
                < transport.get_write_buffer_limits()[1])

    def put(self, payload: bytes, opcode: int) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        data = frame(payload, opcode)
        self._pending.append(data)
        self._size += len(data)

    def flush(self) -> None:
        pending = self._pending
        if not pending:
            return
        data = pending[0] if len(pending) == 1 else b"".join(pending)
        pending.clear()
        self._size = 0
        if not self._transport.is_closing():
            self._transport.write(data)
