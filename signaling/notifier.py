"""Delivery to Socket.IO rooms. Rooms in /agent: `agt:<id>` (an agent's sockets), `team:<name>`,
`supervisors`, `cnv:<id>` (agents in or observing a conversation). Rooms in /visitor:
`vis:<id>` (a visitor's tabs), `site:<id>`, `cnv:<id>`. Fan-out between nodes is the
Socket.IO client manager's job (in-memory, or Redis in a cluster)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import socketio

from .protocol.base import Model
from .protocol.events import AGENT_ONLY, EventBase

AGENT_NS = "/agent"
VISITOR_NS = "/visitor"


def agent_room(agent_id: str) -> str:
    return f"agt:{agent_id}"


def team_room(team: str) -> str:
    return f"team:{team}"


def conversation_room(conversation_id: str) -> str:
    return f"cnv:{conversation_id}"


def visitor_room(visitor_id: str) -> str:
    return f"vis:{visitor_id}"


def site_room(site_id: str) -> str:
    return f"site:{site_id}"


SUPERVISORS = "supervisors"


def wire(model: Model) -> dict[str, Any]:
    """Python mode: bytes stay bytes, which Socket.IO sends as binary attachments."""
    return model.model_dump(mode="python")


class Notifier:
    def __init__(self, sio: socketio.AsyncServer) -> None:
        self.sio = sio

    async def log_events(self, events: Iterable[EventBase]) -> None:
        for event in events:
            payload = wire(event)
            room = conversation_room(event.conversation_id)
            await self.sio.emit(event.type, payload, room=room, namespace=AGENT_NS)
            if event.type not in AGENT_ONLY:
                await self.sio.emit(event.type, payload, room=room, namespace=VISITOR_NS)

    async def agents(self, room: str, event: str, payload: Model,
                     skip_sid: str | None = None) -> None:
        await self.sio.emit(event, wire(payload), room=room, namespace=AGENT_NS,
                            skip_sid=skip_sid)

    async def visitors(self, room: str, event: str, payload: Model,
                       skip_sid: str | None = None) -> None:
        await self.sio.emit(event, wire(payload), room=room, namespace=VISITOR_NS,
                            skip_sid=skip_sid)

    def sids(self, room: str, namespace: str) -> list[str]:
        """This node's sockets in a room."""
        return [sid for sid, _ in self.sio.manager.get_participants(namespace, room)]

    async def enter(self, from_room: str, to_room: str, namespace: str) -> None:
        """Put every socket of `from_room` (e.g. an agent's) into `to_room` too."""
        for sid in self.sids(from_room, namespace):
            await self.sio.enter_room(sid, to_room, namespace=namespace)

    async def leave(self, from_room: str, to_room: str, namespace: str) -> None:
        for sid in self.sids(from_room, namespace):
            await self.sio.leave_room(sid, to_room, namespace=namespace)

    async def close(self, room: str, namespace: str) -> None:
        """Every socket leaves the room (nothing more will be said in it)."""
        await self.sio.close_room(room, namespace=namespace)
