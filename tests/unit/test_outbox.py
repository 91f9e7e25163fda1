"""sockets/outbox.py: frames as RFC 6455 lays them out, gathered into one write per loop turn,
in order, and none written to a closing transport."""

from __future__ import annotations

import asyncio
import struct
from typing import Any, cast

from signaling.sockets.outbox import BINARY, TEXT, Outbox, frame


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
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closing = False
        self.wrote = asyncio.Event()

    def get_write_buffer_size(self) -> int:
        return sum(map(len, self.writes))

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return 16_384, 65_536

    def is_closing(self) -> bool:
        return self.closing

    def write(self, data: bytes) -> None:
        self.writes.append(data)
        self.wrote.set()


def test_frame_lengths_take_the_header_the_rfc_gives_them() -> None:
    for size, header in ((0, 2), (125, 2), (126, 4), (65_535, 4), (65_536, 10)):
        payload = bytes(range(256)) * (size // 256) + bytes(size % 256)
        data = frame(payload, BINARY)
        assert len(data) == header + size
        assert parse(data) == [(BINARY, payload)]


async def test_frames_put_in_one_turn_are_written_once_in_order() -> None:
    transport = Transport()
    outbox = Outbox(cast(Any, transport))
    outbox.put(b'40/visitor,["message_created",{"seq":1}]', TEXT)
    outbox.put(b"430/visitor,[{}]", TEXT)
    outbox.put(b"\x01\x02", BINARY)
    assert transport.writes == []  # nothing until the loop turns
    await asyncio.wait_for(transport.wrote.wait(), 5)
    assert len(transport.writes) == 1
    assert parse(transport.writes[0]) == [(TEXT, b'40/visitor,["message_created",{"seq":1}]'),
                                          (TEXT, b"430/visitor,[{}]"), (BINARY, b"\x01\x02")]


async def test_a_flush_writes_at_once_and_the_scheduled_one_finds_nothing() -> None:
    transport = Transport()
    outbox = Outbox(cast(Any, transport))
    outbox.put(b"a", TEXT)
    outbox.flush()
    assert parse(transport.writes[0]) == [(TEXT, b"a")]
    outbox.put(b"b", TEXT)
    transport.wrote.clear()
    await asyncio.wait_for(transport.wrote.wait(), 5)
    assert [parse(w) for w in transport.writes] == [[(TEXT, b"a")], [(TEXT, b"b")]]


async def test_room_counts_what_is_gathered_and_a_closing_transport_gets_nothing() -> None:
    transport = Transport()
    outbox = Outbox(cast(Any, transport))
    assert outbox.has_room(60_000)
    outbox.put(bytes(60_000), BINARY)
    assert not outbox.has_room(10_000)  # 60,004 gathered + 10,000 ≥ 65,536
    transport.closing = True
    outbox.flush()
    assert transport.writes == [] and outbox.has_room(60_000)
