"""sockets/transport.py: the liveness timer of a websocket served directly; and a websocket
handshake the client gave up on."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace
from typing import Any, cast

import pytest
from aiohttp.web import Response, WebSocketResponse
from engineio import AsyncServer
from engineio.async_socket import AsyncSocket

from signaling.sockets.server import UncompressedWebSocket
from signaling.sockets.transport import _Liveness

LIMIT = 0.1


class FakeWebSocket:
    def __init__(self) -> None:
        self.closed_at: float | None = None
        self.closed = asyncio.Event()

    async def close(self) -> None:
        self.closed_at = asyncio.get_running_loop().time()
        self.closed.set()


async def test_a_silent_peer_is_closed_after_the_limit() -> None:
    ws = FakeWebSocket()
    loop = asyncio.get_running_loop()
    started = loop.time()
    liveness = _Liveness(cast(WebSocketResponse, ws), LIMIT)
    await asyncio.wait_for(ws.closed.wait(), 5)
    assert ws.closed_at is not None and ws.closed_at - started >= LIMIT
    liveness.cancel()


async def test_a_peer_that_keeps_talking_stays_open_until_it_stops() -> None:
    ws = FakeWebSocket()
    loop = asyncio.get_running_loop()
    liveness = _Liveness(cast(WebSocketResponse, ws), LIMIT)
    talked = asyncio.Event()
    last: dict[str, Any] = {"at": loop.time(), "times": 0}

    def talk() -> None:  # a frame every quarter of the limit, for three limits
        liveness.stamp()
        last["at"] = loop.time()
        last["times"] += 1
        if last["times"] < 12:
            loop.call_later(LIMIT / 4, talk)
        else:
            talked.set()

    talk()
    await asyncio.wait_for(talked.wait(), 5)
    assert not ws.closed.is_set()
    await asyncio.wait_for(ws.closed.wait(), 5)
    assert ws.closed_at is not None and ws.closed_at - last["at"] >= LIMIT
    liveness.cancel()


async def test_cancel_stops_the_timer() -> None:
    ws = FakeWebSocket()
    liveness = _Liveness(cast(WebSocketResponse, ws), LIMIT)
    liveness.cancel()
    # Past the limit, three times over, nothing closed it.
    done = asyncio.Event()
    asyncio.get_running_loop().call_later(3 * LIMIT, done.set)
    await done.wait()
    assert not ws.closed.is_set()


async def test_a_handshake_the_client_gave_up_on_is_dropped_quietly(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """The 101 cannot be written (the client's connection closed on a train): no traceback,
    an answer aiohttp drops quietly, and the Engine.IO socket closed as a lost connection."""
    async def closing(self: WebSocketResponse, request: Any) -> None:
        raise ConnectionResetError("Cannot write to closing transport")

    monkeypatch.setattr(WebSocketResponse, "prepare", closing)
    closed: list[str] = []

    class Socket(AsyncSocket):  # type: ignore[misc]
        def __init__(self) -> None:
            self.connected = False

        async def close(self, wait: bool = True, abort: bool = False,
                        reason: Any = None) -> None:
            closed.append(reason)

        async def handle(self, ws: Any) -> None:  # engineio's websocket handler
            raise AssertionError("not served")

    server = SimpleNamespace(max_http_buffer_size=1_000, reason=AsyncServer.reason)
    ws = UncompressedWebSocket(Socket().handle, server)
    with caplog.at_level(logging.DEBUG):
        answer = await ws({"aiohttp.request": SimpleNamespace(transport=None)})
    assert isinstance(answer, Response) and answer.status == 400
    assert closed == [AsyncServer.reason.TRANSPORT_ERROR]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
