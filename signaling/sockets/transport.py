"""Engine.IO's websocket transport, served directly on aiohttp.

python-engineio 4.15 runs each websocket through a general loop (`AsyncSocket._websocket_handler`)
that costs, per message received, a task and an `asyncio.wait_for` (a second task and a timer),
and per message sent a queue hand-off to a writer task with one more `wait_for`: together about
half of the server's CPU for a small acked event. A connection that opens directly on the
websocket transport (all of ours: the widget and the console ask for websocket only) is served
here instead:

- frames are read with `WebSocketResponse.receive()` and a `4…` message goes straight to
  python-socketio's handler, one at a time per connection (as python-socketio runs them);
- liveness is one timer per connection, re-armed only when it fires: a peer silent for
  `ping_interval + ping_timeout` is closed (what engineio's per-read timeout did);
- messages to the client are framed at once and gathered into one write per turn of the loop,
  in the order they were sent, without waiting for a slow reader (`EngineServer.send` and
  `outbox.Outbox`; `fanout.DirectManager` for rooms, without python-socketio's task per
  recipient); Engine.IO's own packets (open, ping, noop, close) still go through the socket's
  queue, written by a small task after what was gathered, which also closes the websocket
  after a close packet.

A connection that starts on long-polling and upgrades keeps engineio's loop. Everything else
(the handshake, pings, the socket table, disconnects) is python-engineio's own."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

import engineio
from aiohttp import WSCloseCode, WSMsgType
from aiohttp.web import WebSocketResponse
from engineio import packet as eio_packet
from engineio.async_socket import AsyncSocket
from engineio.exceptions import SocketIsClosedError, UnknownPacketError

from ..logs import RateLimitedLog
from .outbox import BINARY, TEXT, Outbox

log = logging.getLogger(__name__)
_errors = RateLimitedLog(log)

_DATA_FRAMES = (WSMsgType.TEXT, WSMsgType.BINARY)


@dataclass(frozen=True, slots=True)
class Direct:
    """A connection served by `serve_websocket`: engineio's socket, its websocket, and the
    messages to it gathered for the transport underneath."""

    socket: AsyncSocket
    ws: WebSocketResponse
    outbox: Outbox


class EngineServer(engineio.AsyncServer):  # type: ignore[misc]
    """python-engineio's server, writing messages straight to the websockets served here."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Engine.IO sid → its connection while served by `serve_websocket`.
        self.direct: dict[str, Direct] = {}

    async def going_away(self) -> None:
        """The server is shutting down: every connection served here is closed now ("going
        away"), not left to its ping timeout, so its client reconnects at once (to the server
        when it is back) and the shutdown does not wait on it."""
        async def close(entry: Direct) -> None:
            entry.outbox.flush()
            with contextlib.suppress(ConnectionError, RuntimeError):
                await entry.ws.close(code=WSCloseCode.GOING_AWAY,
                                     message=b"server shutting down")

        await asyncio.gather(*(close(entry) for entry in list(self.direct.values())))

    def served_here(self, sid: str) -> bool:
        """True when `sid` is served by `serve_websocket`: sending to it never waits (the
        message is put in the connection's outbox, in order)."""
        return sid in self.direct

    async def send(self, sid: str, data: Any) -> None:
        entry = self.direct.get(sid)
        if entry is None:
            await super().send(sid, data)
            return
        if entry.socket.closed or entry.socket.closing:
            return
        if isinstance(data, str):
            entry.outbox.put(("4" + data).encode(), TEXT)
        else:
            entry.outbox.put(data, BINARY)

    async def send_packet(self, sid: str, pkt: eio_packet.Packet) -> None:
        if pkt.packet_type == eio_packet.MESSAGE and sid in self.direct:
            await self.send(sid, pkt.data)
        else:
            await super().send_packet(sid, pkt)


class _Liveness:
    """Closes a websocket whose peer has sent nothing for `limit` seconds. The reader stamps
    `seen`; the timer looks at the stamp only when it fires, so a busy connection pays nothing
    per frame beyond reading the clock."""

    def __init__(self, ws: WebSocketResponse, limit: float) -> None:
        self._ws = ws
        self._limit = limit
        self._loop = asyncio.get_running_loop()
        self.seen = self._loop.time()
        self.expired = False
        self._closing: asyncio.Task[Any] | None = None
        self._timer = self._loop.call_later(limit, self._check)

    def stamp(self) -> None:
        self.seen = self._loop.time()

    def _check(self) -> None:
        idle = self._loop.time() - self.seen
        if idle >= self._limit:
            self.expired = True
            self._closing = self._loop.create_task(self._ws.close())
        else:
            self._timer = self._loop.call_later(self._limit - idle, self._check)

    def cancel(self) -> None:
        self._timer.cancel()


async def _write(ws: WebSocketResponse, pkt: eio_packet.Packet,
                 outbox: Outbox | None = None) -> None:
    if outbox is not None:
        outbox.flush()  # the messages before it go first
    encoded = pkt.encode()
    if isinstance(encoded, str):
        await ws.send_str(encoded)
    else:
        await ws.send_bytes(encoded)


async def _write_control(socket: AsyncSocket, ws: WebSocketResponse, outbox: Outbox) -> None:
    """Writes the packets engineio queues on the socket (open, pings, noop, close) until the
    reader ends (a `None`). After a close packet, or when writing fails, it closes the
    websocket, which ends the reader."""
    try:
        while True:
            pkt = await socket.queue.get()
            socket.queue.task_done()
            if pkt is None:
                return
            await _write(ws, pkt, outbox)
            if pkt.packet_type == eio_packet.CLOSE:
                break
    except (ConnectionError, RuntimeError):
        pass
    await ws.close()


async def serve_websocket(socket: AsyncSocket, ws: WebSocketResponse,
                          transport: asyncio.WriteTransport) -> None:
    """Serves an Engine.IO connection opened on the websocket transport until either side
    closes it. Malformed frames raise ValueError/TypeError/IndexError/UnicodeError to the
    caller, which closes the connection."""
    server: EngineServer = socket.server
    on_message = server.handlers.get("message")
    socket.connected = True
    socket.upgraded = True
    liveness = _Liveness(ws, server.ping_interval + server.ping_timeout)
    # The open packet is already queued: it must be the first frame, before any message.
    while not socket.queue.empty():
        pkt = socket.queue.get_nowait()
        socket.queue.task_done()
        if pkt is not None:
            await _write(ws, pkt)
    outbox = Outbox(ws, transport)
    writer = asyncio.ensure_future(_write_control(socket, ws, outbox))
    server.direct[socket.sid] = Direct(socket, ws, outbox)
    # Why it ended, for those who wait for a page to come back: a page that closed said so (a
    # close frame or packet); a connection that broke or fell silent did not (a train's tunnel).
    reason = server.reason.TRANSPORT_ERROR
    try:
        while True:
            msg = await ws.receive()
            if msg.type not in _DATA_FRAMES:
                # closed, closing or a protocol error (aiohttp enforces the size cap)
                if msg.type == WSMsgType.CLOSE:
                    reason = server.reason.CLIENT_DISCONNECT
                break
            liveness.stamp()
            data = msg.data
            if msg.type == WSMsgType.BINARY:
                pass  # a binary message (Engine.IO v4 sends those without a type prefix)
            elif data[:1] == "4":
                data = data[1:]
            else:
                try:
                    await socket.receive(eio_packet.Packet(encoded_packet=data))
                except UnknownPacketError:
                    pass
                except SocketIsClosedError:
                    reason = server.reason.CLIENT_DISCONNECT
                    break
                continue
            if on_message is None or socket.closed:
                continue
            try:
                await on_message(socket.sid, data)
            except Exception:  # one handler's bug must not end the connection
                _errors.warning("handler_error", "message handler error", exc_info=True)
    finally:
        server.direct.pop(socket.sid, None)
        liveness.cancel()
        await socket.queue.put(None)
        await writer
        # Whatever the writer left (it stopped after a close packet): answered, so that a
        # `close(wait=True)` waiting on the queue returns.
        while not socket.queue.empty():
            socket.queue.get_nowait()
            socket.queue.task_done()
        if liveness.expired:
            reason = server.reason.PING_TIMEOUT
        await socket.close(wait=False, abort=True, reason=reason)
