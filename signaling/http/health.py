"""Liveness and readiness: /healthz answers while the process serves; /readyz checks that the
store answers, and that its last write did not fail (a full disk fails writes, not reads)."""

from __future__ import annotations

import sqlalchemy as sa
from aiohttp import web

from ..store import Store
from ..store.database import current_revision


def routes(store: Store) -> list[web.RouteDef]:
    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_: web.Request) -> web.Response:
        try:
            async with store.read() as conn:
                await conn.execute(sa.text("SELECT 1"))
                revision = await current_revision(conn)
        except Exception as exc:  # any failure of the store means "not ready"
            return web.json_response({"status": "unavailable", "error": type(exc).__name__},
                                     status=503)
        if store.write_health.failing:  # what fails is in the log, not on this open endpoint
            return web.json_response({"status": "unavailable", "error": "writes_failing"},
                                     status=503)
        return web.json_response({"status": "ready", "schema": revision})

    return [web.get("/healthz", healthz), web.get("/readyz", readyz)]
