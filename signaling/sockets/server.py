"""The Socket.IO server: python-socketio on aiohttp, websocket transport, orjson, no
per-message deflate (co-browse chunks are compressed by the page already; deflating every small
chat frame halves throughput), and malformed packets counted against their socket instead of
logging a traceback each."""

from __future__ import annotations

import asyncio
import inspect
import logging
from typing import Any

import orjson
import socketio
from aiohttp.web import Response, WebSocketResponse
from engineio.async_drivers import aiohttp as eio_aiohttp
from engineio.async_socket import AsyncSocket
from socketio import packet as sio_packet

from ..logs import RateLimitedLog
from ..settings import Settings
from .events import Event, ack_frame, loads, parse_event
from .fanout import DirectManager
from .guard import SocketGuard
from .transport import EngineServer, serve_websocket

log = logging.getLogger(__name__)


class OrjsonModule:
    """The `json` module python-socketio encodes packets with."""

    @staticmethod
    def dumps(obj: Any, **_: Any) -> str:
        return orjson.dumps(obj).decode()

    @staticmethod
    def loads(data: str | bytes, **_: Any) -> Any:
        return loads(data)


_bad_frames = RateLimitedLog(log)

# Names a client's event can never run: python-socketio's own `connect` and `disconnect` (a
# client could rerun its connect with an environ of its own, or reset its limits with a fake
# disconnect) and the catch-all's. They are unknown events like any other.
RESERVED_EVENTS = frozenset({"connect", "disconnect", "*"})


class OrjsonPacket(sio_packet.Packet):  # type: ignore[misc]
    """A Socket.IO packet serialized once by orjson. python-socketio first walks the whole
    payload looking for bytes, then serializes it; orjson refuses bytes, which answers the
    same question as a by-product of the serializing that has to happen anyway."""

    json = OrjsonModule

    def __init__(self, packet_type: int = sio_packet.EVENT, data: Any = None,
                 namespace: str | None = None, id: int | None = None,
                 binary: bool | None = None, encoded_packet: Any = None) -> None:
        self._json: str | None = None
        if encoded_packet is None and binary is None and data is not None \
                and packet_type in (sio_packet.EVENT, sio_packet.ACK):
            try:
                self._json = orjson.dumps(data).decode()
                binary = False
            except TypeError:  # bytes inside: a binary event, encoded the usual way
                binary = True
        super().__init__(packet_type, data, namespace, id, binary, encoded_packet)

    def encode(self) -> Any:
        if self._json is None or self.packet_type not in (sio_packet.EVENT, sio_packet.ACK):
            return super().encode()
        head = str(self.packet_type)
        if self.namespace is not None and self.namespace != "/":
            head += self.namespace + ","
        if self.id is not None:
            head += str(self.id)
        return head + self._json


class UncompressedWebSocket(eio_aiohttp.WebSocket):  # type: ignore[misc]
    """python-engineio's aiohttp websocket, declining permessage-deflate (python-engineio 4.15
    has no option for it; its driver calls `WebSocketResponse(max_msg_size=…)`), and serving a
    connection opened on the websocket with `transport.serve_websocket`. A frame that is
    not even an Engine.IO packet ends the connection with one rate-limited warning instead of a
    traceback per connection in aiohttp's log."""

    async def __call__(self, environ: dict[str, Any]) -> WebSocketResponse | Response:
        request = environ["aiohttp.request"]
        self._sock = WebSocketResponse(max_msg_size=self.server.max_http_buffer_size,
                                       compress=False)
        socket = getattr(self.handler, "__self__", None)
        try:
            await self._sock.prepare(request)
        except ConnectionError:
            # The client gave up on the handshake before the answer could go (a dead spot on
            # a train): nothing to serve, nothing worth a traceback per attempt.
            log.debug("websocket handshake abandoned by the client")
            if isinstance(socket, AsyncSocket):
                await socket.close(wait=False, abort=True,
                                   reason=self.server.reason.TRANSPORT_ERROR)
            return Response(status=400, text="the connection closed during the handshake")
        self.environ = environ
        try:
            if isinstance(socket, AsyncSocket) and not socket.connected \
                    and request.transport is not None:  # opened on the websocket
                await serve_websocket(socket, self._sock, request.transport)
            else:
                await self.handler(self)  # an upgrade from long-polling: engineio's loop
        except (ValueError, TypeError, IndexError, UnicodeError) as exc:
            _bad_frames.warning("bad_frame", "malformed Engine.IO frame: %s",
                                type(exc).__name__)
            await self._sock.close()
        return self._sock


class AisleServer(socketio.AsyncServer):  # type: ignore[misc]
    """Counts packets that do not parse against their connection and closes it after too
    many, where python-socketio would log a traceback for each (python-socketio 5.18.1,
    `AsyncServer._handle_eio_message`). The common event packet is read and acked directly
    (`events.py`)."""

    def __init__(self, guard: SocketGuard, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.guard = guard
        self._bad_packets = RateLimitedLog(log)

    async def _handle_event_directly(self, eio_sid: str, event: Event) -> bool:
        """Runs the handler of an event read by `events.parse_event` and acks its result, as
        python-socketio would; an unknown or reserved name goes to the namespace's catch-all.
        False when python-socketio must (no handler at all, a plain function)."""
        handlers = self.handlers.get(event.namespace, {})
        handler = None if event.name in RESERVED_EVENTS else handlers.get(event.name)
        catch_all = handler is None
        if catch_all:
            handler = handlers.get("*")
        if handler is None or not inspect.iscoroutinefunction(handler):
            return False
        sid = self.manager.sid_from_eio_sid(eio_sid, event.namespace)
        if sid is None or not self.manager.is_connected(sid, event.namespace):
            return True  # python-socketio ignores it too
        try:
            result = await (handler(event.name, sid, *event.args) if catch_all
                            else handler(sid, *event.args))
        except asyncio.CancelledError:
            result = None
        if event.ack_id is None or result is self.not_handled:
            return True
        frame = ack_frame(event.namespace, event.ack_id, result)
        if frame is not None:
            await self.eio.send(eio_sid, frame)
        else:  # bytes inside: binary attachments
            data = [] if result is None else list(result) if isinstance(result, tuple) \
                else [result]
            await self._send_packet(eio_sid, self.packet_class(
                sio_packet.ACK, namespace=event.namespace, id=event.ack_id, data=data))
        return True

    def _engineio_server_class(self) -> type[EngineServer]:
        return EngineServer

    async def _handle_event(self, eio_sid: str, namespace: str | None, id: int | None,
                            data: Any) -> None:
        # python-socketio 5.18 runs the handler named by any event, reserved names included.
        if not isinstance(data, list) or not data:
            raise ValueError("a missing event name")
        if isinstance(data[0], str) and data[0] in RESERVED_EVENTS:
            event = Event(namespace or "/", id, data[0], data[1:])
            if not await self._handle_event_directly(eio_sid, event):
                raise ValueError("a reserved event name")
            return
        await super()._handle_event(eio_sid, namespace, id, data)

    async def _handle_eio_disconnect(self, eio_sid: str, reason: Any) -> None:
        await super()._handle_eio_disconnect(eio_sid, reason)
        self.guard.forget(f"eio:{eio_sid}")  # its malformed frames, counted below

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        try:
            if isinstance(data, str) and data[:1] in ("5", "6") \
                    and _attachments(data) > MAX_ATTACHMENTS:
                # Each announced attachment is a frame the server must hold until the last:
                # an unbounded count is unbounded memory.
                raise ValueError("too many binary attachments")
            if isinstance(data, str) and eio_sid not in self._binary_packet:
                event = parse_event(data)
                if event is not None and await self._handle_event_directly(eio_sid, event):
                    return
            await super()._handle_eio_message(eio_sid, data)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError,
                RecursionError, orjson.JSONDecodeError) as exc:
            self._bad_packets.warning("bad_packet", "malformed Socket.IO packet: %s",
                                      type(exc).__name__)
            if self.guard.record_error(f"eio:{eio_sid}"):
                self.guard.forget(f"eio:{eio_sid}")
                await self.eio.disconnect(eio_sid)


# Binary attachments one packet may announce (ours carry one: a co-browse batch's bytes).
MAX_ATTACHMENTS = 8


def _attachments(data: str) -> int:
    """The attachment count a binary event or ack packet (`51-/visitor,…`) announces."""
    dash = data.find("-", 1, 24)
    digits = data[1:dash] if dash > 1 else ""
    return int(digits) if digits.isascii() and digits.isdigit() else MAX_ATTACHMENTS + 1


def create_server(settings: Settings, guard: SocketGuard,
                  client_manager: socketio.AsyncManager | None = None) -> AisleServer:
    sio = AisleServer(
        guard,
        async_mode="aiohttp",
        client_manager=client_manager or DirectManager(),
        json=OrjsonModule,
        serializer=OrjsonPacket,
        # Engine.IO already runs each message in a task of its own: one more per event only
        # costs time.
        async_handlers=False,
        # Origins are checked per principal at connect (visitor tokens carry the store's origin).
        cors_allowed_origins="*",
        max_http_buffer_size=settings.max_socket_message_bytes,
        ping_interval=10,
        ping_timeout=10,
        logger=False,
        engineio_logger=False,
    )
    sio.eio._async = {**sio.eio._async, "websocket": UncompressedWebSocket}
    return sio
