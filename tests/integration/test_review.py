"""Review over REST: the catalogue and its filters, a recording's manifest and files, annotations,
scorecards and scores, export, retention and erasure — and who may do each."""

from __future__ import annotations

import asyncio
import io
import zipfile
from typing import Any

import orjson

from signaling.ids import now_ms
from signaling.store.schema import conversations
from tests.integration.flows import accepted_chat, send, start
from tests.integration.harness import Agent, Server
from tests.integration.test_cobrowse_server import FULL, INCREMENTAL, batch, sharing


async def api(server: Server, agent: Agent, method: str, path: str, body: Any = None,
              expect: int = 200) -> Any:
    async with server.http.request(method, server.url + path, json=body,
                                   headers={"Authorization": f"Bearer {agent.token}"}) as resp:
        data = await resp.read()
        assert resp.status == expect, (path, resp.status, data[:300])
        return orjson.loads(data) if data and resp.content_type == "application/json" else data


async def recorded_conversation(server: Server) -> tuple[dict[str, Any], Agent]:
    """A chat with co-browsing, ended and rated."""
    widget, console, conv = await sharing(server)
    agent_id = (await console.call("get_conversation",
                                   {"conversation_id": conv["id"]}))["agent_id"]
    await send(widget, conv["id"], "My refund for the blue mug?")
    await send(console, conv["id"], "Refund sent today.")
    await batch(widget, conv, 0, FULL, full=True)
    await batch(widget, conv, 1, INCREMENTAL)
    await console.wait_for("cobrowse_batch", lambda b: b["batch_no"] == 1)
    await console.call("end_conversation", {"conversation_id": conv["id"]})
    await widget.call("rate_conversation", {"conversation_id": conv["id"], "rating": 2})
    await asyncio.to_thread(server.aisle.cobrowse.flush)
    agents = {a.id: a for a in await server.aisle.store.agents.all()}
    return conv, Agent(agent_id, agents[agent_id].login, "", console.token or "")


async def test_catalogue_filters(server: Server) -> None:
    boss = await server.add_agent("boss", role="supervisor", teams=())
    conv, handler = await recorded_conversation(server)
    w2, c2, conv2, other = await accepted_chat(server)
    await send(w2, conv2["id"], "Do you ship to Norway?")
    await c2.call("end_conversation", {"conversation_id": conv2["id"]})

    async def ids(query: str) -> list[str]:
        found = await api(server, boss, "GET", "/api/v1/recordings" + query)
        return [r["conversation_id"] for r in found["recordings"]]

    assert set(await ids("")) == {conv["id"], conv2["id"]}
    assert await ids("?q=refund%20mug") == [conv["id"]]
    assert await ids("?q=norway") == [conv2["id"]]
    assert await ids("?q=client_id") == []  # words said, not the JSON around them
    assert await ids("?has_cobrowse=true") == [conv["id"]]
    assert await ids("?has_cobrowse=false") == [conv2["id"]]
    assert await ids("?has_call=true") == []
    assert await ids("?max_rating=2") == [conv["id"]]
    assert await ids(f"?agent={other.id}") == [conv2["id"]]
    assert await ids("?team=sales") == []
    assert set(await ids("?team=Support")) == {conv["id"], conv2["id"]}  # as people type it
    assert await ids(f"?from={now_ms() + 60_000}") == []
    found = await api(server, boss, "GET", "/api/v1/recordings?q=refund")
    hit = found["recordings"][0]
    assert hit["excerpt"] == "My refund for the blue mug?"
    assert hit["topic_label"] == "An order I placed"
    assert hit["has_cobrowse"] and hit["rating"] == 2 and hit["messages"] >= 3
    bad = await api(server, boss, "GET", "/api/v1/recordings?min_rating=x", expect=400)
    assert bad["error"]["code"] == "invalid_payload"


async def test_a_recording_its_files_and_who_may_see_them(server: Server) -> None:
    boss = await server.add_agent("boss", role="trainer", teams=())
    conv, handler = await recorded_conversation(server)
    rec = await api(server, boss, "GET", f"/api/v1/recordings/{conv['id']}")
    manifest = rec["manifest"]
    assert manifest["state"] == "complete"
    assert {p["kind"] for p in manifest["participants"]} == {"visitor", "agent"}
    [chunk] = manifest["cobrowse"]
    assert chunk["start_offset_ms"] >= 0
    async with server.http.get(server.url + chunk["url"]) as resp:
        assert resp.status == 200
        assert resp.headers["Content-Encoding"] == "gzip"  # aiohttp asks for it, and inflates
        # Not kept in a reviewer's browser cache: gone from it when erased or purged here.
        assert resp.headers["Cache-Control"] == "private, no-store"
        batches = await resp.json()
    assert [b["batch_no"] for b in batches] == [0, 1]
    assert batches[0]["events"] == FULL
    for refused in ("identity", "gzip;q=0, deflate"):
        async with server.http.get(server.url + chunk["url"],
                                   headers={"Accept-Encoding": refused}) as resp:
            assert "Content-Encoding" not in resp.headers
            assert orjson.loads(await resp.read()) == batches
    # The link needs its token, and the token only this recording.
    async with server.http.get(server.url + chunk["url"].split("?")[0]) as resp:
        assert resp.status == 403
    async with server.http.get(server.url + chunk["url"].replace(conv["id"], "cnv_other")
                               ) as resp:
        assert resp.status in (403, 404)
    async with server.http.get(server.url + f"/api/v1/recordings/{conv['id']}/files/"
                               f"..%2F..%2Fsecret.key?t={rec['media_token']}") as resp:
        assert resp.status == 404
    # The links of a reviewer whose account was disabled, whose sessions ended (a password
    # reset) or who may no longer review stop working.
    await server.aisle.store.agents.update(boss.id, disabled=True)
    async with server.http.get(server.url + chunk["url"]) as resp:
        assert resp.status == 403
        assert "disabled" in (await resp.json())["error"]["message"]
    await server.aisle.store.agents.update(boss.id, disabled=False)
    await server.aisle.store.agents.update(boss.id, role="agent")
    async with server.http.get(server.url + chunk["url"]) as resp:
        assert resp.status == 403
    await server.aisle.store.agents.update(boss.id, role="trainer")
    async with server.http.get(server.url + chunk["url"]) as resp:
        assert resp.status == 200  # the same link, the same rights: it works
    await server.aisle.store.agents.end_sessions(boss.id)
    async with server.http.get(server.url + chunk["url"]) as resp:
        assert resp.status == 403
    boss.token = (await server.post("/api/v1/login", {"login": boss.login,
                                                      "password": boss.password}))["token"]
    rec = await api(server, boss, "GET", f"/api/v1/recordings/{conv['id']}")
    chunk = rec["manifest"]["cobrowse"][0]
    # manifest.json is on disk beside the files once the conversation ended.
    on_disk = orjson.loads((server.settings.data_dir / "recordings" / conv["id"] /
                            "manifest.json").read_bytes())
    assert on_disk["cobrowse"][0]["file"] == chunk["file"] and "url" not in on_disk["cobrowse"][0]
    # A plain agent may not review, not even their own, unless the site allows it.
    plain = await server.add_agent("plain")
    await api(server, plain, "GET", f"/api/v1/recordings/{conv['id']}", expect=403)
    # Reviewers list every agent for the catalogue's filter (by name); agents may not.
    listed_agents = (await api(server, boss, "GET", "/api/v1/agents"))["agents"]
    assert [a["display_name"] for a in listed_agents] == sorted(
        (a["display_name"] for a in listed_agents), key=str.lower)
    assert {a["login"] for a in listed_agents} == {"boss", handler.login, "plain"}
    assert next(a for a in listed_agents if a["login"] == "plain")["teams"] == ["support"]
    await api(server, plain, "GET", "/api/v1/agents", expect=403)
    async with server.http.get(server.url + "/api/v1/agents") as resp:
        assert resp.status == 401
    nothing = await api(server, plain, "GET", "/api/v1/recordings")
    assert nothing["recordings"] == [] and nothing["scope"] == "none"  # no site lets agents
    handler_token = (await server.post("/api/v1/login", {"login": handler.login,
                                                         "password": f"pw-{handler.login}"}))
    own = Agent(handler.id, handler.login, "", handler_token["token"])
    await api(server, own, "GET", f"/api/v1/recordings/{conv['id']}", expect=403)
    site = await server.aisle.store.sites.get_by_key("demo")
    assert site is not None
    await server.aisle.store.sites.update(
        site.id, settings={**site.settings, "recording": {"agents_review_own": True}})
    await api(server, own, "GET", f"/api/v1/recordings/{conv['id']}")
    listed = await api(server, own, "GET", "/api/v1/recordings")
    assert [r["conversation_id"] for r in listed["recordings"]] == [conv["id"]]
    assert listed["scope"] == "own"
    assert (await api(server, boss, "GET", "/api/v1/recordings"))["scope"] == "all"


async def test_annotations_scorecards_and_summaries(server: Server) -> None:
    boss = await server.add_agent("boss", role="supervisor", teams=("support",))
    trainer = await server.add_agent("trainer", role="trainer", teams=())
    conv, handler = await recorded_conversation(server)
    path = f"/api/v1/recordings/{conv['id']}"
    note = await api(server, trainer, "POST", path + "/annotations",
                     {"at_ms": 1500, "end_ms": 4000, "text": "Good empathy here"}, expect=201)
    assert note["author_name"] == "Trainer"
    await api(server, boss, "POST", path + "/annotations", {"at_ms": 10, "end_ms": 5,
                                                            "text": "x"}, expect=400)
    await api(server, boss, "POST", path + "/annotations",
              {"at_ms": 2**62, "end_ms": 2**63, "text": "x"}, expect=400)
    past = await api(server, boss, "POST", path + "/annotations",  # 15 min into a short chat
                     {"at_ms": 900_000, "text": "x"}, expect=400)
    assert "past the end" in past["error"]["message"]
    # No call in it: no video to compose (said plainly, not as a failed job).
    nothing = await api(server, boss, "POST", path + "/compose", expect=409)
    assert "no video to compose" in nothing["error"]["message"]
    # Its author changes its words; nobody else does, not even a supervisor.
    edited = await api(server, trainer, "PUT", path + f"/annotations/{note['id']}",
                       {"text": "Good empathy here, and a clear next step"})
    assert (edited["text"], edited["at_ms"], edited["end_ms"]) == (
        "Good empathy here, and a clear next step", 1500, 4000)
    await api(server, boss, "PUT", path + f"/annotations/{note['id']}", {"text": "Mine now"},
              expect=404)
    await api(server, trainer, "PUT", path + f"/annotations/{note['id']}", {"text": ""},
              expect=400)
    seen = await api(server, boss, "GET", path)
    assert [a["text"] for a in seen["annotations"]] == [
        "Good empathy here, and a clear next step"]
    # Scorecards are the supervisors' to edit.
    criteria = [{"id": "greeting", "label": "Greets by name", "max": 5},
                {"id": "resolution", "label": "Resolves the issue", "max": 10}]
    await api(server, trainer, "PUT", "/api/v1/teams/support/scorecard",
              {"criteria": criteria}, expect=403)
    card = await api(server, boss, "PUT", "/api/v1/teams/support/scorecard",
                     {"criteria": criteria})
    assert [c["id"] for c in card["criteria"]] == ["greeting", "resolution"]
    score = await api(server, trainer, "PUT", path + "/score",
                      {"scores": {"greeting": 4, "resolution": 8}, "comment": "Solid"})
    assert score["ratio"] == 12 / 15 and score["agent_id"] == handler.id
    await api(server, trainer, "PUT", path + "/score", {"scores": {"greeting": 6}},
              expect=400)
    await api(server, trainer, "PUT", path + "/score", {"scores": {"speed": 1}}, expect=400)
    # Half a scorecard is refused (its ratio would say 100 %), and so is none of it.
    for partial in ({"greeting": 5}, {}):
        await api(server, trainer, "PUT", path + "/score", {"scores": partial}, expect=400)
    again = await api(server, trainer, "PUT", path + "/score",
                      {"scores": {"greeting": 5, "resolution": 10}})
    assert again["ratio"] == 1.0  # a reviewer's score is replaced, not added
    # Billing scores the same criterion out of 10: summaries compare shares of the maximum.
    await api(server, boss, "PUT", "/api/v1/teams/billing/scorecard",
              {"criteria": [{"id": "greeting", "label": "Greets by name", "max": 10}]})
    biller = await server.add_agent("biller", teams=("billing",))
    billing_console = await server.agent_client(biller)
    shopper, _ = await server.visitor()
    billed = await start(shopper, topic="payment")
    await billing_console.wait_for("offer_received")
    await billing_console.call("accept_offer", {"conversation_id": billed["id"]})
    await api(server, trainer, "PUT", f"/api/v1/recordings/{billed['id']}/score",
              {"scores": {"greeting": 5}})
    by_team = await api(server, boss, "GET", "/api/v1/scores/summary?by=team")
    assert {r["key"]: r["per_criterion"] for r in by_team["rows"]} == {
        "billing": {"greeting": 0.5}, "support": {"greeting": 1.0, "resolution": 1.0}}
    # Billing's card changes to out of 5 later: the score given stays 5 out of 10.
    await api(server, boss, "PUT", "/api/v1/teams/billing/scorecard",
              {"criteria": [{"id": "greeting", "label": "Greets by name", "max": 5}]})
    by_team = await api(server, boss, "GET", "/api/v1/scores/summary?by=team")
    assert {r["key"]: r["per_criterion"] for r in by_team["rows"]}["billing"] == {
        "greeting": 0.5}
    by_agent = await api(server, boss, "GET", "/api/v1/scores/summary?by=agent")
    row = next(r for r in by_agent["rows"] if r["key"] == handler.id)
    assert row["conversations"] == 1
    assert row["per_criterion"] == {"greeting": 1.0, "resolution": 1.0}
    await api(server, trainer, "DELETE", path + f"/annotations/{note['id']}", expect=204)


async def test_export_zip(server: Server) -> None:
    boss = await server.add_agent("boss", role="supervisor", teams=())
    conv, _ = await recorded_conversation(server)
    await api(server, boss, "POST", f"/api/v1/recordings/{conv['id']}/annotations",
              {"at_ms": 500, "text": "Greets warmly"}, expect=201)
    team = (await server.aisle.store.conversations.get(conv["id"])).team  # type: ignore[union-attr]
    await api(server, boss, "PUT", f"/api/v1/teams/{team}/scorecard",
              {"criteria": [{"id": "greeting", "label": "Greets by name", "max": 5}]})
    await api(server, boss, "PUT", f"/api/v1/recordings/{conv['id']}/score",
              {"scores": {"greeting": 4}})
    data = await api(server, boss, "GET", f"/api/v1/recordings/{conv['id']}/export.zip")
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())
    assert {"manifest.json", "transcript.txt", "transcript.json", "review.json"} <= names
    transcript = archive.read("transcript.txt").decode()
    assert "My refund for the blue mug?" in transcript and "Rating: 2/5" in transcript
    # A person's reading: who joined and why it ended, not the log's bookkeeping.
    assert "joined" in transcript and "Ended (" in transcript
    # Co-browsing as it happened, not "cobrowse requested".
    assert "asked to see the shopper's page" in transcript
    assert "The shopper shared their page" in transcript
    for noise in ("messages read", "cobrowse chunk", "media recorded"):
        assert noise not in transcript, noise
    notes = orjson.loads(archive.read("review.json"))
    assert [a["text"] for a in notes["annotations"]] == ["Greets warmly"]
    # The criteria as words, and what each score was out of.
    assert [c["label"] for c in notes["scorecard"]["criteria"]] == ["Greets by name"]
    [score] = notes["scores"]
    assert score["scores"] == {"greeting": 4} and score["maxima"] == {"greeting": 5}
    chunk = next(n for n in names if n.startswith("cobrowse/"))
    assert orjson.loads(archive.read(chunk))[0]["events"] == FULL
    # Who holds a copy: the audit log says who opened and exported it (admins read it).
    for _ in range(3):  # (the player fetches it again each time its tab is shown)
        await api(server, boss, "GET", f"/api/v1/recordings/{conv['id']}")
    await api(server, boss, "GET", "/api/v1/audit", expect=403)
    root = await server.add_agent("root", role="admin", teams=())
    entries = (await api(server, root, "GET", "/api/v1/audit?limit=10"))["entries"]
    done = [(e["action"], e["actor"], e["details"]["conversation_id"]) for e in entries]
    assert ("recording_exported", boss.id, conv["id"]) in done
    assert done.count(("recording_opened", boss.id, conv["id"])) == 1


async def test_erasure_removes_rows_and_files(server: Server) -> None:
    boss = await server.add_agent("boss", role="supervisor", teams=())
    conv, handler = await recorded_conversation(server)
    store = server.aisle.store
    visitor_id = (await store.conversations.get(conv["id"])).visitor_id  # type: ignore[union-attr]
    folder = server.settings.data_dir / "recordings" / conv["id"]
    assert folder.exists()
    plain = await server.add_agent("plain")
    # Subject access first: the shopper, found by the address they gave, and all of it.
    await store.visitors.update(visitor_id, email="Dana@Example.com")
    await api(server, plain, "GET", "/api/v1/visitors?email=dana@example.com", expect=403)
    await api(server, boss, "GET", "/api/v1/visitors?email=not-an-email", expect=400)
    found = (await api(server, boss, "GET", "/api/v1/visitors?email=dana@example.com")
             )["visitors"]
    assert [(v["visitor_id"], v["conversations"]) for v in found] == [(visitor_id, 1)]
    held = await api(server, boss, "GET", f"/api/v1/visitors/{visitor_id}/export")
    assert held["visitor"]["email"] == "Dana@Example.com"
    [mine] = held["conversations"]
    assert mine["conversation"]["id"] == conv["id"]
    assert "My refund for the blue mug?" in [e["data"].get("text") for e in mine["events"]]
    assert any(f.startswith("cobrowse/") for f in mine["recording_files"])
    await api(server, plain, "POST", f"/api/v1/visitors/{visitor_id}/erase", expect=403)
    erased = await api(server, boss, "POST", f"/api/v1/visitors/{visitor_id}/erase")
    assert erased["conversations"] == 1 and erased["files"] >= 2
    assert not folder.exists()
    assert await store.conversations.get(conv["id"]) is None
    assert await store.visitors.get(visitor_id) is None
    assert await store.conversations.events_after(conv["id"], 0, agent_view=True) == []
    audit = await store.review.audit_entries()
    assert audit[0]["action"] == "visitor_erased"
    # What was removed and by whom (their login, readable in the log), not what it said.
    assert audit[0]["details"] == {"visitor_id": visitor_id, "conversations": 1,
                                   "files": erased["files"], "login": "boss"}


async def test_retention_deletes_old_recordings(server: Server) -> None:
    conv, _ = await recorded_conversation(server)
    store = server.aisle.store
    site = await store.sites.get_by_key("demo")
    assert site is not None
    await store.sites.update(site.id, settings={**site.settings,
                                                "recording": {"retention_days": 30}})
    retention = server.aisle.retention
    assert await retention.purge_expired() == 0  # nothing is 30 days old yet
    from signaling.store.schema import conversations

    async with store.write() as conn:
        await conn.execute(conversations.update().where(conversations.c.id == conv["id"])
                           .values(ended_at=now_ms() - 31 * 86_400_000))
    state = await store.conversations.get(conv["id"])
    assert state is not None
    visitor_id = state.visitor_id
    # The shopper's profile stays while they are seen within the period…
    assert await retention.purge_expired() == 1
    assert await store.conversations.get(conv["id"]) is None
    assert not (server.settings.data_dir / "recordings" / conv["id"]).exists()
    assert (await store.review.audit_entries())[0]["action"] == "retention_purge"
    assert await store.visitors.get(visitor_id) is not None
    # …and goes with nothing of theirs left and not seen for as long; one still in a
    # conversation stays, however long ago they were seen.
    keeps, kept = await server.visitor()
    await start(keeps, message="Still there?")
    from signaling.store.schema import visitors

    async with store.write() as conn:
        await conn.execute(visitors.update().values(last_seen_at=now_ms() - 31 * 86_400_000))
    await retention.purge_expired()
    assert await store.visitors.get(visitor_id) is None
    assert await store.visitors.get(kept["visitor_id"]) is not None
    purged = (await store.review.audit_entries())[0]
    assert purged["action"] == "retention_purge" and purged["details"]["visitors"] == 1


async def test_messages_left_are_in_the_recordings_list(server: Server) -> None:
    """A message left while nobody was there is a conversation a trainer may review, answered
    or not, before anyone closes it."""
    boss = await server.add_agent("boss-left", role="supervisor")
    widget, _ = await server.visitor()
    conv = await start(widget, message="Do you restock the blue mug?",
                       fields={"email": "mug@example.com"})
    assert conv["status"] == "offline"
    found = await api(server, boss, "GET", "/api/v1/recordings?q=restock")
    assert [r["conversation_id"] for r in found["recordings"]] == [conv["id"]]
    # Named as the console names them: no name given, the address.
    assert found["recordings"][0]["visitor_name"] == "mug@example.com"
    assert found["recordings"][0]["message_answered"] is False  # "Message waiting"
    console = await server.agent_client(await server.add_agent("answers"))
    await send(console, conv["id"], "We do, next Tuesday.")
    found = await api(server, boss, "GET", "/api/v1/recordings?q=restock")
    assert found["recordings"][0]["message_answered"] is True  # "Message answered"


async def test_an_agent_who_handed_a_chat_on_still_finds_it(server: Server) -> None:
    """Alex answered Eve and transferred her to Bea: Alex's recordings (the filter, and his own
    where agents review theirs) hold her chat, as the reports credit it to him."""
    boss = await server.add_agent("boss-handed", role="supervisor")
    widget, alex_console, conv, alex = await accepted_chat(server)
    await send(alex_console, conv["id"], "Let me pass you to Bea.")
    bea = await server.add_agent("bea-handed", teams=("support",))
    bea_console = await server.agent_client(bea)
    await alex_console.call("transfer", {"conversation_id": conv["id"], "to_agent_id": bea.id})
    await bea_console.wait_for("offer_received")
    await bea_console.call("accept_offer", {"conversation_id": conv["id"]})
    for who in (alex, bea):
        found = await api(server, boss, "GET", f"/api/v1/recordings?agent={who.id}")
        assert [r["conversation_id"] for r in found["recordings"]] == [conv["id"]], who.login
    site = await server.aisle.store.sites.get_by_key("demo")
    assert site is not None
    await server.aisle.store.sites.update(
        site.id, settings={**site.settings, "recording": {"agents_review_own": True}})
    await api(server, alex, "GET", f"/api/v1/recordings/{conv['id']}")
    mine = await api(server, alex, "GET", "/api/v1/recordings")
    assert [r["conversation_id"] for r in mine["recordings"]] == [conv["id"]]
    # Bea's shift ends and nobody can take it: a message left, with no agent now. The list still
    # says who handled it last.
    await alex_console.call("set_status", {"status": "offline"})
    await bea_console.call("set_status", {"status": "offline", "hand_back": True})
    await widget.wait_for("conversation_offline")
    (row,) = (await api(server, boss, "GET", "/api/v1/recordings"))["recordings"]
    assert (row["status"], row["agent_id"], row["agent_name"]) == ("offline", bea.id, "Bea-Handed")
    assert row["message_answered"] is True  # Alex had the last word, before it was left


async def test_catalogue_outcomes_scored_and_order(server: Server) -> None:
    """A trainer's queue: how each conversation ended, those nobody has scored yet, and the
    lowest rated or longest first."""
    boss = await server.add_agent("boss-order", role="supervisor")
    w1, c1, by_agent, alex = await accepted_chat(server)
    await send(w1, by_agent["id"], "First")
    await c1.call("end_conversation", {"conversation_id": by_agent["id"]})
    await w1.call("rate_conversation", {"conversation_id": by_agent["id"], "rating": 4})
    w2, _, by_shopper, _ = await accepted_chat(server, alex)
    await send(w2, by_shopper["id"], "Second, and a longer chat")
    await w2.call("leave_conversation", {"conversation_id": by_shopper["id"]})
    await w2.call("rate_conversation", {"conversation_id": by_shopper["id"], "rating": 1})
    _, _, open_chat, _ = await accepted_chat(server, alex)
    # The shopper's chat began ten minutes earlier: the oldest and the longest of those over.
    # The open chat began before it, and runs still: listed after those over by length.
    async with server.aisle.store.write() as conn:
        await conn.execute(conversations.update().where(conversations.c.id == by_shopper["id"])
                           .values(created_at=conversations.c.created_at - 600_000))
        await conn.execute(conversations.update().where(conversations.c.id == open_chat["id"])
                           .values(created_at=conversations.c.created_at - 900_000))

    async def found(query: str) -> list[dict[str, Any]]:
        page = await api(server, boss, "GET", "/api/v1/recordings" + query)
        return page["recordings"]  # type: ignore[no-any-return]

    async def ids(query: str) -> list[str]:
        return [r["conversation_id"] for r in await found(query)]

    assert await ids("?outcome=agent_ended") == [by_agent["id"]]
    assert await ids("?outcome=visitor_ended") == [by_shopper["id"]]
    assert await ids("?outcome=open") == [open_chat["id"]]
    rows = {r["conversation_id"]: r for r in await found("")}
    assert (rows[by_agent["id"]]["status"], rows[by_agent["id"]]["ended_reason"]) == (
        "ended", "agent_ended")
    assert (rows[open_chat["id"]]["status"], rows[open_chat["id"]]["ended_reason"]) == (
        "active", None)
    # Newest first by default; oldest; lowest rating first with the unrated last; longest.
    assert await ids("") == [by_agent["id"], by_shopper["id"], open_chat["id"]]
    assert await ids("?sort=oldest") == [open_chat["id"], by_shopper["id"], by_agent["id"]]
    assert await ids("?sort=lowest_rating") == [by_shopper["id"], by_agent["id"],
                                                open_chat["id"]]
    assert await ids("?sort=longest") == [by_shopper["id"], by_agent["id"], open_chat["id"]]
    assert (await ids("?sort=longest&outcome=agent_ended")) == [by_agent["id"]]
    # Scored or not; "not scored yet" leaves out what no agent answered (nothing to score).
    unanswered_widget, _ = await server.visitor()
    unanswered = await start(unanswered_widget)
    await unanswered_widget.call("leave_conversation", {"conversation_id": unanswered["id"]})
    assert unanswered["id"] in await ids("?outcome=visitor_ended")
    await api(server, boss, "PUT", "/api/v1/teams/support/scorecard",
              {"criteria": [{"id": "tone", "label": "Tone", "max": 5}]})
    await api(server, boss, "PUT", f"/api/v1/recordings/{by_agent['id']}/score",
              {"scores": {"tone": 3}})
    # An answered chat of a team with no scorecard: nothing to score it by.
    w3, c3, no_card, _ = await accepted_chat(server, alex)
    await c3.call("end_conversation", {"conversation_id": no_card["id"]})
    async with server.aisle.store.write() as conn:
        await conn.execute(conversations.update().where(conversations.c.id == no_card["id"])
                           .values(team="billing"))
    assert await ids("?scored=true") == [by_agent["id"]]
    assert await ids("?scored=false&sort=oldest") == [open_chat["id"], by_shopper["id"]]
    assert no_card["id"] in await ids("?outcome=agent_ended")
    for bad in ("?outcome=lost", "?sort=best", "?scored=maybe"):
        error = await api(server, boss, "GET", "/api/v1/recordings" + bad, expect=400)
        assert error["error"]["code"] == "invalid_payload", bad


async def test_a_topic_the_site_dropped_keeps_its_label(server: Server) -> None:
    """Recordings name the topic as the site names it now; a topic the site has since dropped
    (or given a new id) keeps the label the shopper read when they started."""
    boss = await server.add_agent("boss-topics", role="supervisor")
    _, console, dropped, alex = await accepted_chat(server)  # topic "order"
    await console.call("end_conversation", {"conversation_id": dropped["id"]})
    widget, _ = await server.visitor()
    renamed = await start(widget, topic="payment")
    site = await server.aisle.store.sites.get_by_key("demo")
    assert site is not None
    topics = [{"id": "orders", "label": "Where is my order", "team": "support"},
              {"id": "payment", "label": "Paying", "team": "billing"}]
    await server.aisle.store.sites.update(site.id, settings={**site.settings, "topics": topics})

    page = await api(server, boss, "GET", "/api/v1/recordings")
    labels = {r["conversation_id"]: (r["topic"], r["topic_label"]) for r in page["recordings"]}
    assert labels[dropped["id"]] == ("order", "An order I placed")
    assert labels[renamed["id"]] == ("payment", "Paying")
    rec = await api(server, boss, "GET", f"/api/v1/recordings/{dropped['id']}")
    assert rec["topic_label"] == "An order I placed"
    rec = await api(server, boss, "GET", f"/api/v1/recordings/{renamed['id']}")
    assert rec["topic_label"] == "Paying"
