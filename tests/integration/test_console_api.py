"""What the console reads and changes besides chat: the queue, its own conversations, visitors,
canned responses, colleagues, the supervisor dashboard, the profile and photo."""

from __future__ import annotations

import pytest

from tests.conftest import ServerFactory
from tests.integration.flows import accepted_chat, start
from tests.integration.harness import AckError, Server

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
       b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


async def test_queue_and_own_conversations(server: Server) -> None:
    agent = await server.add_agent(max_concurrent=1)
    console = await server.agent_client(agent)
    w1, _ = await server.visitor()
    c1 = await start(w1)
    await console.wait_for("offer_received")
    mine = await console.call("list_conversations", {})
    assert [c["id"] for c in mine["offers"]] == [c1["id"]]
    await console.call("accept_offer", {"conversation_id": c1["id"]})
    w2, _ = await server.visitor()
    c2 = await start(w2, message="Is anyone there?")
    update = await console.wait_for("team_queue_updated",
                                    lambda d: [c["id"] for c in d["waiting"]] == [c2["id"]])
    assert update["waiting"][0]["last_message"] == "Is anyone there?"
    queue = await console.call("get_queue", {})
    assert [c["id"] for c in queue["conversations"]] == [c2["id"]]
    mine = await console.call("list_conversations", {})
    assert [c["id"] for c in mine["conversations"]] == [c1["id"]] and mine["offers"] == []


async def test_visitor_profile_reaches_the_agent(server: Server) -> None:
    widget, console, conv, _ = await accepted_chat(server)
    await widget.call("identify", {"name": "Dana Li", "email": "dana@example.com"})
    await widget.call("page_view", {"url": "http://shop/cart", "title": "Cart"})
    await widget.call("set_context", {"context": {"cart_value": 89.9, "tier": "gold"}})
    update = await console.wait_for("visitor_updated",
                                    lambda d: d["visitor"]["context"].get("tier") == "gold")
    visitor = update["visitor"]
    assert visitor["name"] == "Dana Li" and visitor["email"] == "dana@example.com"
    assert visitor["current_page"]["url"] == "http://shop/cart"
    details = await console.call("get_visitor", {"visitor_id": visitor["id"]})
    assert [p["title"] for p in details["visitor"]["pages_visited"]] == ["Cart"]
    assert [c["id"] for c in details["conversations"]] == [conv["id"]]
    with pytest.raises(AckError) as err:
        await widget.call("identify", {"email": "not an email"})
    assert err.value.code == "invalid_payload"
    # A payment page with the card number in its address: masked, as in chat.
    paid = await widget.call("page_view", {"url": "http://shop/pay?card=4111111111111111",
                                           "title": "Pay"})
    assert paid["current_page"]["url"] == "http://shop/pay?card=•••• 1111"


async def test_pages_visited_are_capped(make_server: ServerFactory) -> None:
    server = await make_server(events_burst=100)
    widget, _ = await server.visitor()
    for i in range(55):
        profile = await widget.call("page_view", {"url": f"http://shop/p{i}", "title": f"P{i}"})
    assert len(profile["pages_visited"]) == 50
    assert profile["pages_visited"][-1]["title"] == "P54"


async def test_canned_responses_personal_and_team(server: Server) -> None:
    agent = await server.add_agent("ann", teams=("support",))
    boss = await server.add_agent("boss", role="supervisor", teams=("support",))
    ac = await server.agent_client(agent)
    bc = await server.agent_client(boss)
    mine = await ac.call("save_canned", {"scope": "personal", "shortcut": "hi",
                                         "text": "Hi! How can I help?"})
    with pytest.raises(AckError) as err:
        await ac.call("save_canned", {"scope": "team", "team": "support", "shortcut": "ret",
                                      "text": "Returns are free within 30 days."})
    assert err.value.code == "forbidden"
    team = await bc.call("save_canned", {"scope": "team", "team": "support", "shortcut": "ret",
                                         "text": "Returns are free within 30 days."})
    # Ann's open console hears of the team's new response (and lists them again).
    heard = await ac.wait_for("canned_changed", lambda e: e["scope"] == "team")
    assert heard == {"scope": "team", "team": "support"}
    # One shortcut, one response: /hi and the team's /ret are taken; the same shortcut in
    # another owner's responses is not.
    for who, body in ((ac, {"scope": "personal", "shortcut": "hi", "text": "Hey"}),
                      (bc, {"scope": "team", "team": "support", "shortcut": "ret", "text": "x"})):
        with pytest.raises(AckError) as err:
            await who.call("save_canned", body)
        assert err.value.code == "conflict" and "is taken already" in str(err.value)
    ours = await bc.call("save_canned", {"scope": "personal", "shortcut": "hi", "text": "Yo"})
    await bc.call("delete_canned", {"id": ours["id"]})
    admin = await server.agent_client(await server.add_agent("root", role="admin", teams=()))
    with pytest.raises(AckError) as err:  # admins may write for any team, if it exists
        await admin.call("save_canned", {"scope": "team", "team": "ghosts", "shortcut": "x",
                                         "text": "Boo"})
    assert err.value.code == "not_found"
    listed = await ac.call("list_canned", {})
    assert {(r["shortcut"], r["scope"]) for r in listed["responses"]} == {
        ("hi", "personal"), ("ret", "team")}
    # Nobody edits or deletes someone else's personal response.
    with pytest.raises(AckError):
        await bc.call("delete_canned", {"id": mine["id"]})
    edited = await ac.call("save_canned", {"id": mine["id"], "scope": "personal",
                                           "shortcut": "hello", "text": "Hello!"})
    assert edited["shortcut"] == "hello"
    # Saving a response under its own shortcut is no conflict.
    await ac.call("save_canned", {"id": mine["id"], "scope": "personal", "shortcut": "hello",
                                  "text": "Hello there!"})
    await bc.call("delete_canned", {"id": team["id"]})
    listed = await ac.call("list_canned", {})
    assert [r["shortcut"] for r in listed["responses"]] == ["hello"]
    with pytest.raises(AckError) as err:
        await ac.call("save_canned", {"scope": "personal", "shortcut": "Bad Shortcut!",
                                      "text": "x"})
    assert err.value.code == "invalid_payload"


async def test_list_agents_and_dashboard(server: Server) -> None:
    widget, console, conv, agent = await accepted_chat(server)
    boss = await server.add_agent("boss", role="supervisor", teams=())
    bc = await server.agent_client(boss)
    colleagues = await console.call("list_agents", {})
    assert {a["login"] for a in colleagues["agents"]} >= {agent.login, "boss"}
    assert colleagues["teams"] == ["billing", "sales", "support"]
    me = next(a for a in colleagues["agents"] if a["id"] == agent.id)
    assert me["connected"] and me["load"] == 1
    w2, _ = await server.visitor()
    await start(w2, topic="buying")  # nobody in sales: an offline message, not a queue entry
    board = await bc.call("get_dashboard", {})
    assert [c["id"] for c in board["active_conversations"]] == [conv["id"]]
    support = next(q for q in board["queues"] if q["team"] == "support")
    assert support["online_agents"] == 1 and support["capacity"] == 3
    pushed = await bc.wait_for("dashboard_updated")
    assert {q["team"] for q in pushed["dashboard"]["queues"]} == {"billing", "sales", "support"}


async def test_profile_name_and_photo(server: Server) -> None:
    agent = await server.add_agent()
    console = await server.agent_client(agent)
    info = await console.call("update_profile", {"display_name": "Alex from Support"})
    assert info["display_name"] == "Alex from Support"
    auth = {"Authorization": f"Bearer {agent.token}"}
    async with server.http.post(server.url + "/api/v1/agents/me/photo", data=PNG,
                                headers={**auth, "Content-Type": "image/png"}) as resp:
        assert resp.status == 200
        url = (await resp.json())["photo_url"]
    async with server.http.get(server.url + url) as resp:
        assert resp.status == 200 and await resp.read() == PNG
        assert resp.headers["Content-Type"] == "image/png"
    updated = await console.wait_for("agent_updated")
    assert updated["agent"]["photo_url"] == url
    # The visitor sees the photo on assignment.
    widget, _ = await server.visitor()
    conv = await start(widget)
    await console.wait_for("offer_received")
    await console.call("accept_offer", {"conversation_id": conv["id"]})
    joined = await widget.wait_for("agent_joined")
    assert joined["data"]["agent"] == {"id": agent.id, "display_name": "Alex from Support",
                                       "photo_url": url}
    for body, kind, status in [(b"GIF89a....", "image/gif", 400),
                               (b"<svg onload=alert(1)>", "image/png", 400),
                               (b"\x89PNG\r\n\x1a\n" + b"0" * 3_000_000, "image/png", 413)]:
        async with server.http.post(server.url + "/api/v1/agents/me/photo", data=body,
                                    headers={**auth, "Content-Type": kind}) as resp:
            assert resp.status == status, kind
    async with server.http.post(server.url + "/api/v1/agents/me/photo", data=PNG,
                                headers={"Content-Type": "image/png"}) as resp:
        assert resp.status == 401
    async with server.http.get(server.url + "/api/v1/photos/..%2F..%2Fsecret.key") as resp:
        assert resp.status == 404


async def test_the_team_queue_follows_an_offer_that_ran_out(make_server: ServerFactory) -> None:
    """Who waits does not change when an offer runs out, but whether it is on offer does: the
    consoles' waiting list must not keep showing "offered"."""
    server = await make_server(offer_timeout_s=0.5)
    agent = await server.add_agent()
    console = await server.agent_client(agent)
    widget, _ = await server.visitor()
    conv = await start(widget)
    await console.wait_for("team_queue_updated", lambda d: [
        (c["id"], c["status"]) for c in d["waiting"]] == [(conv["id"], "offered")])
    await console.wait_for("offer_withdrawn")
    await console.wait_for("team_queue_updated", lambda d: [
        (c["id"], c["status"]) for c in d["waiting"]] == [(conv["id"], "queued")])


async def test_topics_are_listed_with_their_labels(server: Server) -> None:
    agent = await server.add_agent()
    console = await server.agent_client(agent)
    topics = (await console.call("list_topics"))["topics"]
    site = await server.aisle.store.sites.get_by_key("demo")
    assert site is not None
    assert {(t["site_id"], t["id"], t["label"]) for t in topics} >= {
        (site.id, "order", "An order I placed"), (site.id, "buying", "Help choosing a product")}
    widget, _ = await server.visitor()
    conv = await start(widget)
    offer = await console.wait_for("offer_received")
    assert (offer["summary"]["site_id"], offer["summary"]["topic"]) == (site.id, conv["topic"])
