"""Migrations keep the data: down to the first revision that has conversations and back up,
through the same engine `aisle serve` uses (SQLite with foreign keys on), every row is still
there. A batch migration rebuilds its table; with foreign keys on, dropping the old table
would delete every row pointing at it (the log of every conversation, agents' teams)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from signaling.store import Store
from signaling.store.database import create_engine, migrate
from tests.integration.flows import accepted_chat, send
from tests.integration.harness import start_server

TABLES = ("conversations", "conversation_events", "agents", "agent_teams", "visitors")


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


async def test_down_and_up_again_keeps_every_row(tmp_path: Path) -> None:
    server = await start_server(tmp_path / "data")
    try:
        widget, console, conv, _ = await accepted_chat(server)
        await send(widget, conv["id"], "Is the blue mug back in stock?")
    finally:
        await server.close()
    db = tmp_path / "data" / "aisle.db"
    before = counts(db)
    assert before["conversation_events"] >= 4 and before["agent_teams"] >= 1
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    try:
        await migrate(engine, "0003", downgrade=True)  # through 0008 … 0004
        assert counts(db) == before
        await migrate(engine)
        assert counts(db) == before
        async with engine.connect() as conn:  # foreign keys are on again for the server
            assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1
    finally:
        await engine.dispose()


async def test_rows_already_pointing_at_nothing_do_not_stop_the_server(tmp_path: Path) -> None:
    """An agent deleted by hand with foreign keys off leaves its team rows behind: that is no
    reason for a later start (or migration) to refuse to run."""
    server = await start_server(tmp_path / "data")
    try:
        agent = await server.add_agent("kim", teams=("support", "sales"))
    finally:
        await server.close()
    db = tmp_path / "data" / "aisle.db"
    with sqlite3.connect(db) as conn:  # the sqlite3 shell's default: foreign keys off
        conn.execute("DELETE FROM agents WHERE id = ?", (agent.id,))
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    try:
        await migrate(engine)  # nothing to do: starts
        await migrate(engine, "0005", downgrade=True)
        await migrate(engine)  # a migration ran: the old dangling rows are not its doing
    finally:
        await engine.dispose()
    store = await Store.open(f"sqlite+aiosqlite:///{db}")  # what `aisle serve` does first
    await store.close()
