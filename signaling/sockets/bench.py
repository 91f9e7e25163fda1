"""A bare `echo` event on /bench, enabled only by the `bench_echo` setting: the floor our chat
path is compared with in bench/signaling.py (same server, JSON module and transport)."""

from __future__ import annotations

from typing import Any

from .server import AisleServer

BENCH_NS = "/bench"


def install(sio: AisleServer) -> None:
    async def echo(_sid: str, data: Any = None) -> Any:
        return data

    sio.on("echo", echo, namespace=BENCH_NS)
