"""Chat: messages, notes, typing, read receipts, retries, history and resume."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from tests.integration.flows import accepted_chat, send, start
from tests.integration.harness import AckError, Server


async def test_messages_reach_everyone_in_the_conversation(server: Server) -> None:
    widget, console, conv, _ = await accepted_chat(server)
    seq = await send(widget, conv["id"], "Is the blue mug in stock?")
    got = await console.wait_for("message_created", lambda e: e["seq"] == seq)
    assert got["data"]["text"] == "Is the blue mug in stock?"
    assert got["actor"]["kind"] == "visitor"
    seq2 = await send(console, conv["id"], "Yes, 12 left.")
    got = await widget.wait_for("message_created", lambda e: e["seq"] == seq2)
    assert got["actor"] == {"kind": "agent", "id": got["actor"]["id"], "name": got["actor"]["name"]}
    assert seq2 > seq


async def test_a_retried_send_is_stored_once_with_the_same_seq(server: Server) -> None:
    widget, console, conv, _ = await accepted_chat(server)
    first = await send(widget, conv["id"], "hello", client_id="retry-1")
    again = await send(widget, conv["id"], "hello", client_id="retry-1")
    assert first == again
    history = await console.call("get_history", {"conversation_id": conv["id"]})
    texts = [e["data"]["text"] for e in history["events"] if e["type"] == "message_created"]
    assert texts.count("hello") == 1


async def test_internal_notes_never_reach_the_visitor(server: Server) -> None:
    widget, console, conv, _ = await accepted_chat(server)
    note_seq = await send(console, conv["id"], "VIP, be nice", event="send_note")
    msg_seq = await send(console, conv["id"], "Hi there")
    await widget.wait_for("message_created", lambda e: e["seq"] == msg_seq)
    assert not widget.events("note_created")
    resumed = await widget.call("resume", {"conversation_id": conv["id"], "after_seq": 0})
    assert note_seq not in [e["seq"] for e in resumed["events"]]
    assert all(e["type"] != "note_created" for e in resumed["events"])
    history = await console.call("get_history", {"conversation_id": conv["id"]})
    assert any(e["type"] == "note_created" for e in history["events"])
    with pytest.raises(AckError) as err:
        await widget.call("send_note", {"conversation_id": conv["id"], "client_id": "x",
                                        "text": "sneaky"})
    assert err.value.code == "unknown_event"


async def test_typing_is_relayed_and_not_logged(server: Server) -> None:
    widget, console, conv, _ = await accepted_chat(server)
    before = (await console.call("get_conversation", {"conversation_id": conv["id"]}))["last_seq"]
    await widget.call("typing", {"conversation_id": conv["id"], "typing": True})
    got = await console.wait_for("typing_changed")
    assert got == {"conversation_id": conv["id"], "side": "visitor", "typing": True, "name": None,
                   "agent_id": None}
    await console.call("typing", {"conversation_id": conv["id"], "typing": True})
    got = await widget.wait_for("typing_changed")
    assert got["side"] == "agent" and got["name"]
    after = (await console.call("get_conversation", {"conversation_id": conv["id"]}))["last_seq"]
    assert after == before


async def test_read_receipts_are_logged_up_to_a_seq(server: Server) -> None:
    widget, console, conv, _ = await accepted_chat(server)
    seq = await send(console, conv["id"], "Your order shipped")
    await widget.call("mark_read", {"conversation_id": conv["id"], "up_to_seq": seq})
    read = await console.wait_for("messages_read")
    assert read["data"] == {"side": "visitor", "up_to_seq": seq}
    state = await console.call("get_conversation", {"conversation_id": conv["id"]})
    assert state["visitor_read_seq"] == seq
    # Reading again up to the same point changes nothing; beyond the end is refused.
    await widget.call("mark_read", {"conversation_id": conv["id"], "up_to_seq": seq})
    assert len(console.events("messages_read")) == 1
    with pytest.raises(AckError) as err:
        await widget.call("mark_read", {"conversation_id": conv["id"], "up_to_seq": seq + 50})
    assert err.value.code == "invalid_payload"


async def test_history_pages_backwards(server: Server) -> None:
    widget, console, conv, _ = await accepted_chat(server)
    for i in range(12):
        await send(widget, conv["id"], f"m{i}")
    page = await widget.call("get_history", {"conversation_id": conv["id"], "limit": 5})
    assert [e["data"]["text"] for e in page["events"]] == [f"m{i}" for i in range(7, 12)]
    assert page["has_more"]
    older = await widget.call("get_history", {"conversation_id": conv["id"], "limit": 5,
                                              "before_seq": page["events"][0]["seq"]})
    assert [e["data"]["text"] for e in older["events"]] == [f"m{i}" for i in range(2, 7)]


async def test_resume_after_a_dropped_connection_loses_and_doubles_nothing(
        server: Server) -> None:
    widget, console, conv, _ = await accepted_chat(server)
    seen: dict[int, str] = {}
    for i in range(3):
        seq = await send(console, conv["id"], f"before {i}")
        event = await widget.wait_for("message_created", seq_is(seq))
        seen[event["seq"]] = event["data"]["text"]
    last = max(seen)
    await widget.close()
    # While the visitor is away the agent keeps writing.
    missed = [await send(console, conv["id"], f"while away {i}") for i in range(4)]
    # The visitor comes back in a new socket (its old token still valid) and resumes.
    back = await server.connect("/visitor", widget.token, headers={"Origin": server.origin})
    resumed = await back.call("resume", {"conversation_id": conv["id"], "after_seq": last})
    for event in resumed["events"]:
        assert event["seq"] not in seen  # nothing doubled
        seen[event["seq"]] = event["data"].get("text", "")
    assert set(missed) <= set(seen)  # nothing lost
    seqs = [e["seq"] for e in resumed["events"]]
    assert seqs == sorted(seqs)
    # Live delivery continues on the new socket.
    seq = await send(console, conv["id"], "welcome back")
    await back.wait_for("message_created", lambda e: e["seq"] == seq)


def seq_is(seq: int) -> Callable[[dict[str, Any]], bool]:
    return lambda event: bool(event["seq"] == seq)


async def test_concurrent_sends_get_distinct_increasing_seqs(server: Server) -> None:
    widget, console, conv, _ = await accepted_chat(server)
    seqs = await asyncio.gather(*[send(widget, conv["id"], f"burst {i}") for i in range(20)])
    assert len(set(seqs)) == 20
    # (the opening message came before the agent joined: it reads that one with resume)
    await console.wait_until(lambda: len(console.events("message_created")) >= 20)
    delivered = [e["seq"] for e in console.events("message_created")]
    assert delivered == sorted(delivered)  # in seq order


async def test_a_client_that_starts_on_long_polling_chats_like_the_others(
        server: Server) -> None:
    # Our front ends open the websocket directly (served by sockets/transport.py); a client
    # that starts on long-polling and upgrades takes python-engineio's own loop.
    agent = await server.add_agent(teams=("support",))
    console = await server.connect("/agent", agent.token, transports=["polling", "websocket"])
    session = await server.visitor_session()
    widget = await server.connect("/visitor", session["token"],
                                  headers={"Origin": server.origin},
                                  transports=["polling", "websocket"])
    conv = await start(widget)
    await console.wait_for("offer_received", lambda d: d["conversation"]["id"] == conv["id"])
    await console.call("accept_offer", {"conversation_id": conv["id"]})
    seqs = [await send(widget, conv["id"], f"question {i}") for i in range(3)]
    got_seqs = []
    for _ in seqs:
        event = await console.wait_for("message_created",
                                       lambda e: e["seq"] in seqs and e["seq"] not in got_seqs)
        got_seqs.append(event["seq"])
    assert sorted(got_seqs) == seqs
    answer = await send(console, conv["id"], "answer")
    got = await widget.wait_for("message_created", lambda e: e["seq"] == answer)
    assert got["data"]["text"] == "answer"


async def test_card_numbers_are_masked_before_they_are_stored_or_sent(server: Server) -> None:
    widget, console, conv, _ = await accepted_chat(server)
    card = "4242 4242 4242 4242"
    seq = await send(widget, conv["id"], f"my card is {card} exp 12/27")
    got = await console.wait_for("message_created", lambda e: e["seq"] == seq)
    assert got["data"]["text"] == "my card is •••• 4242 exp 12/27"
    mine = await widget.wait_for("message_created", lambda e: e["seq"] == seq)
    assert mine["data"]["text"] == got["data"]["text"]
    await send(console, conv["id"], "Never write 5555-5555-5555-4444 here")
    await send(console, conv["id"], "She sent 4000056655665556 too", event="send_note")
    await console.call("end_conversation", {"conversation_id": conv["id"]})
    await widget.call("rate_conversation", {"conversation_id": conv["id"], "rating": 4,
                                            "comment": "you asked for 4000 0566 5566 5556?"})
    history = await console.call("get_history", {"conversation_id": conv["id"]})
    written = [e["data"].get("text") or e["data"].get("comment") for e in history["events"]
               if e["type"] in ("message_created", "note_created", "conversation_rated")]
    assert written[1:] == ["my card is •••• 4242 exp 12/27", "Never write •••• 4444 here",
                           "She sent •••• 5556 too", "you asked for •••• 5556?"]
    # Nor do the digits reach the database file.
    for path in server.settings.data_dir.glob("*.db*"):
        raw = path.read_bytes()
        for digits in (b"4242424242424242", b"4242 4242 4242 4242", b"5555-5555", b"40000566"):
            assert digits not in raw, (path, digits)
