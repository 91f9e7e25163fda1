"""Migrations keep the data: down to the first revision that has conversations and back up,
through the same engine `aisle serve` uses (SQLite with foreign keys on), every row is still
there. A batch migration rebuilds its table; with foreign keys on, dropping the old table
would delete every row pointing at it (the log of every conversation, agents' teams)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from signaling.store import Store
from signaling.store.database import create_engine, migrate
from signaling.store.schema import metadata
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
        await migrate(engine, "0003", downgrade=True)  # through 0009 … 0004
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


async def test_the_migrations_build_the_schema_the_code_declares(tmp_path: Path) -> None:
    """Every table, column, index and constraint of `schema.py` is what the migrations made:
    a column or index declared in one and forgotten in the other fails here, not in production."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'aisle.db'}")
    try:
        await migrate(engine)
        async with engine.connect() as conn:
            drift = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), metadata))
    finally:
        await engine.dispose()
    assert drift == []


async def test_twin_shortcuts_saved_before_they_were_unique_are_renamed(tmp_path: Path) -> None:
    """0009 makes a shortcut unique per agent and per team by index; twins already stored keep
    the oldest as it was and number the others, skipping names that are taken."""
    server = await start_server(tmp_path / "data")
    try:
        agent = await server.add_agent("kim", teams=("support",))
        other = await server.add_agent("lee", teams=("support",))
    finally:
        await server.close()
    db = tmp_path / "data" / "aisle.db"
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    try:
        await migrate(engine, "0008", downgrade=True)
        rows = [("c1", agent.id, None, "wait", 1), ("c2", agent.id, None, "wait", 2),
                ("c3", agent.id, None, "wait-2", 3), ("c4", agent.id, None, "wait", 4),
                ("c5", other.id, None, "wait", 5), ("c6", None, "support", "wait", 6),
                ("c7", None, "support", "wait", 7), ("c8", agent.id, None, "x" * 32, 8),
                ("c9", agent.id, None, "x" * 32, 9)]
        with sqlite3.connect(db) as conn:
            conn.executemany("INSERT INTO canned_responses (id, agent_id, team, shortcut, text,"
                             " created_at) VALUES (?, ?, ?, ?, 'text', ?)", rows)
        await migrate(engine)
    finally:
        await engine.dispose()
    with sqlite3.connect(db) as conn:
        shortcuts = dict(conn.execute("SELECT id, shortcut FROM canned_responses").fetchall())
        assert shortcuts == {"c1": "wait", "c2": "wait-3", "c3": "wait-2", "c4": "wait-4",
                             "c5": "wait", "c6": "wait", "c7": "wait-2", "c8": "x" * 32,
                             "c9": "x" * 30 + "-2"}
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO canned_responses (id, agent_id, team, shortcut, text,"
                         " created_at) VALUES ('c10', ?, NULL, 'wait', 'text', 10)", (agent.id,))
