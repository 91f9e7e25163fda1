"""Bad input over Socket.IO and REST gets a clear error, the connection and the server survive,
other sessions and stored data are untouched, and a client that keeps at it is disconnected."""

from __future__ import annotations

import asyncio
import json
import logging

import aiohttp
import pytest

from tests.conftest import ServerFactory
from tests.integration.flows import accepted_chat, send
from tests.integration.harness import AckError, Server
from tests.integration.test_access import refused

BAD_PAYLOADS = [
    None,
    "a string",
    42,
    [1, 2, 3],
    {},
    {"conversation_id": 7, "client_id": "x", "text": "hi"},
    {"conversation_id": "../../etc", "client_id": "x", "text": "hi"},
    {"conversation_id": "cnv_x", "client_id": "x", "text": ""},
    {"conversation_id": "cnv_x", "client_id": "x", "text": "hi", "extra": True},
    {"conversation_id": "cnv_x", "client_id": "x" * 65, "text": "hi"},
    {"conversation_id": "cnv_x", "client_id": "x", "text": {"$gt": ""}},
]


async def test_malformed_payloads_get_invalid_payload_and_the_socket_survives(
        make_server: ServerFactory) -> None:
    server = await make_server(errors_before_disconnect=1000)
    widget, console, conv, _ = await accepted_chat(server)
    for payload in BAD_PAYLOADS:
        ack = await widget.ack("send_message", payload)
        assert ack["ok"] is False, payload
        assert ack["error"]["code"] == "invalid_payload", (payload, ack)
    ack = await widget.ack("send_message", {"conversation_id": conv["id"], "client_id": "x",
                                            "text": "y" * 4001})
    assert ack["error"]["code"] == "invalid_payload"
    assert ack["error"]["details"]["errors"][0]["loc"] == "text"
    # Still connected, still served; nothing bad was stored.
    seq = await send(widget, conv["id"], "still here")
    await console.wait_for("message_created", lambda e: e["seq"] == seq)
    history = await console.call("get_history", {"conversation_id": conv["id"]})
    assert [e["data"]["text"] for e in history["events"]
            if e["type"] == "message_created"] == ["Hello", "still here"]


async def test_unknown_events_are_refused(server: Server) -> None:
    widget, _ = await server.visitor()
    ack = await widget.ack("drop_tables", {"x": 1})
    assert ack == {"ok": False, "error": {"code": "unknown_event",
                                          "message": "no event 'drop_tables'"}}
    ack = await widget.ack("accept_offer", {"conversation_id": "cnv_x"})  # an agent's event
    assert ack["error"]["code"] == "unknown_event"


async def test_oversized_context_is_refused_and_state_kept(server: Server) -> None:
    widget, _ = await server.visitor()
    profile = await widget.call("set_context", {"context": {"cart_value": 129.5}})
    assert profile["context"] == {"cart_value": 129.5}
    with pytest.raises(AckError) as err:
        await widget.call("set_context", {"context": {"blob": "x" * 5000}})
    assert err.value.code == "too_large"
    profile = await widget.call("set_context", {"context": {"tier": "gold"}})
    assert profile["context"] == {"cart_value": 129.5, "tier": "gold"}


async def test_a_socket_that_keeps_sending_garbage_is_disconnected(
        make_server: ServerFactory) -> None:
    server = await make_server(errors_before_disconnect=5)
    widget, console, conv, _ = await accepted_chat(server)
    bad, _ = await server.visitor()
    for _ in range(5):
        ack = await bad.ack("send_message", {"nonsense": True})
        assert ack["error"]["code"] == "invalid_payload"
    closed = await bad.wait_for("session_closed")
    assert closed == {"reason": "too_many_errors"}
    await bad.wait_until(lambda: not bad.sio.connected)
    # Everyone else carries on.
    seq = await send(widget, conv["id"], "unaffected")
    await console.wait_for("message_created", lambda e: e["seq"] == seq)


async def test_event_floods_are_rate_limited(make_server: ServerFactory) -> None:
    server = await make_server(events_per_second=5, events_burst=5,
                               errors_before_disconnect=1000)
    widget, _ = await server.visitor()
    acks = await asyncio.gather(*[widget.ack("get_availability") for _ in range(20)])
    codes = [a["error"]["code"] if not a["ok"] else "ok" for a in acks]
    assert codes.count("ok") <= 6 and "rate_limited" in codes
    assert widget.sio.connected


async def test_raw_garbage_frames_do_not_hurt_the_server(
        server: Server, caplog: pytest.LogCaptureFixture) -> None:
    """Malformed Socket.IO packets straight on the websocket: the server closes that
    connection after a few, keeps serving others and logs no traceback per frame."""
    widget, console, conv, _ = await accepted_chat(server)
    frames = ['42["send_message",', '42[1,2,3]', '42' + "[" * 5000 + "]" * 5000, '4x', '42{}',
              '42["send_message",{"a":' + "1" * 100 + "}]", "\x00\xff", "43[]", '45-["x"]',
              '42/agent,["x"]', '40/nope,{}'] * 2
    async with aiohttp.ClientSession() as http, http.ws_connect(
            server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket") as ws:
        opened = await ws.receive()
        assert opened.data.startswith("0{")
        await ws.send_str('40/visitor,{"token":"bad"}')
        await ws.receive()  # connect_error
        for frame in frames:
            try:
                await ws.send_str(frame)
            except ConnectionResetError:
                break
        while not ws.closed:
            message = await asyncio.wait_for(ws.receive(), 10)
            if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                aiohttp.WSMsgType.ERROR):
                break
    seq = await send(widget, conv["id"], "server fine")
    await console.wait_for("message_created", lambda e: e["seq"] == seq)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    warnings = [r for r in caplog.records if "malformed" in r.getMessage()]
    assert 0 < len(warnings) <= 5  # rate-limited, not one per frame


async def test_rest_rejects_bad_bodies_clearly(server: Server) -> None:
    as_json = {"Content-Type": "application/json"}
    async with server.http.post(server.url + "/api/v1/login", data=b"{not json",
                                headers=as_json) as resp:
        assert resp.status == 400
        assert (await resp.json())["error"]["code"] == "invalid_payload"
    async with server.http.post(server.url + "/api/v1/login",
                                data=json.dumps({"login": "a", "password": "b" * 500}),
                                headers=as_json) as resp:
        assert (await resp.json())["error"]["code"] == "invalid_payload"
    async with server.http.post(server.url + "/api/v1/visitor-sessions",
                                data=b"x" * 100_000,
                                headers={"Origin": server.origin}) as resp:
        assert resp.status == 413
    async with server.http.get(server.url + "/api/v1/conversations/x/events?after=abc",
                               headers={"Authorization": "Bearer nope"}) as resp:
        assert resp.status == 401
    async with server.http.get(server.url + "/healthz") as resp:
        assert (await resp.json()) == {"status": "ok"}


async def _raw_visitor(server: Server, http: aiohttp.ClientSession
                       ) -> tuple[aiohttp.ClientWebSocketResponse, str]:
    """A visitor connected to /visitor over a bare websocket, and its Engine.IO sid."""
    token = (await server.visitor_session())["token"]
    ws = await http.ws_connect(server.url.replace("http", "ws")
                               + "/socket.io/?EIO=4&transport=websocket")
    opened = await ws.receive()
    eio_sid = json.loads(opened.data[1:])["sid"]
    await ws.send_str('40/visitor,' + json.dumps({"token": token}))
    assert (await ws.receive()).data.startswith("40/visitor,{")
    return ws, eio_sid


async def _until_closed(ws: aiohttp.ClientWebSocketResponse) -> list[str]:
    """Every text frame until the server closes the connection."""
    texts = []
    while not ws.closed:
        message = await asyncio.wait_for(ws.receive(), 10)
        if message.type == aiohttp.WSMsgType.TEXT:
            texts.append(message.data)
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                              aiohttp.WSMsgType.ERROR):
            break
    return texts


async def test_binary_packets_announcing_many_attachments_are_refused(server: Server) -> None:
    """Each announced attachment is a frame held until the last arrives: a packet announcing
    a billion would let one client fill the server's memory."""
    async with aiohttp.ClientSession() as http:
        ws, eio_sid = await _raw_visitor(server, http)
        for _ in range(12):
            await ws.send_str('4599999-/visitor,["x",{"_placeholder":true,"num":0}]')
            await ws.send_bytes(b"\x00" * 1000)
            assert eio_sid not in server.aisle.sio._binary_packet
        await _until_closed(ws)  # a bad packet each time: closed after ten
    # A packet with its one attachment still works (a co-browse batch is one).
    async with aiohttp.ClientSession() as http:
        ws, _ = await _raw_visitor(server, http)
        await ws.send_str('451-/visitor,7["get_availability",{"_placeholder":true,"num":0}]')
        await ws.send_bytes(b"\x01")
        answer = await asyncio.wait_for(ws.receive(), 10)
        assert answer.data.startswith("43/visitor,7[")  # refused by the schema, not dropped
        await ws.close()


async def test_clients_cannot_fire_the_servers_connect_or_disconnect(server: Server) -> None:
    """python-socketio runs the handler an event names, its own `connect` and `disconnect`
    included: a fake disconnect would reset the socket's limits and tell the agent it left."""
    widget, console, conv, _ = await accepted_chat(server)
    async with aiohttp.ClientSession() as http:
        ws, _ = await _raw_visitor(server, http)
        await ws.send_str('42/visitor,1["disconnect"]')
        await ws.send_str('42/visitor,2["connect",{},{"token":"x"}]')
        await ws.send_str('42/visitor,3["get_availability"]')
        for i in (1, 2):  # unknown events, like any other
            answer = await asyncio.wait_for(ws.receive(), 10)
            assert answer.data.startswith(f'43/visitor,{i}[{{"ok":false,"error":{{"code":'
                                          '"unknown_event"'), answer.data
        answer = await asyncio.wait_for(ws.receive(), 10)
        assert answer.data.startswith('43/visitor,3[{"ok":true')  # still connected
        for i in range(12):
            await ws.send_str(f'42/visitor,{10 + i}["disconnect"]')
        texts: list[str] = []  # errors, counted: the namespace is closed
        while not any(t.startswith("41/visitor,") for t in texts):
            texts.append((await asyncio.wait_for(ws.receive(), 10)).data)
        assert [t for t in texts if "session_closed" in t]
        await ws.close()
    seq = await send(widget, conv["id"], "still here")
    await console.wait_for("message_created", lambda e: e["seq"] == seq)
    assert not console.events("presence_changed")


async def test_numbers_out_of_range_and_odd_paths_get_clear_answers(
        server: Server, caplog: pytest.LogCaptureFixture) -> None:
    widget, console, conv, agent = await accepted_chat(server)
    boss = await server.add_agent("boss", role="supervisor", teams=())
    huge = "9" * 30
    for path, who in ((f"/api/v1/recordings?offset={huge}", boss),
                      (f"/api/v1/recordings?min_rating=-{huge}", boss),
                      (f"/api/v1/recordings?from={huge}", boss),
                      (f"/api/v1/conversations/{conv['id']}/events?after={huge}", agent),
                      (f"/api/v1/conversations/{conv['id']}/events?after=-1", agent)):
        async with server.http.get(server.url + path,
                                   headers={"Authorization": f"Bearer {who.token}"}) as resp:
            assert resp.status == 400, path
            assert (await resp.json())["error"]["code"] == "invalid_payload"
    for path in ("/review/%00", "/agent/%00", "/agent/" + "a" * 5000, "/review/x/" + "b" * 300):
        async with server.http.get(server.url + path) as resp:
            assert resp.status in (200, 404), path  # the app's own page, or not found
    async with server.http.get(server.url + "/demo/%00") as resp:
        assert resp.status == 404
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_context_nested_too_deeply_is_refused(server: Server) -> None:
    widget, _ = await server.visitor()
    nested: dict[str, object] = {}
    for _ in range(300):
        nested = {"a": nested}
    with pytest.raises(AckError) as err:
        await widget.call("set_context", {"context": {"deep": nested}})
    assert err.value.code == "invalid_payload"
    profile = await widget.call("set_context", {"context": {"tier": "gold"}})
    assert profile["context"] == {"tier": "gold"}


async def test_an_erased_visitors_token_is_refused(server: Server) -> None:
    boss = await server.add_agent("boss", role="supervisor", teams=())
    widget, session = await server.visitor()
    async with server.http.post(server.url + f"/api/v1/visitors/{session['visitor_id']}/erase",
                                headers={"Authorization": f"Bearer {boss.token}"}) as resp:
        assert resp.status == 200
    with pytest.raises(AckError) as err:
        await widget.call("identify", {"name": "Dana"})
    assert err.value.code == "not_found"
    with pytest.raises(AckError) as err:
        await widget.call("start_conversation", {"topic": "order", "client_id": "s1",
                                                 "message": "hello?"})
    assert err.value.code == "unauthorized"
    assert "no longer exists" in await refused(server, "/visitor", session["token"],
                                               origin=server.origin)
