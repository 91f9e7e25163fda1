"""The /bench namespace, enabled only by the `bench_echo` setting: the floors our chat path is
compared with in bench/signaling.py (same server, JSON module and transport), with the same
contract as the Node reference server (bench/node/server.mjs):

- `echo` acks its payload;
- `join` puts the socket in a room;
- `send_message` sends the frames of the chat path with none of its work (no validation,
  rights, storage or state): the message numbered in memory goes out as `message_created` to
  its conversation's room, then the ack carries its seq."""

from __future__ import annotations

import time
from typing import Any

from .server import AisleServer

BENCH_NS = "/bench"


def install(sio: AisleServer) -> None:
    last_seq: dict[str, int] = {}

    async def echo(_sid: str, data: Any = None) -> Any:
        return data

    async def join(sid: str, room: Any = None) -> dict[str, Any]:
        await sio.enter_room(sid, str(room), namespace=BENCH_NS)
        return {"ok": True}

    async def send_message(sid: str, msg: Any = None) -> dict[str, Any]:
        if not isinstance(msg, dict):
            return {"ok": False, "error": {"code": "bad_request"}}
        room = str(msg.get("conversation_id"))
        seq = last_seq[room] = last_seq.get(room, 0) + 1
        await sio.emit("message_created", {
            "conversation_id": room, "seq": seq, "ts": int(time.time() * 1000),
            "type": "message_created", "actor": {"kind": "visitor", "id": sid, "name": None},
            "data": {"client_id": msg.get("client_id"), "text": msg.get("text")},
        }, room=room, namespace=BENCH_NS)
        return {"ok": True, "data": {"seq": seq}}

    sio.on("echo", echo, namespace=BENCH_NS)
    sio.on("join", join, namespace=BENCH_NS)
    sio.on("send_message", send_message, namespace=BENCH_NS)
