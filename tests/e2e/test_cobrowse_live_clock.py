"""The live view plays what the shopper's page sends as it arrives, whatever the shopper's clock
says and however long its page took to serialize itself: a page whose Meta event is a minute
older than its FullSnapshot (a very slow page), then a shopper whose clock is an hour ahead of
the agent's. Each later mutation shows in the mirror as soon as it is relayed; a view that
started its replay clock at the Meta event would hold each one back by the minute."""

from __future__ import annotations

import time
from typing import Any

import pytest
from playwright.async_api import expect

from tests.e2e.cobrowse_helpers import client_shares, deflate, mirror
from tests.e2e.conftest import ContextFactory
from tests.integration.harness import Server

pytestmark = pytest.mark.browser

MINUTE_MS = 60_000
HOUR_MS = 3_600_000




def page(ul_id: int) -> dict[str, Any]:
    """A document with an empty list, as rrweb serializes it."""
    return {"type": 0, "id": 1, "childNodes": [
        {"type": 1, "name": "html", "publicId": "", "systemId": "", "id": 2},
        {"type": 2, "tagName": "html", "attributes": {}, "id": 3, "childNodes": [
            {"type": 2, "tagName": "head", "attributes": {}, "id": 4, "childNodes": []},
            {"type": 2, "tagName": "body", "attributes": {}, "id": 5, "childNodes": [
                {"type": 2, "tagName": "ul", "attributes": {"id": "items"}, "id": ul_id,
                 "childNodes": []}]}]}]}


def add_item(ul_id: int, node_id: int, label: str, at: float) -> dict[str, Any]:
    # As rrweb records it: one add per node, children after their parent.
    li = {"type": 2, "tagName": "li", "attributes": {}, "id": node_id, "childNodes": []}
    label_node = {"type": 3, "textContent": label, "id": node_id + 1}
    return {"type": 3, "timestamp": at, "data": {
        "source": 0, "texts": [], "attributes": [], "removes": [],
        "adds": [{"parentId": ul_id, "nextId": None, "node": li},
                 {"parentId": node_id, "nextId": None, "node": label_node}]}}


async def test_events_after_a_slow_snapshot_play_on_arrival(
        patient_server: Server, new_context: ContextFactory) -> None:
    server = patient_server
    alex = await server.add_agent("alex", teams=("support",))
    agent, visitor, conv = await client_shares(new_context, server, alex, "Sam")
    items = mirror(agent).locator("#items li")

    async def send(no: int, events: list[dict[str, Any]], full: bool = False,
                   session: str = "slow") -> None:
        await visitor.call("cobrowse_batch", {
            "conversation_id": conv["id"], "session_id": session, "batch_no": no,
            "full": full, "data": deflate(events)})

    def snapshot(now: float, serializing_ms: float) -> list[dict[str, Any]]:
        return [{"type": 4, "timestamp": now - serializing_ms,
                 "data": {"href": "https://shop.example/", "width": 1024, "height": 700}},
                {"type": 2, "timestamp": now, "data": {
                    "node": page(10), "initialOffset": {"top": 0, "left": 0}}}]

    for session, skew in (("slow", 0), ("ahead", HOUR_MS)):
        now = time.time() * 1000 + skew
        await send(0, snapshot(now, MINUTE_MS), full=True, session=session)
        await expect(mirror(agent).locator("#items")).to_be_attached()
        await expect(items).to_have_count(0)
        for no in range(1, 4):
            at = time.time() * 1000 + skew
            await send(no, [add_item(10, 100 + 2 * no, f"{session} {no}", at)], session=session)
            # Shown now, not a minute from now (the expectation gives up long before that).
            await expect(items).to_have_count(no)
            await expect(items.last).to_have_text(f"{session} {no}")
