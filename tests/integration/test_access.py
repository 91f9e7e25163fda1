"""Authentication at the handshake and rights on every conversation a request names."""

from __future__ import annotations

import time

import aiohttp
import jwt
import pytest
import socketio
import sqlalchemy as sa

from signaling.settings import load_secret
from signaling.store.schema import visitors
from tests.integration.flows import accepted_chat, send, start
from tests.integration.harness import AckError, Server


async def refused(server: Server, namespace: str, token: object,
                  origin: str | None = None) -> str:
    """The refusal's message, as the client's connect_error handler receives it."""
    client = socketio.AsyncClient(reconnection=False)
    reasons: list[object] = []

    async def on_error(data: object = None) -> None:
        reasons.append(data)

    client.on("connect_error", on_error, namespace=namespace)
    headers = {"Origin": origin} if origin else {}
    with pytest.raises(socketio.exceptions.ConnectionError):
        await client.connect(server.url, namespaces=[namespace], transports=["websocket"],
                             auth={"token": token}, headers=headers, wait_timeout=5)
    await client.disconnect()
    assert reasons and isinstance(reasons[0], dict), reasons
    assert reasons[0]["data"]["code"] == "unauthorized"
    return str(reasons[0]["message"])


async def test_visitor_sessions_check_the_site_and_origin(
        server: Server, caplog: pytest.LogCaptureFixture) -> None:
    await server.post("/api/v1/visitor-sessions", {"site_key": "nope"},
                      headers={"Origin": server.origin}, expect=404)
    body = await server.post("/api/v1/visitor-sessions", {"site_key": "demo"},
                             headers={"Origin": "https://evil.example"}, expect=403)
    assert body["error"]["code"] == "forbidden"
    # Anyone can send as many origins, as long, as they like.
    for i in range(50):
        await server.post("/api/v1/visitor-sessions", {"site_key": "demo"},
                          headers={"Origin": f"https://evil{i}.example/" + "x" * 4000},
                          expect=403)
    # The page sees a failed request; whoever runs the server reads why, a few times a minute
    # per site, the origin cut short.
    said = [r.getMessage() for r in caplog.records if "not an allowed origin" in r.getMessage()]
    assert said[0] == ("widget refused on https://evil.example: not an allowed origin of the "
                       "site demo (aisle sites set demo --origin …, or the Sites page)")
    assert len(said) == 3 and all(len(m) < 300 for m in said), said
    await server.post("/api/v1/visitor-sessions", {"site_key": "demo"}, expect=403)
    await server.post("/api/v1/visitor-sessions", {"site_key": "demo", "extra": 1},
                      headers={"Origin": server.origin}, expect=400)
    # A store origin allowed by its site gets CORS for its page to read the answer.
    site = await server.aisle.store.sites.create(
        key="shop2", name="Shop 2", allowed_origins=["https://shop2.example"],
        settings={"topics": []})
    async with server.http.post(server.url + "/api/v1/visitor-sessions",
                                json={"site_key": site.key},
                                headers={"Origin": "https://shop2.example"}) as resp:
        assert resp.status == 200
        assert resp.headers["Access-Control-Allow-Origin"] == "https://shop2.example"


async def test_a_forged_visitor_key_gets_a_new_visitor(server: Server) -> None:
    first = await server.visitor_session()
    forged = await server.visitor_session(visitor_key=first["visitor_key"][:-4] + "AAAA")
    assert forged["visitor_id"] != first["visitor_id"]
    same = await server.visitor_session(visitor_key=first["visitor_key"])
    assert same["visitor_id"] == first["visitor_id"]


async def test_a_visitor_key_lapses_after_a_long_absence(server: Server) -> None:
    """Each visit renews the key the browser keeps; one unused for `visitor_key_ttl_days` is
    refused and the browser starts as a new visitor. A key from before keys lapsed (no `exp`)
    is still taken, and exchanged for one that lapses."""
    first = await server.visitor_session()
    claims = jwt.decode(first["visitor_key"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == server.aisle.settings.visitor_key_ttl_days * 86400
    secret = server.aisle.tokens._secret
    legacy = jwt.encode({k: v for k, v in claims.items() if k not in ("iat", "exp")}, secret,
                        algorithm="HS256")
    renewed = await server.visitor_session(visitor_key=legacy)
    assert renewed["visitor_id"] == first["visitor_id"]
    assert "exp" in jwt.decode(renewed["visitor_key"], options={"verify_signature": False})
    lapsed = jwt.encode({**claims, "iat": claims["iat"] - 400 * 86400,
                         "exp": claims["iat"] - 35 * 86400}, secret, algorithm="HS256")
    stranger = await server.visitor_session(visitor_key=lapsed)
    assert stranger["visitor_id"] != first["visitor_id"]
    # A key from before keys lapsed lapses by its visitor's last visit.
    async with server.aisle.store.write() as conn:
        await conn.execute(sa.update(visitors).where(visitors.c.id == first["visitor_id"])
                           .values(last_seen_at=int(time.time() - 400 * 86400) * 1000))
    cache = server.aisle.store.visitors._cache
    if cache is not None:
        cache.clear()  # (profiles are cached in memory on one node; the row changed under it)
    gone = await server.visitor_session(visitor_key=legacy)
    assert gone["visitor_id"] not in (first["visitor_id"], stranger["visitor_id"])


async def test_handshakes_without_valid_tokens_are_refused(server: Server) -> None:
    agent = await server.add_agent()
    session = await server.visitor_session()
    assert "required" in await refused(server, "/agent", None)
    assert "not valid" in await refused(server, "/agent", "garbage")
    assert "not an agent" in await refused(server, "/agent", session["token"])
    assert "not a visitor" in await refused(server, "/visitor", agent.token)
    # A visitor token only works from the origin it was issued for.
    assert "another origin" in await refused(server, "/visitor", session["token"],
                                             origin="https://evil.example")
    # The console's socket only from Aisle's own origin.
    assert "own origin" in await refused(server, "/agent", agent.token,
                                         origin="https://evil.example")
    # The long-lived visitor key is not a session token.
    assert "not a session token" in await refused(server, "/visitor", session["visitor_key"])
    secret = load_secret(server.settings)
    expired = jwt.encode({"sub": agent.id, "kind": "agent", "exp": int(time.time()) - 5},
                         secret, algorithm="HS256")
    assert "expired" in await refused(server, "/agent", expired)
    forged = jwt.encode({"sub": agent.id, "kind": "agent", "exp": int(time.time()) + 60},
                        "not-the-secret-but-32-bytes-long-x", algorithm="HS256")
    assert "not valid" in await refused(server, "/agent", forged)


async def test_tokens_refresh_before_expiry(server: Server) -> None:
    agent = await server.add_agent()
    console = await server.agent_client(agent)
    fresh = await console.call("refresh_token", {})
    assert fresh["expires_at"] > time.time() * 1000
    again = await server.connect("/agent", fresh["token"])
    assert again.sio.connected
    async with server.http.post(server.url + "/api/v1/token",
                                headers={"Authorization": f"Bearer {agent.token}"}) as resp:
        assert resp.status == 200 and (await resp.json())["token"]


async def test_login_failures_are_throttled(server: Server) -> None:
    agent = await server.add_agent()
    for _ in range(10):
        body = await server.post("/api/v1/login", {"login": agent.login, "password": "wrong"},
                                 expect=401)
        assert body["error"]["code"] == "unauthorized"
    body = await server.post("/api/v1/login", {"login": agent.login, "password": agent.password},
                             expect=429)
    assert body["error"]["code"] == "rate_limited"
    await server.post("/api/v1/login", {"login": "ghost", "password": "x"}, expect=401)


async def test_no_visitor_reads_or_writes_another_visitors_conversation(server: Server) -> None:
    widget, console, conv, _ = await accepted_chat(server)
    intruder, _ = await server.visitor()
    for event, payload in [
        ("send_message", {"conversation_id": conv["id"], "client_id": "x", "text": "hi"}),
        ("resume", {"conversation_id": conv["id"], "after_seq": 0}),
        ("get_history", {"conversation_id": conv["id"]}),
        ("typing", {"conversation_id": conv["id"], "typing": True}),
        ("mark_read", {"conversation_id": conv["id"], "up_to_seq": 1}),
        ("leave_conversation", {"conversation_id": conv["id"]}),
        ("rate_conversation", {"conversation_id": conv["id"], "rating": 1}),
    ]:
        with pytest.raises(AckError) as err:
            await intruder.call(event, payload)
        assert err.value.code == "forbidden", event
    assert not intruder.events("message_created")


async def test_no_agent_acts_on_a_conversation_that_is_not_theirs(server: Server) -> None:
    widget, console, conv, owner = await accepted_chat(server)
    other = await server.add_agent("other")
    for event, payload in [
        ("send_message", {"conversation_id": conv["id"], "client_id": "x", "text": "hi"}),
        ("send_note", {"conversation_id": conv["id"], "client_id": "y", "text": "hi"}),
        ("get_history", {"conversation_id": conv["id"]}),
        ("resume", {"conversation_id": conv["id"], "after_seq": 0}),
        ("get_conversation", {"conversation_id": conv["id"]}),
        ("end_conversation", {"conversation_id": conv["id"]}),
        ("transfer", {"conversation_id": conv["id"], "to_team": "sales"}),
        ("observe", {"conversation_id": conv["id"]}),
        ("join_conversation", {"conversation_id": conv["id"]}),
        ("get_dashboard", {}),
        ("accept_offer", {"conversation_id": conv["id"]}),
    ]:
        # A fresh socket each time: ten refusals in a minute get a socket disconnected.
        oc = await server.agent_client(other)
        with pytest.raises(AckError) as err:
            await oc.call(event, payload)
        assert err.value.code in ("forbidden", "conflict"), event
        await oc.close()
    visitor_id = (await console.call("get_conversation",
                                     {"conversation_id": conv["id"]}))["visitor_id"]
    with pytest.raises(AckError) as err:
        await (await server.agent_client(other)).call("get_visitor", {"visitor_id": visitor_id})
    assert err.value.code == "forbidden"
    assert (await console.call("get_visitor", {"visitor_id": visitor_id}))["visitor"]["id"] \
        == visitor_id
    async with server.http.get(f"{server.url}/api/v1/conversations/{conv['id']}",
                               headers={"Authorization": f"Bearer {other.token}"}) as resp:
        assert resp.status == 403
    async with server.http.get(f"{server.url}/api/v1/conversations/{conv['id']}") as resp:
        assert resp.status == 401


async def test_supervisors_observe_read_only_and_join_to_write(server: Server) -> None:
    widget, console, conv, owner = await accepted_chat(server)
    boss = await server.add_agent("boss", role="supervisor", teams=())
    sc = await server.agent_client(boss)
    observed = await sc.call("observe", {"conversation_id": conv["id"]})
    assert observed["conversation"]["id"] == conv["id"] and observed["visitor_online"] is True
    assert any(e["type"] == "message_created" for e in observed["events"])
    seq = await send(widget, conv["id"], "hello?")
    await sc.wait_for("message_created", lambda e: e["seq"] == seq)
    assert not widget.events("participant_added")  # observing is invisible to the visitor
    with pytest.raises(AckError) as err:
        await send(sc, conv["id"], "I am only watching")
    assert err.value.code == "forbidden"
    joined = await sc.call("join_conversation", {"conversation_id": conv["id"]})
    assert {"agent_id": boss.id, "role": "supervisor"} in joined["participants"]
    await widget.wait_for("agent_joined", lambda e: e["data"]["role"] == "supervisor")
    seq = await send(sc, conv["id"], "Hi, I am the team lead.")
    await widget.wait_for("message_created", lambda e: e["seq"] == seq)
    await sc.call("leave_conversation", {"conversation_id": conv["id"]})
    left = await widget.wait_for("agent_left")
    assert left["data"] == {"agent_id": boss.id, "reason": "left"}
    with pytest.raises(AckError):
        await console.call("leave_conversation", {"conversation_id": conv["id"]})


async def test_agents_cannot_read_unrelated_rest(server: Server) -> None:
    widget, console, conv, owner = await accepted_chat(server)
    async with aiohttp.ClientSession() as http, http.get(
            f"{server.url}/api/v1/conversations/{conv['id']}/events?after=0",
            headers={"Authorization": f"Bearer {owner.token}"}) as resp:
        assert resp.status == 200
        events = (await resp.json())["events"]
        assert events[0]["type"] == "conversation_started"
    session = await server.visitor_session()
    async with server.http.get(f"{server.url}/api/v1/conversations/{conv['id']}",
                               headers={"Authorization": f"Bearer {session['token']}"}) as resp:
        assert resp.status == 401


async def test_start_conversation_needs_a_known_topic(server: Server) -> None:
    widget, _ = await server.visitor()
    with pytest.raises(AckError) as err:
        await start(widget, topic="nonexistent")
    assert err.value.code == "not_found"


async def test_an_agent_serving_a_shopper_reads_their_other_teams_chats_without_its_notes(
        server: Server) -> None:
    """Context for whoever serves the shopper now: their earlier conversations, but another
    team's as the shopper saw them (that team's internal notes are its own)."""
    biller = await server.add_agent("bo", teams=("billing",))
    billing = await server.agent_client(biller)
    widget, _ = await server.visitor()
    earlier = await start(widget, topic="payment", message="My IBAN is on the invoice")
    await billing.wait_for("offer_received")
    await billing.call("accept_offer", {"conversation_id": earlier["id"]})
    await billing.call("send_note", {"conversation_id": earlier["id"], "client_id": "n1",
                                     "text": "Refund approved by finance"})
    await send(billing, earlier["id"], "Refunded today.")
    await billing.call("end_conversation", {"conversation_id": earlier["id"]})

    seller = await server.add_agent("sal", teams=("support",))
    console = await server.agent_client(seller)
    later = await start(widget, topic="order", message="And my order?")
    await console.wait_for("offer_received", lambda d: d["conversation"]["id"] == later["id"])
    await console.call("accept_offer", {"conversation_id": later["id"]})
    seen = await console.call("resume", {"conversation_id": earlier["id"], "after_seq": 0})
    texts = [e["data"].get("text") for e in seen["events"]]
    assert "Refunded today." in texts and "My IBAN is on the invoice" in texts
    assert not [e for e in seen["events"] if e["type"] == "note_created"]
    page = await console.call("get_history", {"conversation_id": earlier["id"]})
    assert not [e for e in page["events"] if e["type"] == "note_created"]
    # The team's own agents read it whole.
    whole = await billing.call("resume", {"conversation_id": earlier["id"], "after_seq": 0})
    assert [e["data"]["text"] for e in whole["events"] if e["type"] == "note_created"] == [
        "Refund approved by finance"]
