"""The same store code on PostgreSQL: migrations, a whole conversation, concurrent appends, the
log-replay invariant and the report's queries, against a private PostgreSQL server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from signaling.conversation_state import replay
from signaling.errors import Conflict
from signaling.protocol.common import Conversation
from signaling.store.database import head_revision
from tests.conftest import ServerFactory
from tests.integration.flows import accepted_chat, send
from tests.integration.harness import AckError
from tests.integration.test_review import api
from tests.services import postgres_server

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


async def test_a_conversation_on_postgresql(make_server: ServerFactory, pg_url: str) -> None:
    server = await make_server(database_url=pg_url)
    assert server.aisle.store.engine.dialect.name == "postgresql"
    widget, console, conv, agent = await accepted_chat(server)
    seqs = await asyncio.gather(*[send(widget, conv["id"], f"m{i}") for i in range(15)],
                                *[send(console, conv["id"], f"a{i}") for i in range(15)])
    assert len(set(seqs)) == 30
    retry = await send(widget, conv["id"], "once", client_id="same")
    assert retry == await send(widget, conv["id"], "once", client_id="same")
    await console.call("end_conversation", {"conversation_id": conv["id"]})
    await widget.call("rate_conversation", {"conversation_id": conv["id"], "rating": 5})
    store = server.aisle.store
    events = await store.conversations.events_after(conv["id"], 0, agent_view=True)
    state = await store.conversations.get(conv["id"])
    assert isinstance(state, Conversation)
    assert replay(events) == state
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    async with server.http.get(server.url + "/readyz") as resp:
        assert (await resp.json())["schema"] == head_revision()
    # The report's queries (JSON in the log, grouped) run the same here.
    boss = await server.add_agent("boss", role="supervisor", teams=())
    report = await api(server, boss, "GET", "/api/v1/reports")
    assert report["totals"]["answered"] == 1 and report["first_response"]["count"] == 1
    assert report["csat"]["average"] == 5
    # And the agents' time: the agent is still signed in, and held the chat a while.
    (row,) = [a for a in report["agents"] if a["agent_id"] == agent.id]
    assert row["time"]["online_s"] > 0 and row["time"]["chats_at_once"] == 1.0
    # So do the recordings search's (a JSON path two levels deep: who took a conversation).
    found = await api(server, boss, "GET", f"/api/v1/recordings?agent={state.agent_id}")
    assert [r["conversation_id"] for r in found["recordings"]] == [conv["id"]]


async def test_the_console_search_on_postgresql(make_server: ServerFactory, pg_url: str) -> None:
    """The same matching as on SQLite: JSON text, LIKE's characters as written, case aside
    beyond ASCII."""
    server = await make_server(database_url=pg_url)
    widget, console, conv, _ = await accepted_chat(server)
    await widget.call("identify", {"name": "Élodie Ørsted"})
    await send(widget, conv["id"], "Size 2_3, c:\\temp, 100% ÜBER")
    for text, hit in (("élodie", True), ("ØRSTED", True), ("2_3", True), ("2%3", False),
                      ("c:\\temp", True), ("100%", True), ("über", True), ("zz", False)):
        result = await console.call("search_conversations", {"text": text})
        assert [c["id"] for c in result["conversations"]] == ([conv["id"]] if hit else []), text


def test_cli_migrate_on_postgresql(tmp_path: Path, pg_url: str) -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "signaling.cli", "migrate", "--data-dir",
                          str(tmp_path), "--database-url", pg_url], capture_output=True,
                         text=True, timeout=60, check=True)
    assert out.stdout.strip() == "schema is up to date"


async def test_simultaneous_saves_of_one_shortcut_store_one(make_server: ServerFactory,
                                                            pg_url: str) -> None:
    """On PostgreSQL two saves can both pass the check for a taken shortcut before either
    commits; the unique index stops the second, which is told the shortcut is taken."""
    server = await make_server(database_url=pg_url)
    agent = await server.add_agent("racer", teams=("support",))
    saves = await asyncio.gather(*[server.aisle.store.canned.save(
        canned_id=None, agent_id=agent.id, team=None, shortcut="race", text=f"text {i}")
        for i in range(6)], return_exceptions=True)
    assert sum(not isinstance(s, Exception) for s in saves) == 1
    assert all(isinstance(s, Conflict) and "/race is taken already" in str(s)
               for s in saves if isinstance(s, Exception))
    visible = await server.aisle.store.canned.visible_to(agent.id, ["support"])
    assert [c.shortcut for c in visible] == ["race"]


async def test_a_database_that_refuses_writes_is_said_so(make_server: ServerFactory,
                                                         pg_url: str) -> None:
    """PostgreSQL turned read-only under the server (a standby after a failover): messages are
    refused as `storage_unavailable`, /readyz answers 503, and all is well once it takes writes
    again."""
    server = await make_server(database_url=pg_url)
    widget, console, conv, _ = await accepted_chat(server)
    engine = server.aisle.store.engine

    async def read_only(on: bool) -> None:
        async with engine.begin() as conn:
            await conn.exec_driver_sql("SET TRANSACTION READ WRITE")  # (when it is read-only)
            name = (await conn.exec_driver_sql("SELECT current_database()")).scalar()
            await conn.exec_driver_sql(f'ALTER DATABASE "{name}" SET '
                                       f"default_transaction_read_only = {'on' if on else 'off'}")
        await engine.dispose()  # new connections take the database's setting

    await read_only(True)
    try:
        with pytest.raises(AckError) as refused:
            await send(widget, conv["id"], "Is it in stock?")
        assert refused.value.code == "storage_unavailable"
        async with server.http.get(server.url + "/readyz") as resp:
            assert resp.status == 503 and (await resp.json())["error"] == "writes_failing"
    finally:
        await read_only(False)
    await send(widget, conv["id"], "Is it in stock?")
    async with server.http.get(server.url + "/readyz") as resp:
        assert resp.status == 200
