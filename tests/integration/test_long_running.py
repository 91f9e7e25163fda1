"""What a server that runs for weeks keeps of what is over: nothing. Found by a soak of
thousands of conversations (each leak here grew by one entry per conversation or connection)."""

from __future__ import annotations

from signaling.notifier import AGENT_NS, conversation_room
from tests.conftest import ServerFactory
from tests.integration.flows import accepted_chat
from tests.integration.harness import until


async def test_consoles_leave_an_ended_conversations_room_after_hearing_its_rating(
        make_server: ServerFactory) -> None:
    server = await make_server(ended_room_s=1.0)
    widget, console, conv, _ = await accepted_chat(server)
    room = conversation_room(conv["id"])
    notifier = server.aisle.dispatcher._notifier
    assert notifier.sids(room, AGENT_NS) == [console.sio.get_sid("/agent")]
    await console.call("end_conversation", {"conversation_id": conv["id"]})
    await widget.call("rate_conversation", {"conversation_id": conv["id"], "rating": 5})
    rated = await console.wait_for("conversation_rated")
    assert rated["data"]["rating"] == 5
    await until(lambda: notifier.sids(room, AGENT_NS) == [], what="the console to leave")


async def test_a_call_still_ringing_when_its_conversation_ends_is_forgotten(
        make_server: ServerFactory) -> None:
    server = await make_server()
    widget, console, conv, _ = await accepted_chat(server)
    await widget.call("start_call", {"conversation_id": conv["id"], "media": "audio",
                                     "record": True})
    calls = server.aisle.calls
    assert len(calls._consent) == 1  # the shopper's answer about recording, kept while it rings
    await console.call("end_conversation", {"conversation_id": conv["id"]})
    await until(lambda: not calls._consent, what="the ringing call's consent to go")


async def test_a_connection_that_sent_garbage_and_left_leaves_no_count_behind(
        make_server: ServerFactory) -> None:
    server = await make_server()
    widget, _ = await server.visitor()
    guard = server.aisle.sio.guard
    await widget.sio.eio.send("not a Socket.IO packet")
    await until(lambda: any(k.startswith("eio:") for k in guard._buckets),
                what="the malformed frame to be counted")
    await widget.close()
    await until(lambda: not any(k.startswith("eio:") for k in guard._buckets),
                what="the count to be forgotten")
