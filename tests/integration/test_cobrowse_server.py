"""Co-browsing through the server: consent steps, batches relayed and stored, gaps, hostile
batches, control consent and commands — python clients on both sides (the browser side of
co-browsing is tested in tests/e2e)."""

from __future__ import annotations

import asyncio
import gzip
import secrets
import zipfile
import zlib
from pathlib import Path
from typing import Any

import orjson
import pytest

from signaling.cobrowse import batches
from signaling.cobrowse.chunks import MAGIC, ChunkWriter, encode_record, read_records
from signaling.errors import TooLarge
from signaling.review import service as review_service
from signaling.review.export import build_zip
from signaling.review.manifest import build as build_manifest
from signaling.review.service import Review
from tests.conftest import ServerFactory
from tests.integration.flows import accepted_chat
from tests.integration.harness import AckError, Client, Server, until


def deflate(events: list[dict[str, Any]]) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(orjson.dumps(events)) + compressor.flush()


FULL = [{"type": 4, "data": {"href": "http://shop/cart", "width": 1280, "height": 800},
         "timestamp": 1},
        {"type": 2, "data": {"node": {"type": 0, "childNodes": [], "id": 1}}, "timestamp": 2}]
INCREMENTAL = [{"type": 3, "data": {"source": 1, "positions": []}, "timestamp": 3}]


async def sharing(server: Server) -> tuple[Client, Client, dict[str, Any]]:
    widget, console, conv, _ = await accepted_chat(server)
    await console.call("request_cobrowse", {"conversation_id": conv["id"]})
    asked = await widget.wait_for("cobrowse_requested")
    assert asked["actor"]["kind"] == "agent"
    await widget.call("answer_cobrowse", {"conversation_id": conv["id"], "allow": True})
    await console.wait_for("cobrowse_started")
    return widget, console, conv


async def batch(widget: Client, conv: dict[str, Any], no: int, events: list[dict[str, Any]],
                full: bool = False, session: str = "tab1") -> dict[str, Any]:
    return await widget.call("cobrowse_batch", {  # type: ignore[no-any-return]
        "conversation_id": conv["id"], "session_id": session, "batch_no": no, "full": full,
        "data": deflate(events)})


async def test_view_consent_batches_relay_and_storage(server: Server) -> None:
    widget, console, conv = await sharing(server)
    assert await batch(widget, conv, 0, FULL, full=True) == {"snapshot_needed": False,
                                                              "recorded": True}
    relayed = await console.wait_for("cobrowse_batch")
    assert relayed["batch_no"] == 0 and relayed["full"] is True and relayed["recorded"] is True
    assert orjson.loads(zlib.decompress(relayed["data"], -zlib.MAX_WBITS)) == FULL
    await batch(widget, conv, 1, INCREMENTAL)
    await console.wait_for("cobrowse_batch", lambda b: b["batch_no"] == 1)
    # A gap: the server refuses the batch and asks for a full snapshot.
    assert await batch(widget, conv, 5, INCREMENTAL) == {"snapshot_needed": True,
                                                         "recorded": None}
    assert not console.events("cobrowse_batch", lambda b: b["batch_no"] == 5)
    await batch(widget, conv, 6, FULL, full=True)
    await console.wait_for("cobrowse_batch", lambda b: b["batch_no"] == 6)
    # Stored, on the conversation's clock, referenced from the log.
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    history = await console.call("get_history", {"conversation_id": conv["id"]})
    chunks = [e["data"] for e in history["events"] if e["type"] == "cobrowse_chunk"]
    assert [c["first_batch"] for c in chunks] == [0, 6]
    folder = server.settings.data_dir / "recordings" / conv["id"]
    first = read_records(folder / chunks[0]["file"])
    assert [h["batch_no"] for h, _ in first] == [0, 1]
    assert zlib.decompress(first[1][1], -zlib.MAX_WBITS) == orjson.dumps(INCREMENTAL)
    # The visitor never sees where chunks are stored.
    assert not widget.events("cobrowse_chunk")



async def test_pages_the_site_does_not_record_are_relayed_not_stored(server: Server) -> None:
    """`pause_urls`, by default a store's checkout and payment pages: the agent still sees
    the checkout; nothing of it is stored; both sides are told per batch, and the log has the
    gap with its page."""
    site = await server.aisle.store.sites.get_by_key("demo")
    assert site is not None and "recording" not in site.settings
    widget, console, conv = await sharing(server)
    checkout = [{"type": 4, "timestamp": 1, "data": {"href": "http://shop/checkout?step=2",
                                                     "width": 1280, "height": 800}}, FULL[1]]
    assert (await batch(widget, conv, 0, FULL, full=True))["recorded"] is True
    assert (await batch(widget, conv, 1, checkout, full=True))["recorded"] is False
    assert (await batch(widget, conv, 2, INCREMENTAL))["recorded"] is False
    relayed = await console.wait_for("cobrowse_batch", lambda b: b["batch_no"] == 2)
    assert relayed["recorded"] is False
    paused = await console.wait_for("recording_paused")
    assert paused["data"] == {"kind": "cobrowse", "reason": "url", "session_id": "tab1",
                              "url": "http://shop/checkout?step=2", "since": None}
    assert (await batch(widget, conv, 3, FULL, full=True))["recorded"] is True  # back to cart
    await console.wait_for("recording_resumed")

    # A single-page app moves to its checkout (the widget says where, no snapshot): a batch
    # with any of it is not kept, whatever the case of the address.
    def moved(href: str) -> dict[str, Any]:
        return {"type": 5, "timestamp": 4, "data": {"tag": "aisle:page", "payload": {
            "href": href}}}

    spa = [*INCREMENTAL, moved("http://shop/Checkout/pay"), *INCREMENTAL]
    assert (await batch(widget, conv, 4, spa))["recorded"] is False
    paused = await console.wait_for("recording_paused", count=2)
    assert paused["data"]["url"] == "http://shop/Checkout/pay"
    assert (await batch(widget, conv, 5, INCREMENTAL))["recorded"] is False
    # Back on the cart: recorded again from the snapshot the widget then sends.
    assert (await batch(widget, conv, 6, [moved("http://shop/cart"), *INCREMENTAL]))[
        "recorded"] is False
    await console.wait_for("recording_resumed", count=2)
    assert (await batch(widget, conv, 7, FULL, full=True))["recorded"] is True
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    folder = server.aisle.cobrowse.recordings_dir(conv["id"]) / "cobrowse"
    stored = {p.name: [h["batch_no"] for h, _ in read_records(p)] for p in folder.iterdir()}
    assert stored == {"tab1-000000.cb": [0], "tab1-000003.cb": [3], "tab1-000007.cb": [7]}


async def test_a_page_load_out_of_the_checkout_resumes_the_recording(server: Server) -> None:
    """A real page load (not a single-page app) starts a new page session: recording resumes
    there, and the gap the checkout opened ends, in the log and in the review's manifest."""
    widget, console, conv = await sharing(server)
    checkout = [{"type": 4, "timestamp": 1, "data": {"href": "http://shop/checkout",
                                                     "width": 1280, "height": 800}}, FULL[1]]
    assert (await batch(widget, conv, 0, FULL, full=True))["recorded"] is True
    assert (await batch(widget, conv, 0, checkout, full=True, session="page2"))[
        "recorded"] is False
    await console.wait_for("recording_paused")
    # Another real page load, to the next step of the checkout: still not recorded.
    step2 = [{"type": 4, "timestamp": 1, "data": {"href": "http://shop/checkout/2",
                                                  "width": 1280, "height": 800}}, FULL[1]]
    assert (await batch(widget, conv, 0, step2, full=True, session="page3"))[
        "recorded"] is False
    # Back to the store's help page, a page load of its own.
    assert (await batch(widget, conv, 0, FULL, full=True, session="page4"))["recorded"] is True
    resumed = await console.wait_for("recording_resumed")
    assert resumed["data"]["session_id"] == "page2"  # the gap the checkout opened
    store = server.aisle.store
    events = await store.conversations.events_after(conv["id"], 0, agent_view=True)
    assert [e.type for e in events].count("recording_paused") == 1
    state = await store.conversations.get(conv["id"])
    assert state is not None
    [gap] = build_manifest(state, events, lambda f: f).gaps
    assert gap.reason == "url" and gap.end_offset_ms is not None
    # Logs written before this fix have no resume: the manifest ends the gap where the next
    # page's recording starts, or where the sharing ends.
    await widget.call("stop_cobrowse", {"conversation_id": conv["id"]})
    await console.wait_for("cobrowse_ended")
    events = await store.conversations.events_after(conv["id"], 0, agent_view=True)
    old = [e for e in events if e.type != "recording_resumed"]
    chunk = next(e for e in old if e.type == "cobrowse_chunk"
                 and e.data.model_dump()["session_id"] == "page4")
    [gap] = build_manifest(state, old, lambda f: f).gaps
    assert gap.end_offset_ms == chunk.ts - state.created_at
    ended = next(e for e in old if e.type == "cobrowse_ended")
    [gap] = build_manifest(state, [e for e in old if e is not chunk], lambda f: f).gaps
    assert gap.end_offset_ms == ended.ts - state.created_at


async def test_a_site_may_record_its_checkout(server: Server) -> None:
    site = await server.aisle.store.sites.get_by_key("demo")
    assert site is not None
    await server.aisle.store.sites.update(site.id, settings={
        **site.settings, "recording": {"pause_urls": []}})
    widget, _, conv = await sharing(server)
    payment = [{"type": 4, "timestamp": 1, "data": {"href": "http://shop/payment",
                                                    "width": 1280, "height": 800}}, FULL[1]]
    assert (await batch(widget, conv, 0, payment, full=True))["recorded"] is True

async def test_a_large_batch_comes_in_parts(server: Server) -> None:
    widget, console, conv = await sharing(server)
    # Random text compresses badly: a page like that needs several parts.
    texts = [secrets.token_hex(64) for _ in range(3000)]
    page = [*FULL, {"type": 3, "data": {"source": 0, "texts": texts}, "timestamp": 4}]
    data = deflate(page)
    size = 100_000
    parts = [data[i:i + size] for i in range(0, len(data), size)]
    assert len(parts) > 1
    for index, part in enumerate(parts):
        await widget.call("cobrowse_batch", {"conversation_id": conv["id"], "session_id": "t",
                                             "batch_no": 0, "full": True, "part": index,
                                             "parts": len(parts), "data": part})
    relayed = await console.wait_for("cobrowse_batch")
    assert relayed["data"] == data


async def test_declining_and_stopping(server: Server) -> None:
    widget, console, conv, _ = await accepted_chat(server)
    with pytest.raises(AckError) as err:
        await widget.call("answer_cobrowse", {"conversation_id": conv["id"], "allow": True})
    assert err.value.code == "conflict"  # nobody asked
    await console.call("request_cobrowse", {"conversation_id": conv["id"]})
    await widget.call("answer_cobrowse", {"conversation_id": conv["id"], "allow": False})
    ended = await console.wait_for("cobrowse_ended")
    assert ended["data"] == {"by": "visitor", "reason": "declined"}
    with pytest.raises(AckError) as err:
        await batch(widget, conv, 0, FULL, full=True)
    assert err.value.code == "conflict"
    await console.call("request_cobrowse", {"conversation_id": conv["id"]})
    await widget.call("answer_cobrowse", {"conversation_id": conv["id"], "allow": True})
    await widget.call("stop_cobrowse", {"conversation_id": conv["id"]})
    stopped = await console.wait_for("cobrowse_ended", count=2)
    assert stopped["data"] == {"by": "visitor", "reason": "stopped"}
    state = await console.call("get_conversation", {"conversation_id": conv["id"]})
    assert (state["cobrowse"], state["control"]) == ("off", "off")


async def test_hostile_batches_are_rejected_and_others_unaffected(
        make_server: ServerFactory) -> None:
    server = await make_server(errors_before_disconnect=100)
    widget, console, conv = await sharing(server)
    bomb = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    bomb_data = bomb.compress(b"[" + b" " * 40_000_000) + bomb.flush()
    cases = [
        (b"not deflate at all", "invalid_payload"),
        (deflate([])[:-3], "invalid_payload"),
        (zlib.compress(b"[]")[2:-4] + b"x", "invalid_payload"),
        (bomb_data, "too_large"),
        (deflate({"not": "a list"}), "invalid_payload"),  # type: ignore[arg-type]
        (deflate([{"type": 99, "timestamp": 1}]), "invalid_payload"),
        (deflate([{"type": 2}]), "invalid_payload"),
        (deflate(["<script>alert(1)</script>"]), "invalid_payload"),  # type: ignore[list-item]
    ]
    for data, code in cases:
        with pytest.raises(AckError) as err:
            await widget.call("cobrowse_batch", {"conversation_id": conv["id"],
                                                 "session_id": "s", "batch_no": 0, "full": True,
                                                 "data": data})
        assert err.value.code == code
    for bad in [{"conversation_id": conv["id"], "session_id": "s", "batch_no": 0,
                 "data": "a string, not bytes"},
                {"conversation_id": conv["id"], "session_id": "../x", "batch_no": 0,
                 "data": b"x"},
                {"conversation_id": conv["id"], "session_id": "s", "batch_no": 0,
                 "data": b"x" * 300_000}]:
        with pytest.raises(AckError) as err:
            await widget.call("cobrowse_batch", bad)
        assert err.value.code == "invalid_payload"
    assert not console.events("cobrowse_batch")
    # A second, honest conversation is not affected, nor is this one.
    w2, c2, conv2 = await sharing(server)
    await batch(w2, conv2, 0, FULL, full=True)
    await c2.wait_for("cobrowse_batch")
    await batch(widget, conv, 0, FULL, full=True)
    await console.wait_for("cobrowse_batch")
    # A page address Python's URL parser refuses (a bracketed host that is no IP address):
    # relayed like any page, not an internal error that would have the page resend its
    # snapshot forever.
    for n, href in enumerate(("https://[hidden]@shop.example/cart", "https://[x/cart")):
        odd = [{"type": 4, "timestamp": 1, "data": {"href": href, "width": 1280,
                                                     "height": 800}}, FULL[1]]
        assert (await batch(widget, conv, 0, odd, full=True, session=f"odd{n}"))[
            "snapshot_needed"] is False


async def test_another_visitor_cannot_inject_batches(server: Server) -> None:
    widget, console, conv = await sharing(server)
    intruder, _ = await server.visitor()
    with pytest.raises(AckError) as err:
        await batch(intruder, conv, 0, FULL, full=True)
    assert err.value.code == "forbidden"


async def test_control_consent_commands_and_their_log(make_server: ServerFactory) -> None:
    server = await make_server()
    widget, console, conv = await sharing(server)
    command = {"conversation_id": conv["id"], "command_id": "k1", "action": "click",
               "target": {"node_id": 12, "x": 10, "y": 20}}
    with pytest.raises(AckError) as err:
        await console.call("cobrowse_command", command)
    assert err.value.code == "forbidden"
    await console.call("request_control", {"conversation_id": conv["id"]})
    asked = await widget.wait_for("control_requested")
    assert asked["data"]["expires_at"] > asked["ts"]
    await widget.call("answer_control", {"conversation_id": conv["id"], "allow": True})
    await console.wait_for("control_granted")
    await console.call("cobrowse_command", command)
    got = await widget.wait_for("cobrowse_command")
    assert got["action"] == "click" and got["target"]["node_id"] == 12 and got["agent_name"]
    await widget.call("command_result", {"conversation_id": conv["id"], "command_id": "k1",
                                         "ok": True})
    applied = await console.wait_for("command_applied")
    assert applied == {"conversation_id": conv["id"], "command_id": "k1", "ok": True,
                       "reason": None}
    await console.call("cobrowse_command", {**command, "command_id": "k2", "action": "type",
                                            "value": "4242 4242"})
    await widget.call("command_result", {"conversation_id": conv["id"], "command_id": "k2",
                                         "ok": False, "reason": "masked field"})
    refused = await console.wait_for("command_applied", lambda d: d["command_id"] == "k2")
    assert refused["reason"] == "masked field"
    history = await console.call("get_history", {"conversation_id": conv["id"]})
    actions = [e["data"] for e in history["events"] if e["type"] == "control_action"]
    assert [(a["action"], a["ok"]) for a in actions] == [("click", True), ("type", False)]
    # What the page refused to type (a card number into a masked field) is not stored, nor
    # shown to other agents or in review.
    assert actions[1]["value"] is None
    assert "4242" not in str(history) and "4242" not in str(console.received[-3:])
    stored = await server.aisle.store.conversations.events_after(conv["id"], 0,
                                                                  agent_view=True)
    assert not [e for e in stored if "4242" in e.model_dump_json()]
    # Nor what the page took: the agent's view and the recording mask every field's value, and
    # the log must not hold what they hide (a name typed on an unrecorded checkout).
    await console.call("cobrowse_command", {**command, "command_id": "k2b", "action": "type",
                                            "value": "Dana Example"})
    await widget.call("command_result", {"conversation_id": conv["id"], "command_id": "k2b",
                                         "ok": True})
    await console.wait_for("command_applied", lambda d: d["command_id"] == "k2b")
    stored = await server.aisle.store.conversations.events_after(conv["id"], 0,
                                                                  agent_view=True)
    typed = [e for e in stored if e.type == "control_action" and e.data.action == "type"]
    assert typed[-1].data.ok and typed[-1].data.value is None
    assert not [e for e in stored if "Dana Example" in e.model_dump_json()]
    # Off-store navigation is refused by the server (the site is served from Aisle's own
    # origin: the shared page's, http://shop here); the shopper revokes with one call.
    for url in ("https://evil.example/", "HTTP://EVIL.example/", "http://[::1]:22/"):
        with pytest.raises(AckError) as err:
            await console.call("cobrowse_command", {"conversation_id": conv["id"],
                                                    "command_id": "k3", "action": "navigate",
                                                    "url": url})
        assert err.value.code == "forbidden", url
    await batch(widget, conv, 0, FULL, full=True)  # the shared page: http://shop/cart
    sent = await console.call("cobrowse_command", {"conversation_id": conv["id"],
                                                   "command_id": "k3b", "action": "navigate",
                                                   "url": "http://shop/checkout"})
    assert sent == {"command_id": "k3b"}
    with pytest.raises(AckError) as err:
        await console.call("cobrowse_command", {"conversation_id": conv["id"],
                                                "command_id": "k3", "action": "navigate",
                                                "url": "javascript:alert(1)"})
    assert err.value.code == "invalid_payload"
    await widget.call("revoke_control", {"conversation_id": conv["id"]})
    ended = await console.wait_for("control_ended")
    assert ended["data"]["by"] == "visitor"
    with pytest.raises(AckError):
        await console.call("cobrowse_command", {**command, "command_id": "k4"})


async def test_an_unanswered_control_request_lapses(server: Server,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from signaling.cobrowse import service

    monkeypatch.setattr(service, "CONTROL_REQUEST_S", 0.3)
    widget, console, conv = await sharing(server)
    await console.call("request_control", {"conversation_id": conv["id"]})
    lapsed = await console.wait_for("control_ended")
    assert lapsed["data"]["by"] == "system"
    with pytest.raises(AckError):
        await widget.call("answer_control", {"conversation_id": conv["id"], "allow": True})


async def test_pointer_and_snapshot_requests_reach_the_page(server: Server) -> None:
    widget, console, conv = await sharing(server)
    await console.call("cobrowse_pointer", {"conversation_id": conv["id"], "kind": "highlight",
                                            "target": {"node_id": 3, "x": 1, "y": 2}})
    pointed = await widget.wait_for("pointer_moved")
    assert pointed["kind"] == "highlight" and pointed["agent_name"]
    # A stroke of the drawing tool, as the console sends it (JSON arrays of [x, y]).
    await console.call("cobrowse_pointer", {"conversation_id": conv["id"], "kind": "draw",
                                            "points": [[10, 20], [30.5, 40]]})
    drawn = await widget.wait_for("pointer_moved", lambda p: p["kind"] == "draw")
    assert drawn["points"] == [[10, 20], [30.5, 40]]
    with pytest.raises(AckError) as err:
        await console.call("cobrowse_pointer", {"conversation_id": conv["id"], "kind": "draw",
                                                "points": [[1, 2, 3]]})
    assert err.value.code == "invalid_payload"
    await console.call("request_snapshot", {"conversation_id": conv["id"]})
    await widget.wait_for("snapshot_requested")


async def test_a_transfer_ends_co_browsing(server: Server, tmp_path: Path) -> None:
    widget, console, conv = await sharing(server)
    await server.agent_client(await server.add_agent("seller", teams=("sales",)))
    await console.call("transfer", {"conversation_id": conv["id"], "to_team": "sales"})
    ended = await widget.wait_for("cobrowse_ended")
    assert ended["data"] == {"by": "system", "reason": "agent_left"}


async def test_what_one_shopper_can_make_the_server_hold_or_do_is_bounded(
        make_server: ServerFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deflate shrinks repetitive JSON several hundredfold: the bounds are on events per batch,
    bytes of a batch in parts, page sessions kept, and inflated bytes per second."""
    server = await make_server(errors_before_disconnect=100)
    widget, console, conv = await sharing(server)

    async def refused(payload: dict[str, Any]) -> str:
        with pytest.raises(AckError) as err:
            await widget.call("cobrowse_batch", {"conversation_id": conv["id"], **payload})
        return str(err.value.code)

    # 600k tiny events in 40 KB: too many for one batch.
    many = deflate([{"type": 3, "timestamp": 1}] * 600_000)
    assert len(many) < 100_000
    assert await refused({"session_id": "a", "batch_no": 0, "full": True, "data": many}) \
        == "too_large"
    # Parts that never complete add up to at most MAX_BATCH_BYTES per batch.
    noise = secrets.token_bytes(210_000)
    for i in range(19):  # 4 MB held, waiting for the other parts
        await widget.call("cobrowse_batch", {"conversation_id": conv["id"], "session_id": "p",
                                             "batch_no": 0, "full": True, "part": i,
                                             "parts": 64, "data": noise})
    assert await refused({"session_id": "p", "batch_no": 0, "full": True, "part": 19,
                          "parts": 64, "data": noise}) == "too_large"
    assert server.aisle.cobrowse._streams._streams[conv["id"]]["p"].pending is None
    # Page sessions: only the last few are remembered (each new page is one).
    for n in range(12):
        await batch(widget, conv, 0, FULL, full=True, session=f"page{n}")
    streams = server.aisle.cobrowse._streams._streams[conv["id"]]
    assert list(streams) == [f"page{n}" for n in range(4, 12)]
    # Inflated bytes per second: a small budget here, spent by a few snapshots.
    monkeypatch.setattr(batches, "INFLATED_BYTES_PER_S", 1)
    budget = server.aisle.cobrowse._streams._budgets[conv["id"]]
    budget.tokens = 1_000
    big = [*FULL, {"type": 3, "data": {"text": "x" * 2_000}, "timestamp": 3}]
    await batch(widget, conv, 0, big, full=True)  # admitted, and the budget is overspent
    assert await refused({"session_id": "tab1", "batch_no": 1, "full": False,
                          "data": deflate(INCREMENTAL)}) == "rate_limited"
    # A batch that fails its check costs what inflating it cost all the same.
    budget.tokens = 1_000_000
    junk = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    not_json = junk.compress(b"x" * 2_000_000) + junk.flush()
    assert await refused({"session_id": "j", "batch_no": 0, "full": True,
                          "data": not_json}) == "invalid_payload"
    assert budget.tokens <= -900_000
    # Batches sent at once are taken one at a time: the budget stops all but the first.
    budget.tokens = 1_000
    results = await asyncio.gather(*(widget.ack("cobrowse_batch", {
        "conversation_id": conv["id"], "session_id": f"c{n}", "batch_no": 0, "full": True,
        "data": deflate(big)}) for n in range(4)))
    assert sorted(r["ok"] for r in results) == [False, False, False, True]
    assert {r["error"]["code"] for r in results if not r["ok"]} == {"rate_limited"}
    # Another shopper's sharing is not affected.
    w2, c2, conv2 = await sharing(server)
    await batch(w2, conv2, 0, big, full=True)
    await c2.wait_for("cobrowse_batch")


async def test_a_chunk_too_large_to_replay_is_refused_not_inflated(
        server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The review player's chunk is made from the stored records without parsing them; one
    that would inflate beyond the bound is refused instead of filling the server's memory."""
    widget, console, conv = await sharing(server)
    await batch(widget, conv, 0, FULL, full=True)
    for no in range(1, 4):
        await batch(widget, conv, no, [{"type": 3, "data": {"t": "y" * 1_000_000},
                                        "timestamp": no}])
    await widget.call("stop_cobrowse", {"conversation_id": conv["id"]})
    assert server.aisle.cobrowse.flush()
    [chunk] = (server.settings.data_dir / "recordings" / conv["id"] / "cobrowse").iterdir()
    decoded = orjson.loads(Review.decode_chunk(chunk))
    assert [b["batch_no"] for b in decoded] == [0, 1, 2, 3] and decoded[0]["events"] == FULL
    assert orjson.loads(gzip.decompress(Review.decode_chunk(chunk, gzipped=True))) == decoded
    monkeypatch.setattr(review_service, "MAX_CHUNK_JSON_BYTES", 2_000_000)
    with pytest.raises(TooLarge):
        Review.decode_chunk(chunk)


async def cobrowse_state(server: Server, conversation_id: str) -> str:
    conv = await server.aisle.store.conversations.get(conversation_id)
    assert conv is not None
    return conv.cobrowse


async def test_closing_the_shared_tab_ends_the_sharing_while_the_shopper_stays(
        make_server: ServerFactory) -> None:
    """The page being shared goes away. The next page of the same tab (a reload) takes over;
    with none taking over while the shopper stays on the store in another tab, that tab was
    closed: the sharing ends (page_closed) and the agent may ask again. With no page of the
    shopper's left, they are away: the sharing waits for them."""
    server = await make_server(cobrowse_page_gone_s=0.3)
    timers = server.aisle.timers
    widget, console, conv = await sharing(server)
    key = f"cobrowse-page:{conv['id']}"
    origin = {"Origin": server.origin}
    other_tab = await server.connect("/visitor", widget.token, headers=origin)
    await batch(widget, conv, 0, FULL, full=True)

    # A reload: the page goes, the next one sends its snapshot: the wait is called off.
    await widget.close()
    await until(lambda: timers.pending(key), what="the wait for the next page")
    reloaded = await server.connect("/visitor", widget.token, headers=origin)
    await batch(reloaded, conv, 0, FULL, full=True, session="tab1-next")
    assert not timers.pending(key)
    assert await cobrowse_state(server, conv["id"]) == "on"

    # The shared tab closes for good; the other tab stays.
    await reloaded.close()
    ended = await console.wait_for("cobrowse_ended")
    assert ended["data"] == {"by": "system", "reason": "page_closed"}
    assert ended["actor"]["kind"] == "system"
    await other_tab.wait_for("cobrowse_ended")
    assert len(console.events("cobrowse_ended")) == 1
    await console.call("request_cobrowse", {"conversation_id": conv["id"]})  # asked again

    # Shared again from the other tab, which then goes too: no page of the shopper's left,
    # the sharing waits for them.
    await other_tab.call("answer_cobrowse", {"conversation_id": conv["id"], "allow": True})
    await batch(other_tab, conv, 0, FULL, full=True, session="tab2")
    await other_tab.close()
    await until(lambda: not timers.pending(key), what="the wait to run")  # found them away
    assert await cobrowse_state(server, conv["id"]) == "on"
    assert len(console.events("cobrowse_ended")) == 1


async def test_a_recording_that_cannot_be_written_stops_and_says_so(server: Server) -> None:
    """A full disk: the sharing's chunk cannot be written (here /dev/full, which answers every
    write with ENOSPC). The recording stops with a gap the player shows ("storage"), both
    sides hear it is not recorded, later batches are relayed as not recorded; the agent resumes
    it once there is room, from a fresh snapshot."""
    widget, console, conv = await sharing(server)
    folder = server.aisle.cobrowse.recordings_dir(conv["id"]) / "cobrowse"
    folder.mkdir(parents=True)
    (folder / "tab1-000000.cb").symlink_to("/dev/full")
    await batch(widget, conv, 0, FULL, full=True)
    paused = await console.wait_for("recording_paused")
    assert paused["data"]["reason"] == "storage" and paused["actor"]["kind"] == "system"
    for client in (widget, console):
        await client.wait_for("conversation_updated",
                              lambda u: u["conversation"]["cobrowse_recorded"] is False)
    assert await batch(widget, conv, 1, INCREMENTAL) == {"snapshot_needed": False,
                                                         "recorded": False}
    relayed = await console.wait_for("cobrowse_batch", lambda b: b["batch_no"] == 1)
    assert relayed["recorded"] is False  # the agent's view goes on
    await console.call("resume_recording", {"conversation_id": conv["id"], "kind": "cobrowse"})
    await widget.wait_for("snapshot_requested")
    assert (await batch(widget, conv, 2, FULL, full=True))["recorded"] is True
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    assert [h["batch_no"] for h, _ in read_records(folder / "tab1-000002.cb")] == [2]
    events = await server.aisle.store.conversations.events_after(conv["id"], 0, agent_view=True)
    state = await server.aisle.store.conversations.get(conv["id"])
    assert state is not None and state.cobrowse_recorded is True
    manifest = build_manifest(state, events, lambda f: f)
    assert [(g.kind, g.reason, g.end_offset_ms is not None) for g in manifest.gaps] == [
        ("cobrowse", "storage", True)]
    # The chunk the disk refused is not left behind empty, and the recording still exports.
    assert not (folder / "tab1-000000.cb").exists()
    exported = build_zip(folder.parent, state, events, manifest)
    with zipfile.ZipFile(exported) as archive:
        assert "cobrowse/tab1-000002.json" in archive.namelist()
    exported.unlink()


def test_a_record_the_disk_refuses_halfway_is_cut_off(tmp_path: Path) -> None:
    """The writer never leaves half a record in a chunk: what it holds stays readable, and the
    file takes no more records once one failed (the service hears of it)."""
    failures: list[Path] = []
    writer = ChunkWriter(on_failure=lambda path, _: failures.append(path))
    path = tmp_path / "tab1-000000.cb"
    writer.open(path)
    writer.append(path, encode_record(0, True, 1, b"snapshot"))
    assert writer.flush()

    class HalfWritten:
        """The real file, filling up after a few bytes of the next record."""

        def __init__(self, real: Any) -> None:
            self._real = real

        def write(self, data: bytes) -> int:
            self._real.write(bytes(data[:5]))
            raise OSError(28, "No space left on device")

        def __getattr__(self, name: str) -> Any:
            return getattr(self._real, name)

    writer._files[path] = HalfWritten(writer._files[path])  # type: ignore[assignment]
    writer.append(path, encode_record(1, False, 2, b"lost"))
    writer.append(path, encode_record(2, False, 3, b"after"))
    assert writer.flush()
    writer.close()
    assert failures == [path]
    assert [h["batch_no"] for h, _ in read_records(path)] == [0]
    assert path.stat().st_size == len(MAGIC) + len(encode_record(0, True, 1, b"snapshot"))
    (tmp_path / "empty.cb").touch()  # a file the disk refused even its first bytes
    assert read_records(tmp_path / "empty.cb") == []
