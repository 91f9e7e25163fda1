"""sockets/fanout.py: a room's copies put in each connection's outbox in turn, without waiting
for a backed-up one, and in the order they were emitted; a connection on long-polling apart."""

from __future__ import annotations

import asyncio
from typing import Any, cast

from signaling.sockets.fanout import DirectManager
from signaling.sockets.outbox import Outbox
from signaling.sockets.server import OrjsonPacket
from signaling.sockets.transport import Direct, EngineServer

NS = "/agent"


class FakeSocket:
    closed = False
    closing = False


class FakeWebSocket:
    closed = False


class FakeTransport:
    """Takes writes of frames and keeps their payloads (text as str, binary as bytes)."""

    def __init__(self, buffered: int) -> None:
        self.buffered = buffered
        self.frames: list[str | bytes] = []
        self.wrote = asyncio.Event()

    def get_write_buffer_size(self) -> int:
        return self.buffered

    def is_closing(self) -> bool:
        return False

    def write(self, data: bytes) -> None:
        while data:
            assert data[0] in (0x81, 0x82) and data[1] <= 126  # final, unmasked, < 64 KiB
            size, at = data[1], 2
            if size == 126:
                size, at = int.from_bytes(data[2:4], "big"), 4
            payload = data[at:at + size]
            self.frames.append(payload.decode() if data[0] == 0x81 else payload)
            data = data[at + size:]
        self.wrote.set()


class FakeServer:
    """What DirectManager uses of AisleServer: its Engine.IO server, its packet class, and the
    usual (slow) way of sending, which here waits until the test lets it go."""

    packet_class = OrjsonPacket

    def __init__(self) -> None:
        self.eio = EngineServer(async_mode="aiohttp")
        self.slow_sent: list[tuple[str, Any]] = []
        self.release = asyncio.Event()

    async def _send_packet(self, eio_sid: str, pkt: Any) -> None:
        await self.release.wait()
        self.slow_sent.append((eio_sid, pkt.encode()))


async def room_of(manager: DirectManager, server: FakeServer,
                  buffered: dict[str, int | None]) -> dict[str, FakeTransport]:
    sockets = {}
    for eio_sid, size in buffered.items():
        sid = await manager.connect(eio_sid, NS)
        await manager.enter_room(sid, NS, "cnv:1")
        if size is not None:  # served by transport.serve_websocket
            transport = FakeTransport(size)
            server.eio.direct[eio_sid] = Direct(cast(Any, FakeSocket()), cast(Any, None),
                                                Outbox(cast(Any, FakeWebSocket()),
                                                       cast(Any, transport)))
            sockets[eio_sid] = transport
    return sockets


async def test_each_copy_is_put_at_once_and_only_long_polling_waits() -> None:
    server = FakeServer()
    manager = DirectManager()
    manager.set_server(server)
    manager.initialize()
    ws = await room_of(manager, server, {"fast": 0, "full": 10_000_000, "polling": None})

    emitting = asyncio.create_task(manager.emit("message_created", {"seq": 7}, NS,
                                                room="cnv:1"))
    # Both websockets got their frame, the backed-up one too (its reader takes it when it
    # can), although the long-polling one has not been sent yet.
    await asyncio.wait_for(ws["fast"].wrote.wait(), 5)
    await asyncio.wait_for(ws["full"].wrote.wait(), 5)
    assert ws["fast"].frames == ws["full"].frames == ['42/agent,["message_created",{"seq":7}]']
    assert not emitting.done() and server.slow_sent == []
    server.release.set()
    await emitting
    assert server.slow_sent == [("polling", '2/agent,["message_created",{"seq":7}]')]


async def test_a_backed_up_connection_gets_its_messages_in_the_order_they_were_emitted(
        ) -> None:
    """Until 2026-11-25 a message that did not fit the send buffer went through a task, and a
    smaller one emitted after it in the same turn overtook it."""
    server = FakeServer()
    manager = DirectManager()
    manager.set_server(server)
    manager.initialize()
    ws = await room_of(manager, server, {"full": 65_000})
    big = "x" * 600  # did not fit beside the 65,000 bytes the reader had not taken
    await asyncio.gather(*(manager.emit("message_created", {"seq": n, "text": big if n == 1
                                                            else ""}, NS, room="cnv:1")
                           for n in (1, 2, 3)))
    await asyncio.wait_for(ws["full"].wrote.wait(), 5)
    assert [str(f).split('"seq":')[1][0] for f in ws["full"].frames] == ["1", "2", "3"]


async def test_the_skipped_socket_gets_nothing() -> None:
    server = FakeServer()
    manager = DirectManager()
    manager.set_server(server)
    manager.initialize()
    ws = await room_of(manager, server, {"a": 0, "b": 0})
    sid_a = manager.sid_from_eio_sid("a", NS)
    await manager.emit("typing_changed", {"typing": True}, NS, room="cnv:1", skip_sid=sid_a)
    await asyncio.wait_for(ws["b"].wrote.wait(), 5)
    assert ws["a"].frames == [] and len(ws["b"].frames) == 1


async def test_a_binary_event_keeps_its_place_among_the_others() -> None:
    """A co-browse batch (its bytes an attachment) then the sharing's end: the agent gets them
    in that order, the attachment right after its placeholder (until 2026-11-25 a binary event
    went through a task per recipient, and an event emitted after it could arrive first)."""
    server = FakeServer()
    manager = DirectManager()
    manager.set_server(server)
    manager.initialize()
    ws = await room_of(manager, server, {"agent": 0})
    await manager.emit("cobrowse_batch", {"batch_no": 4, "data": b"\x01\x02"}, NS, room="cnv:1")
    await manager.emit("cobrowse_ended", {"by": "visitor"}, NS, room="cnv:1")
    await asyncio.wait_for(ws["agent"].wrote.wait(), 5)
    frames = ws["agent"].frames
    assert len(frames) == 3
    assert isinstance(frames[0], str) and frames[0].startswith("451-/agent,")
    assert frames[1] == b"\x01\x02"
    assert frames[2] == '42/agent,["cobrowse_ended",{"by":"visitor"}]'
