"""The /bench namespace bench/signaling.py measures against Node's: off unless enabled, and with
the contract of bench/node/server.mjs (echo; join; send_message relayed to the room, then
acked with its seq)."""

import pytest
import socketio

from tests.conftest import ServerFactory


async def test_relay_sends_to_the_room_then_acks(make_server: ServerFactory) -> None:
    server = await make_server(bench_echo=True)
    sender, agent, other = [await server.connect("/bench", None) for _ in range(3)]
    assert await sender.ack("echo", {"x": [1, "two"]}) == {"x": [1, "two"]}
    for client, room in ((sender, "r1"), (agent, "r1"), (other, "r2")):
        assert await client.ack("join", room) == {"ok": True}

    for n in (1, 2):
        ack = await sender.ack("send_message", {"conversation_id": "r1", "client_id": f"c{n}",
                                                "text": f"hello {n}"})
        assert ack == {"ok": True, "data": {"seq": n}}
    for client in (sender, agent):  # the sender's room holds it too, as in the chat path
        got = await client.wait_for("message_created", lambda e: e["seq"] == 2)
        assert got["data"] == {"client_id": "c2", "text": "hello 2"}
        assert got["actor"]["kind"] == "visitor"
    assert await other.ack("send_message", {"conversation_id": "r2", "client_id": "o1",
                                            "text": "elsewhere"}) == {"ok": True,
                                                                      "data": {"seq": 1}}
    await other.wait_for("message_created")
    assert [e["conversation_id"] for e in other.events("message_created")] == ["r2"]
    assert await sender.ack("send_message", "not an object") == {
        "ok": False, "error": {"code": "bad_request"}}


async def test_off_unless_enabled(make_server: ServerFactory) -> None:
    server = await make_server()
    with pytest.raises(socketio.exceptions.ConnectionError):
        await server.connect("/bench", None)
