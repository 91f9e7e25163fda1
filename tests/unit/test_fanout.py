"""sockets/fanout.py: a room's copies written in turn, a backed-up connection apart."""

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


class FakeTransport:
    """Takes writes of short text frames and keeps their payloads."""

    def __init__(self, buffered: int) -> None:
        self.buffered = buffered
        self.frames: list[str] = []
        self.wrote = asyncio.Event()

    def get_write_buffer_size(self) -> int:
        return self.buffered

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return 16_384, 65_536

    def is_closing(self) -> bool:
        return False

    def write(self, data: bytes) -> None:
        while data:
            assert data[0] == 0x81 and data[1] < 126  # final text frame, short, unmasked
            size = data[1]
            self.frames.append(data[2:2 + size].decode())
            data = data[2 + size:]
        self.wrote.set()


class FakeServer:
    """What DirectManager uses of AisleServer: its Engine.IO server, its packet class, and the
    usual (slow) way of sending, which here waits until the test lets it go."""

    packet_class = OrjsonPacket

    def __init__(self) -> None:
        self.eio = EngineServer(async_mode="aiohttp")
        self.slow_sent: list[tuple[str, Any]] = []
        self.release = asyncio.Event()

    async def _send_eio_packet(self, eio_sid: str, pkt: Any) -> None:
        await self.release.wait()
        self.slow_sent.append((eio_sid, pkt.data))


async def room_of(manager: DirectManager, server: FakeServer,
                  buffered: dict[str, int | None]) -> dict[str, FakeTransport]:
    sockets = {}
    for eio_sid, size in buffered.items():
        sid = await manager.connect(eio_sid, NS)
        await manager.enter_room(sid, NS, "cnv:1")
        if size is not None:  # served by transport.serve_websocket
            transport = FakeTransport(size)
            server.eio.direct[eio_sid] = Direct(cast(Any, FakeSocket()), cast(Any, None),
                                                Outbox(cast(Any, transport)))
            sockets[eio_sid] = transport
    return sockets


async def test_each_copy_is_written_at_once_and_a_backed_up_one_waits_alone() -> None:
    server = FakeServer()
    manager = DirectManager()
    manager.set_server(server)
    manager.initialize()
    ws = await room_of(manager, server, {"fast": 0, "full": 65_530, "polling": None})

    emitting = asyncio.create_task(manager.emit("message_created", {"seq": 7}, NS,
                                                room="cnv:1"))
    # The connection with room got its frame although the others have not been sent yet.
    await asyncio.wait_for(ws["fast"].wrote.wait(), 5)
    assert ws["fast"].frames == ['42/agent,["message_created",{"seq":7}]']
    assert not emitting.done() and server.slow_sent == []
    server.release.set()
    await emitting
    assert sorted(sid for sid, _ in server.slow_sent) == ["full", "polling"]
    assert {data for _, data in server.slow_sent} == {'2/agent,["message_created",{"seq":7}]'}
    assert ws["full"].frames == []


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
