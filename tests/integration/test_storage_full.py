"""A database that refuses writes (a full disk) while it still answers reads: messages are
refused with an error, none is acked unstored, /readyz says the store is failing instead of
"ready", the log says what it is once; when there is room again, everything works."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

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
        assert status == 503 and body["error"] == "writes_failing"
        assert "full" in str(body["detail"])
        said = [r for r in caplog.records if "refuses writes" in r.getMessage()]
        assert said and {r.levelname for r in said} == {"ERROR"}
        assert "is the disk full?" in said[0].getMessage()

        await page_cap(server, 1_000_000)  # room again
        after = await send(widget, conv["id"], "After the disk was cleaned up")
        assert (await _ready(server))[0] == 200
        events = await server.aisle.store.conversations.events_after(conv["id"], 0,
                                                                     agent_view=True)
        seqs = [e.seq for e in events]
        assert seqs == list(range(1, len(seqs) + 1)) and before < after
    finally:
        await server.close()
