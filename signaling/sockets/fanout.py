"""Delivery to rooms without a task per recipient.

python-socketio 5.18's `AsyncManager.emit` encodes an event once, then starts one task per
recipient and waits for them all: for a chat message (the agent's socket and the visitor's) the
tasks cost more than the writing. Here each recipient served by `transport.serve_websocket`
gets the frames put in its outbox in turn, which never suspends (a slow reader's copy waits in
its own buffer): a binary event's placeholder and attachments too, so that it keeps its place
among the events sent before and after it (a co-browse batch, then the sharing's end). The
others (one on long-polling, an event with a callback) go the usual way, concurrently, so a
slow reader delays nobody else's copy."""

from __future__ import annotations

import asyncio
from typing import Any

import socketio
from socketio import packet as sio_packet

from .transport import EngineServer


class DirectManager(socketio.AsyncManager):  # type: ignore[misc]
    async def emit(self, event: str, data: Any, namespace: str, room: Any = None,
                   skip_sid: Any = None, callback: Any = None, to: Any = None,
                   **kwargs: Any) -> None:
        eio = self.server.eio
        if callback is not None or not isinstance(eio, EngineServer):
            await super().emit(event, data, namespace, room=room, skip_sid=skip_sid,
                               callback=callback, to=to, **kwargs)
            return
        room = to or room
        if namespace not in self.rooms:
            return
        if isinstance(data, tuple):
            args = [event, *data]
        elif data is not None:
            args = [event, data]
        else:
            args = [event]
        packet = self.server.packet_class(sio_packet.EVENT, namespace=namespace, data=args)
        encoded = packet.encode()
        # One Engine.IO message, or a binary event's placeholder and its attachments.
        pieces = [encoded] if isinstance(encoded, str) else encoded
        skip = set(skip_sid) if isinstance(skip_sid, list) else {skip_sid}
        later: list[asyncio.Task[Any]] = []
        for sid, eio_sid in self.get_participants(namespace, room):
            if sid in skip:
                continue
            if eio.served_here(eio_sid):
                for piece in pieces:
                    await eio.send(eio_sid, piece)  # put in its outbox, in order: never waits
            else:
                later.append(asyncio.create_task(self.server._send_packet(eio_sid, packet)))
        if later:
            await asyncio.wait(later)
