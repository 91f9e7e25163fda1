"""The group commit (store/appender.py) with several requests for one conversation in a batch:
the stored row is the state the log replays to, and a retried client id is stored once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from signaling.conversation_state import replay
from signaling.protocol.common import Actor, Conversation
from signaling.store import Store
from signaling.store.appender import NewEvent, state_from_row
from signaling.store.schema import conversations

SYSTEM = Actor(kind="system", id="system")
AGENT = Actor(kind="agent", id="agt_1", name="Ann")


async def stored_state(store: Store, conversation_id: str) -> Conversation:
    """The row as stored, not the state kept in memory."""
    async with store.read() as conn:
        row = (await conn.execute(
            conversations.select().where(conversations.c.id == conversation_id))).one()
    return state_from_row(row)


async def test_a_batch_with_many_requests_for_one_conversation(tmp_path: Path) -> None:
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'aisle.db'}")
    try:
        site = await store.sites.create(key="s", name="S", allowed_origins=["self"], settings={})
        visitor = await store.visitors.create(site.id)
        cid = "cnv_batch"
        requests = [
            [NewEvent("conversation_started", {"topic": "order", "team": "support",
                                               "visitor_id": visitor.id, "site_id": site.id},
                      SYSTEM)],
            *[[NewEvent("message_created", {"client_id": f"m{i}", "text": f"hello {i}"},
                        AGENT, f"m{i}")] for i in range(3)],
            # Reads that change another column between messages that change only the seq.
            [NewEvent("messages_read", {"side": "agent", "up_to_seq": 2}, AGENT)],
            [NewEvent("message_created", {"client_id": "m3", "text": "x"}, AGENT, "m3")],
            [NewEvent("messages_read", {"side": "agent", "up_to_seq": 6}, AGENT)],
            [NewEvent("message_created", {"client_id": "m4", "text": "y"}, AGENT, "m4")],
        ]
        # Queued together: one writer task takes them as one batch (or a few).
        results = await asyncio.gather(*(store.conversations.append(cid, r) for r in requests))
        assert [r.events[0].seq for r in results] == list(range(1, len(requests) + 1))
        assert await stored_state(store, cid) == results[-1].state
        # Then a batch holding a retry of m1 beside new messages: the retry keeps its seq.
        again = await asyncio.gather(
            store.conversations.append(cid, [NewEvent(
                "message_created", {"client_id": "m5", "text": "z"}, AGENT, "m5")]),
            store.conversations.append(cid, [NewEvent(
                "message_created", {"client_id": "m1", "text": "hello 1"}, AGENT, "m1")]),
            store.conversations.append(cid, [NewEvent("messages_read", {
                "side": "visitor", "up_to_seq": 3}, SYSTEM)]))
        assert again[1].events[0].seq == 3 and not again[1].created

        events = await store.conversations.events_after(cid, 0, agent_view=True)
        assert [e.seq for e in events] == list(range(1, 11))
        stored = await stored_state(store, cid)
        assert stored == replay(events)
        assert (stored.last_seq, stored.agent_read_seq, stored.visitor_read_seq) == (10, 6, 3)
    finally:
        await store.close()
