"""Faults the tests cause for real: a database that refuses writes as a full disk makes it."""

from __future__ import annotations

import asyncio
from typing import Any

import sqlalchemy as sa

from tests.integration.harness import Server

# The connect listeners set so far, one cap at a time.
_caps: list[Any] = []

async def page_cap(server: Server, pages: int | None) -> None:
    """SQLite's own "database or disk is full": a cap on the database's pages (`None`: the
    pages it has now) for every connection that writes, the log writer's and the pool's."""
    store = server.aisle.store
    writer = store.batch_writer
    assert writer is not None

    def cap() -> int:
        conn = writer._connection()
        limit = pages if pages is not None else conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {limit}")
        return int(limit)

    limit = await asyncio.get_running_loop().run_in_executor(writer._executor, cap)
    engine = store.engine.sync_engine
    for listener in [f for f in _caps if sa.event.contains(engine, "connect", f)]:
        sa.event.remove(engine, "connect", listener)

    def on_connect(dbapi_connection: Any, _: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {limit}")

    _caps.append(on_connect)
    sa.event.listen(engine, "connect", on_connect)
    await store.engine.dispose()  # pooled connections reconnect, capped

