"""sockets/transport.py: the liveness timer of a websocket served directly."""

from __future__ import annotations

import asyncio
from typing import Any, cast

from aiohttp.web import WebSocketResponse

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
