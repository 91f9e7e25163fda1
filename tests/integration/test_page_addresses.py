"""Secrets in page addresses, from a client that did not hide them (an older widget, a script
with a visitor token): the server hides them again before anything is stored or shown to an
agent — page views, the chat's start page, the page a co-browse gap names — by the built-in
rules the widget shares (signaling/addresses.py). Where the shopper is stays readable."""

from __future__ import annotations

import asyncio
import zlib
from typing import Any

import orjson

from tests.integration.flows import start
from tests.integration.harness import Server

RESET = ("https://shop.example/account/reset?token=abc123&utm_source=mail"
         "&email=dana%40example.com#access_token=xyz")
RESET_SHOWN = ("https://shop.example/account/reset?token=[hidden]&utm_source=mail"
               "&email=[hidden]#access_token=[hidden]")
# A page the site does not record by default (its checkout): the log names it in a gap.
CHECKOUT = "https://shop.example/checkout?sid=s3ss10n&step=2#id_token=eyJhbGciOi.eyJzdWIi.c2ln"
CHECKOUT_SHOWN = "https://shop.example/checkout?sid=[hidden]&step=2#id_token=[hidden]"
SECRETS = ("abc123", "xyz", "dana%40example.com", "dana@example.com", "s3ss10n", "eyJhbGciOi")


def deflate(events: list[dict[str, Any]]) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(orjson.dumps(events)) + compressor.flush()


async def test_a_forged_client_cannot_store_secrets_in_page_addresses(server: Server) -> None:
    agent = await server.add_agent(teams=("support",))
    console = await server.agent_client(agent)
    widget, _ = await server.visitor()

    # A page view: the profile keeps the page with its secrets hidden.
    profile = await widget.call("page_view", {"url": RESET, "title": "Choose a new password"})
    assert profile["current_page"]["url"] == RESET_SHOWN
    assert [p["url"] for p in profile["pages_visited"]] == [RESET_SHOWN]

    # The chat's start page, as the agent is offered it and as the log keeps it.
    conv = await start(widget, page_url=RESET)
    await console.wait_for("offer_received", lambda d: d["conversation"]["id"] == conv["id"])
    await console.call("accept_offer", {"conversation_id": conv["id"]})
    await widget.wait_for("agent_joined")
    history = await console.call("get_history", {"conversation_id": conv["id"]})
    started = next(e for e in history["events"] if e["type"] == "conversation_started")
    assert started["data"]["page_url"] == RESET_SHOWN

    # The next page, as the agent watching sees it.
    await widget.call("page_view", {"url": CHECKOUT, "title": "Checkout"})
    updated = await console.wait_for("visitor_updated")
    assert updated["visitor"]["current_page"]["url"] == CHECKOUT_SHOWN

    # Co-browsing: the batch is relayed as sent (the server never rewrites page data), but the
    # page the log names for the recording's gap is scrubbed.
    await console.call("request_cobrowse", {"conversation_id": conv["id"]})
    await widget.wait_for("cobrowse_requested")
    await widget.call("answer_cobrowse", {"conversation_id": conv["id"], "allow": True})
    await console.wait_for("cobrowse_started")
    snapshot = [{"type": 4, "timestamp": 1,
                 "data": {"href": CHECKOUT, "width": 1280, "height": 800}},
                {"type": 2, "timestamp": 2, "data": {"node": {"type": 0, "childNodes": [],
                                                              "id": 1}}}]
    ack = await widget.call("cobrowse_batch", {
        "conversation_id": conv["id"], "session_id": "tab1", "batch_no": 0, "full": True,
        "data": deflate(snapshot)})
    assert ack["recorded"] is False
    paused = await console.wait_for("recording_paused")
    assert paused["data"]["url"] == CHECKOUT_SHOWN

    # Nothing of the secrets is in the database (nor in a chunk: the checkout is not recorded).
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    data_dir = server.settings.data_dir
    stored = [p.read_bytes() for p in data_dir.glob("*.db*")]
    stored += [p.read_bytes() for p in data_dir.glob("recordings/**/*") if p.is_file()]
    assert stored
    for secret in SECRETS:
        assert not any(secret.encode() in blob for blob in stored), secret
    assert any(b"utm_source=mail" in blob for blob in stored)
