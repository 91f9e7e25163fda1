"""The log is the truth: replaying a conversation's events gives exactly the state the API
returns, for conversations taken through every kind of flow."""

from __future__ import annotations

from typing import Any

from signaling.conversation_state import replay
from signaling.protocol.common import Conversation
from signaling.protocol.events import log_event_adapter
from signaling.store.appender import state_from_row
from signaling.store.schema import conversations
from tests.conftest import ServerFactory
from tests.integration.flows import accepted_chat, send, start
from tests.integration.harness import Server


async def fetch(server: Server, token: str,
                conversation_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    headers = {"Authorization": f"Bearer {token}"}
    async with server.http.get(f"{server.url}/api/v1/conversations/{conversation_id}",
                               headers=headers) as resp:
        state = await resp.json()
    async with server.http.get(f"{server.url}/api/v1/conversations/{conversation_id}/events",
                               headers=headers) as resp:
        events = (await resp.json())["events"]
    return state, events


async def test_replaying_the_log_gives_the_state_the_api_returns(
        make_server: ServerFactory) -> None:
    server = await make_server(offer_timeout_s=0.3, agent_grace_s=0.3, decline_cooldown_s=0.2)
    boss = await server.add_agent("boss", role="supervisor", teams=("support", "billing"))
    ids = []

    # 1. chat, read receipts, a supervisor observes and joins, transfer, end, rating.
    widget, console, conv, agent = await accepted_chat(server)
    ids.append(conv["id"])
    seq = await send(widget, conv["id"], "hi")
    await console.call("mark_read", {"conversation_id": conv["id"], "up_to_seq": seq})
    await send(console, conv["id"], "note", event="send_note")
    bc = await server.agent_client(boss)
    await bc.call("observe", {"conversation_id": conv["id"]})
    await bc.call("join_conversation", {"conversation_id": conv["id"]})
    await console.call("transfer", {"conversation_id": conv["id"], "to_team": "billing",
                                    "note": "refund"})
    await bc.wait_for("offer_received")
    await bc.call("accept_offer", {"conversation_id": conv["id"]})
    await bc.call("end_conversation", {"conversation_id": conv["id"]})
    await widget.call("rate_conversation", {"conversation_id": conv["id"], "rating": 3})

    # 2. declined, then timed out, then taken; the agent drops and it is requeued.
    w2, _ = await server.visitor()
    c2 = await start(w2)
    ids.append(c2["id"])
    first = await console.wait_for("offer_received", lambda d: d["conversation"]["id"] == c2["id"])
    await console.call("decline_offer", {"conversation_id": first["conversation"]["id"]})
    await console.wait_for("offer_received", lambda d: d["conversation"]["id"] == c2["id"],
                           count=2)
    await console.wait_for("offer_withdrawn", lambda d: d["reason"] == "timeout")
    third = await console.wait_for("offer_received",
                                   lambda d: d["conversation"]["id"] == c2["id"], count=3)
    await console.call("accept_offer", {"conversation_id": third["conversation"]["id"]})
    await console.close()
    await w2.wait_for("agent_left")

    # 3. an offline message answered and closed.
    w3, _ = await server.visitor()
    c3 = await start(w3, topic="buying", message="Do you have size 46?")
    ids.append(c3["id"])
    await send(bc, c3["id"], "Yes, in black.")
    await bc.call("end_conversation", {"conversation_id": c3["id"]})

    for conversation_id in ids:
        state, events = await fetch(server, boss.token, conversation_id)
        replayed = replay(log_event_adapter.validate_python(e) for e in events)
        assert replayed == Conversation.model_validate(state), conversation_id
        assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
        # The stored row too, not only the state kept in memory (the group commit writes only
        # the columns an event changed).
        async with server.aisle.store.read() as conn:
            row = (await conn.execute(conversations.select().where(
                conversations.c.id == conversation_id))).one()
        assert state_from_row(row) == replayed, conversation_id
