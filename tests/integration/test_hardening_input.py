"""Input a browser can send that the server used to misread: lone UTF-16 surrogates, events named
like python-socketio's own, pages that are not web addresses, JSON bodies under another media
type."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import orjson
import pytest

from tests.conftest import ServerFactory
from tests.integration.flows import accepted_chat, send, start
from tests.integration.harness import AckError, Server
from tests.integration.test_bad_input import _raw_visitor

# ---- lone surrogates ----------------------------------------------------------------------


async def test_text_with_a_lone_surrogate_is_stored_with_a_replacement_character(
        make_server: ServerFactory) -> None:
    """JSON.stringify("\\ud83d") is valid JSON (python-socketio's client writes it the same
    way); the message goes through with U+FFFD, and what is stored can be written again."""
    server = await make_server(errors_before_disconnect=3)
    widget, console, conv, _ = await accepted_chat(server)
    texts = ["cut \ud83d", "\udc00 low", "pair \ud83d\ude00 ok", "\ud83d\ud83d"]
    for i in range(5):  # more than errors_before_disconnect: none counts as garbage
        for text in texts:
            ack = await widget.ack("send_message", {"conversation_id": conv["id"],
                                                    "client_id": f"s{i}{text}", "text": text},
                                   timeout=5)
            assert ack["ok"] is True, ack
    expected = ["cut \ufffd", "\ufffd low", "pair \U0001f600 ok", "\ufffd\ufffd"]
    seen = await console.wait_for("message_created", count=len(texts))
    assert seen["data"]["text"] == expected[-1]
    history = await console.call("get_history", {"conversation_id": conv["id"]})
    stored = [e["data"]["text"] for e in history["events"] if e["type"] == "message_created"]
    assert stored[1:5] == expected
    orjson.dumps(history)  # Unicode again: nothing left that orjson cannot write
    assert widget.sio.connected
    # A key too, and a payload that is still wrong is answered as such.
    profile = await widget.call("set_context", {"context": {"note\udc00": "a\ud800"}})
    assert profile["context"] == {"note\ufffd": "a\ufffd"}
    ack = await widget.ack("send_message", {"conversation_id": conv["id"], "client_id": "x",
                                            "text": "\ud83d", "extra": 1}, timeout=5)
    assert ack["error"]["code"] == "invalid_payload"


async def test_a_lone_surrogate_in_a_binary_event_is_read_too(server: Server) -> None:
    """Events with attachments are read by python-socketio, through the same decoder."""
    async with aiohttp.ClientSession() as http:
        ws, _ = await _raw_visitor(server, http)
        await ws.send_str('451-/visitor,7["identify",{"name":"Dana \\ud83d",'
                          '"email":{"_placeholder":true,"num":0}}]')
        await ws.send_bytes(b"\x01")
        answer = await asyncio.wait_for(ws.receive(), 10)
        assert answer.data.startswith('43/visitor,7[{"ok":false,"error":{"code":'
                                      '"invalid_payload"'), answer.data
        await ws.close()


async def test_garbage_that_only_mentions_a_surrogate_is_still_garbage(server: Server) -> None:
    async with aiohttp.ClientSession() as http:
        ws, _ = await _raw_visitor(server, http)
        for frame in ['42/visitor,1["send_message",{"text":"\\ud83d"',  # cut short
                      '42/visitor,2[NaN,"\\ud800"]',  # NaN is no JSON
                      '42/visitor,3["identify",{"n":1' + "0" * 30 + ',"x":"\\ud800"}]']:
            await ws.send_str(frame)
        await ws.send_str('42/visitor,4["get_availability"]')
        answer = await asyncio.wait_for(ws.receive(), 10)
        assert answer.data.startswith('43/visitor,4[{"ok":true'), answer.data  # no other ack
        await ws.close()


# ---- reserved event names -----------------------------------------------------------------


async def test_reserved_event_names_are_unknown_events(server: Server) -> None:
    widget, console, conv, _ = await accepted_chat(server)
    async with aiohttp.ClientSession() as http:
        ws, _ = await _raw_visitor(server, http)
        for i, args in enumerate(['"disconnect"', '"connect",{},{"token":"x"}', '"*"',
                                  '"*","drop_tables",{}'], start=1):
            await ws.send_str(f'42/visitor,{i}[{args}]')
        # With an attachment the packet takes python-socketio's path: the same answer.
        await ws.send_str('451-/visitor,5["disconnect",{"_placeholder":true,"num":0}]')
        await ws.send_bytes(b"\x01")
        await ws.send_str('42/visitor,6["get_availability"]')
        acks: dict[int, Any] = {}
        while len(acks) < 6:
            message = await asyncio.wait_for(ws.receive(), 10)
            head, _, body = message.data.partition("[")
            acks[int(head.removeprefix("43/visitor,"))] = json.loads("[" + body)[0]
        for i in range(1, 6):
            assert acks[i]["error"]["code"] == "unknown_event", (i, acks[i])
        assert acks[6]["ok"] is True  # still connected
        await ws.close()
    seq = await send(widget, conv["id"], "still here")
    await console.wait_for("message_created", lambda e: e["seq"] == seq)
    assert not console.events("presence_changed")  # no fake disconnect reached anyone


# ---- page addresses -----------------------------------------------------------------------

NOT_WEB_PAGES = ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
                 "data:text/html,<script>alert(1)</script>", "vbscript:x", "file:///etc/passwd",
                 "/cart", "//evil.example/", "http://", "https:evil.example",
                 "http://shop/\njavascript:x"]


async def test_only_http_and_https_pages_are_accepted(make_server: ServerFactory) -> None:
    server = await make_server(errors_before_disconnect=100)
    widget, _ = await server.visitor()
    for url in NOT_WEB_PAGES:
        with pytest.raises(AckError) as err:
            await widget.call("page_view", {"url": url, "title": "x"})
        assert err.value.code == "invalid_payload", url
    for url in ("https://shop.example/cart?x=1#top", "HTTP://shop/cart"):
        profile = await widget.call("page_view", {"url": url, "title": "Cart"})
        assert profile["current_page"]["url"] == url
    assert [p["url"] for p in profile["pages_visited"]] == ["https://shop.example/cart?x=1#top",
                                                            "HTTP://shop/cart"]
    with pytest.raises(AckError) as err:
        await start(widget, page_url="javascript:alert(document.cookie)")
    assert err.value.code == "invalid_payload"
    conv = await start(widget, page_url="https://shop.example/cart")
    assert conv["id"]


# ---- REST media type ----------------------------------------------------------------------


async def test_rest_bodies_must_be_sent_as_json(server: Server) -> None:
    boss = await server.add_agent("boss", role="supervisor", teams=())
    body = json.dumps({"login": boss.login, "password": boss.password})
    for content_type in ("text/plain", "application/x-www-form-urlencoded",
                         "multipart/form-data; boundary=x", "application/octet-stream", ""):
        headers = {"Content-Type": content_type} if content_type else {}
        async with server.http.post(server.url + "/api/v1/login", data=body,
                                    headers=headers) as resp:
            assert resp.status == 415, content_type
            assert resp.content_type == "application/json"
            error = (await resp.json())["error"]
            assert error["code"] == "unsupported_media_type", content_type
    for content_type in ("application/json", "application/json; charset=utf-8",
                         "Application/JSON"):
        async with server.http.post(server.url + "/api/v1/login", data=body,
                                    headers={"Content-Type": content_type}) as resp:
            assert resp.status == 200, content_type
    # The widget's call, refused with the CORS header the page needs to read why.
    async with server.http.post(server.url + "/api/v1/visitor-sessions",
                                data=json.dumps({"site_key": "demo"}),
                                headers={"Origin": server.origin,
                                         "Content-Type": "text/plain"}) as resp:
        assert resp.status == 415
        assert resp.headers["Access-Control-Allow-Origin"] == server.origin
    # Every handler reading a body: the rule is read_model's.
    auth = {"Authorization": f"Bearer {boss.token}", "Content-Type": "text/plain"}
    async with server.http.post(server.url + "/api/v1/teams", data='{"name": "returns"}',
                                headers=auth) as resp:
        assert resp.status == 415
    assert "returns" not in await server.aisle.store.agents.list_teams()
    # A lone surrogate reads as on sockets: U+FFFD (here: no such site), not "not JSON".
    async with server.http.post(server.url + "/api/v1/visitor-sessions",
                                data='{"site_key": "demo\\ud83d"}',
                                headers={"Origin": server.origin,
                                         "Content-Type": "application/json"}) as resp:
        assert resp.status == 404, await resp.text()
    async with server.http.post(server.url + "/api/v1/login", data='{"login": ',
                                headers={"Content-Type": "application/json"}) as resp:
        assert resp.status == 400
        assert (await resp.json())["error"]["message"] == "the body is not JSON"
    # No body at all is still an empty object.
    async with server.http.patch(server.url + f"/api/v1/accounts/{boss.id}",
                                 headers={"Authorization": f"Bearer {boss.token}"}) as resp:
        assert resp.status == 200


# ---- teams --------------------------------------------------------------------------------


async def test_a_team_differing_only_in_case_is_refused_on_rest(server: Server) -> None:
    boss = await server.add_agent("boss", role="supervisor", teams=())
    for name in ("Support", "SALES"):
        async with server.http.post(server.url + "/api/v1/teams", json={"name": name},
                                    headers={"Authorization": f"Bearer {boss.token}"}) as resp:
            assert resp.status == 409, name
            assert (await resp.json())["error"]["code"] == "conflict"
    assert await server.aisle.store.agents.list_teams() == ["billing", "sales", "support"]
