"""An acked message is a stored message: the server acks `send_message` only after its group
commit, so SIGKILLing it in the middle of a burst of sends loses none of the messages it acked.
After a restart on the same data dir every acked message is in the log once, at the seq its ack
gave, the log's seqs have no hole, and the agent's `resume` returns them."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from signaling.store.schema import conversation_events
from tests.integration.flows import accepted_chat
from tests.integration.harness import start_server
from tests.integration.remote import attach, ready, serve
from tests.services import free_port

SENDS = 3000
KILL_AFTER = 300


@pytest.mark.slow
async def test_no_acked_message_is_lost_when_the_server_is_killed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    setup = await start_server(data)  # prepares the data dir (site, teams), then goes away
    await setup.close()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    quiet = {"AISLE_LOG_LEVEL": "WARNING", "AISLE_EVENTS_PER_SECOND": "100000",
             "AISLE_EVENTS_BURST": "100000"}
    proc = serve(data, port, **quiet)
    try:
        await ready(url, proc)
        server = await attach(url, data)
        widget, console, conv, agent = await accepted_chat(server)
        cid = conv["id"]
        acked: dict[str, int] = {}
        enough = asyncio.Event()

        def on_ack(client_id: str) -> Callable[[dict[str, Any]], None]:
            def record(ack: dict[str, Any]) -> None:
                if ack.get("ok"):
                    acked[client_id] = ack["data"]["seq"]
                if len(acked) >= KILL_AFTER:
                    enough.set()
            return record

        # Pipelined, not one at a time: the server holds a backlog of sends in every stage
        # (read, queued for the group commit, being committed, acked) when it is killed.
        for i in range(SENDS):
            client_id = f"m{i}"
            await widget.sio.emit("send_message", {
                "conversation_id": cid, "client_id": client_id, "text": f"message {i}"},
                namespace=widget.namespace, callback=on_ack(client_id))
        await asyncio.wait_for(enough.wait(), 60)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        await server.close()
        assert len(acked) >= KILL_AFTER

        proc = serve(data, port, **quiet)
        await ready(url, proc)
        server = await attach(url, data)
        async with server.store.read() as conn:
            rows = (await conn.execute(
                sa.select(conversation_events.c.seq, conversation_events.c.client_id,
                          conversation_events.c.type)
                .where(conversation_events.c.conversation_id == cid)
                .order_by(conversation_events.c.seq))).all()
        seqs = [r.seq for r in rows]
        assert seqs == list(range(1, len(seqs) + 1))  # no hole, no repeat
        stored = {r.client_id: r.seq for r in rows if r.type == "message_created"}
        missing = {c: s for c, s in acked.items() if stored.get(c) != s}
        assert not missing, f"{len(missing)} acked messages lost or moved: {list(missing)[:5]}"
        messages = [r.client_id for r in rows if r.type == "message_created"]
        assert len(messages) == len(set(messages))

        # And through the protocol: the agent's resume returns every acked message.
        console = await server.agent_client(agent)
        resumed = await console.call("resume", {"conversation_id": cid, "after_seq": 0})
        texts = {e["data"]["text"] for e in resumed["events"] if e["type"] == "message_created"}
        for client_id in acked:
            assert f"message {client_id[1:]}" in texts
        await server.close()
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
