"""A database that refuses writes (a full disk) while it still answers reads: messages are
refused with an error, none is acked unstored, /readyz says the store is failing instead of
"ready", the log says what it is once; when there is room again, everything works."""

from __future__ import annotations

import logging
import socket
import sqlite3
from pathlib import Path

import pytest

from signaling.store.write_health import WriteHealth, is_storage_error
from tests.integration.faults import page_cap
from tests.integration.flows import accepted_chat, send
from tests.integration.harness import AckError, Server, start_server


async def _ready(server: Server) -> tuple[int, dict[str, object]]:
    async with server.http.get(server.url + "/readyz") as resp:
        return resp.status, await resp.json()


async def test_a_full_database_refuses_messages_and_says_so(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    server = await start_server(tmp_path / "data")
    try:
        widget, console, conv, _ = await accepted_chat(server)
        before = await send(widget, conv["id"], "Before the disk filled up")
        await page_cap(server, None)
        refused = 0
        with caplog.at_level(logging.ERROR, logger="signaling.store.write_health"):
            for i in range(40):  # until a message needs a page the database may not have
                try:
                    await send(widget, conv["id"], f"{i} " + "x" * 3000)
                except AckError as exc:
                    assert exc.code == "storage_unavailable", exc
                    refused += 1
                    break
        assert refused == 1
        status, body = await _ready(server)
        assert (status, body) == (503, {"status": "unavailable", "error": "writes_failing"})
        said = [r for r in caplog.records if "refuses writes" in r.getMessage()]
        assert said and {r.levelname for r in said} == {"ERROR"}
        assert "database or disk is full" in said[0].getMessage()

        await page_cap(server, 1_000_000)  # room again
        after = await send(widget, conv["id"], "After the disk was cleaned up")
        assert (await _ready(server))[0] == 200
        events = await server.aisle.store.conversations.events_after(conv["id"], 0,
                                                                     agent_view=True)
        seqs = [e.seq for e in events]
        assert seqs == list(range(1, len(seqs) + 1)) and before < after
    finally:
        await server.close()


async def test_what_is_a_storage_failure_and_what_is_a_bug(tmp_path: Path) -> None:
    """SQLite's own codes decide: a full database is the disk's failure; a statement naming a
    column or table that does not exist is our bug (it must not read as "disk full")."""
    conn = sqlite3.connect(tmp_path / "x.db")
    conn.execute("CREATE TABLE t (a TEXT)")
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    errors: list[sqlite3.Error] = []
    for sql in ("INSERT INTO t VALUES (zeroblob(100000))", "SELECT nope FROM t",
                "SELECT * FROM missing", "SELEC 1"):
        try:
            conn.execute(sql)
        except sqlite3.Error as exc:
            errors.append(exc)
    conn.close()
    assert [is_storage_error(e) for e in errors] == [True, False, False, False]
    # A PostgreSQL server that cannot be reached: the driver's errors come up raw.
    assert is_storage_error(ConnectionRefusedError(111, "Connection refused"))
    assert is_storage_error(socket.gaierror(-2, "Name or service not known"))
    assert not is_storage_error(ValueError("a bug"))
    now = [0.0]
    health = WriteHealth(clock=lambda: now[0])
    health.failed(errors[0])
    assert health.failing
    now[0] = 61.0  # nothing failed again since, nothing succeeded: not held against the store
    assert not health.failing
