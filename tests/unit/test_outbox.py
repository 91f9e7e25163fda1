"""sockets/outbox.py: frames as RFC 6455 lays them out, gathered into one write per loop turn,
in order whatever their size, none after the websocket closes, and a reader too far behind
cut off."""

from __future__ import annotations

import asyncio
import struct
from typing import Any, cast

from signaling.sockets.outbox import BACKLOG_LIMIT, BINARY, TEXT, Outbox, frame


def parse(data: bytes) -> list[tuple[int, bytes]]:
    """Splits written bytes into (opcode, payload) of final, unmasked frames."""
    frames = []
    while data:
        first, second = data[0], data[1]
        assert first & 0x80 and not second & 0x80  # final, not masked
        size, at = second & 0x7F, 2
        if size == 126:
            (size,), at = struct.unpack("!H", data[2:4]), 4
        elif size == 127:
            (size,), at = struct.unpack("!Q", data[2:10]), 10
        frames.append((first & 0x0F, data[at:at + size]))
        data = data[at + size:]
    return frames


class Transport:
    def __init__(self, buffered: int = 0) -> None:
        self.writes: list[bytes] = []
        self.buffered = buffered
        self.closing = False
        self.aborted = False
        self.wrote = asyncio.Event()

    def get_write_buffer_size(self) -> int:
        return self.buffered + sum(map(len, self.writes))

    def is_closing(self) -> bool:
        return self.closing

    def write(self, data: bytes) -> None:
        self.writes.append(data)
        self.wrote.set()

    def abort(self) -> None:
        self.aborted = self.closing = True


class WebSocket:
    closed = False


def outbox_of(transport: Transport, ws: WebSocket | None = None) -> Outbox:
    return Outbox(cast(Any, ws or WebSocket()), cast(Any, transport))


def test_frame_lengths_take_the_header_the_rfc_gives_them() -> None:
    for size, header in ((0, 2), (125, 2), (126, 4), (65_535, 4), (65_536, 10)):
        payload = bytes(range(256)) * (size // 256) + bytes(size % 256)
        data = frame(payload, BINARY)
        assert len(data) == header + size
        assert parse(data) == [(BINARY, payload)]


async def test_frames_put_in_one_turn_are_written_once_in_order() -> None:
    transport = Transport()
    outbox = outbox_of(transport)
    outbox.put(b'40/visitor,["message_created",{"seq":1}]', TEXT)
    outbox.put(bytes(200_000), BINARY)  # larger than any send buffer: in its place all the same
    outbox.put(b"430/visitor,[{}]", TEXT)
    assert transport.writes == []  # nothing until the loop turns
    await asyncio.wait_for(transport.wrote.wait(), 5)
    assert len(transport.writes) == 1
    assert parse(transport.writes[0]) == [(TEXT, b'40/visitor,["message_created",{"seq":1}]'),
                                          (BINARY, bytes(200_000)), (TEXT, b"430/visitor,[{}]")]


async def test_a_flush_writes_at_once_and_the_scheduled_one_finds_nothing() -> None:
    transport = Transport()
    outbox = outbox_of(transport)
    outbox.put(b"a", TEXT)
    outbox.flush()
    assert parse(transport.writes[0]) == [(TEXT, b"a")]
    outbox.put(b"b", TEXT)
    transport.wrote.clear()
    await asyncio.wait_for(transport.wrote.wait(), 5)
    assert [parse(w) for w in transport.writes] == [[(TEXT, b"a")], [(TEXT, b"b")]]


async def test_nothing_is_written_once_the_websocket_closes() -> None:
    """A close frame is sent or on its way (a silent peer timed out, the peer closed): frames
    gathered before it are dropped, not written after it."""
    transport, ws = Transport(), WebSocket()
    outbox = outbox_of(transport, ws)
    outbox.put(b"late", TEXT)
    ws.closed = True
    outbox.flush()
    transport.closing = True
    outbox.put(b"later", TEXT)
    outbox.flush()
    assert transport.writes == []


async def test_a_reader_too_far_behind_is_cut_off() -> None:
    transport = Transport(buffered=BACKLOG_LIMIT - 10)
    outbox = outbox_of(transport)
    outbox.put(b"fits", TEXT)
    outbox.flush()
    assert not transport.aborted
    outbox.put(bytes(100), BINARY)
    outbox.flush()
    assert transport.aborted
