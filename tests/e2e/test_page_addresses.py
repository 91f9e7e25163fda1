"""Secrets in the shopper's page address stay in the browser: a shopper arrives on a product page
from a mail whose link carries a token, a campaign and an OAuth fragment, chats and shares the
page, then a single-page move adds a code. The agent's visitor panel, the co-browse mirror, what
the server received and what it keeps (the log, the profile, the recorded chunks) show where
the shopper is, campaign included, and none of the secrets; a name the site lists
(`cobrowse.hidden_url_params`) is hidden too."""

from __future__ import annotations

import asyncio
import re
import zlib
from typing import Any

import pytest
from playwright.async_api import Request, expect

from signaling.cobrowse.chunks import read_records
from tests.e2e.cobrowse_helpers import MIRROR_IFRAME, Received, chat_and_share, serve_bundle
from tests.e2e.conftest import ContextFactory, screenshot
from tests.e2e.test_console import watch_errors
from tests.integration.harness import Server

pytestmark = pytest.mark.browser

ADDRESS = ("/demo/product.html?id=harbour-tee&token=abc123&utm_source=mail&order_ref=ord5521"
           "#access_token=xyz")
SHOWN = "/demo/product.html?id=harbour-tee&token=[hidden]&utm_source=mail&order_ref=[hidden]"
# The single-page app's move: a code in the query.
MOVED = "/demo/product.html?id=harbour-tee&code=spa777&utm_source=mail"
MOVED_SHOWN = "/demo/product.html?id=harbour-tee&code=[hidden]&utm_source=mail"
SECRETS = ("abc123", "ord5521", "spa777")
# Three letters turn up by chance in random ids (Crockford base32 has x, y and z): where ids
# are, the fragment's value is looked for as a value.
FRAGMENT = "xyz"
AS_VALUE = re.compile(rb"(=|%3D)xyz", re.IGNORECASE)


def leaks(blob: bytes, ids_inside: bool = True) -> list[str]:
    found = [s for s in SECRETS if s.encode() in blob]
    if AS_VALUE.search(blob) or (not ids_inside and FRAGMENT.encode() in blob):
        found.append(FRAGMENT)
    return found


def kept(server: Server) -> list[bytes]:
    """What the server keeps, readable: the database file(s) and every recorded batch."""
    data_dir = server.settings.data_dir
    blobs = [p.read_bytes() for p in data_dir.glob("*.db*")]
    for chunk in data_dir.glob("recordings/*/cobrowse/*.cb"):
        blobs += [zlib.decompress(payload, -zlib.MAX_WBITS) for _, payload in read_records(chunk)]
    return blobs


async def test_secrets_in_the_page_address_never_leave_the_browser(
        patient_server: Server, new_context: ContextFactory) -> None:
    server = patient_server
    demo = await server.aisle.store.sites.get_by_key("demo")
    assert demo is not None
    await server.aisle.store.sites.update(demo.id, settings={
        **demo.settings, "cobrowse": {**demo.settings.get("cobrowse", {}),
                                      "hidden_url_params": ["order_ref"]}})
    received = Received(server)
    alex = await server.add_agent("alex", teams=("support",))
    context = await new_context(reduced_motion="reduce")
    await serve_bundle(context, server)
    shopper = await context.new_page()
    errors = watch_errors(shopper)
    texts: list[str] = []  # the socket's text frames (batches go as binary, deflated)
    shopper.on("websocket", lambda ws: ws.on(
        "framesent", lambda payload: texts.append(payload) if isinstance(payload, str) else None))
    ours: list[Request] = []  # requests the widget itself makes to Aisle
    shopper.on("request", lambda r: ours.append(r) if re.search(
        r"/api/v1/visitor-sessions|/aisle-cobrowse\.js", r.url) else None)
    await shopper.goto(server.url + ADDRESS)
    await expect(shopper.get_by_test_id("aisle-launcher")).to_be_visible()
    assert "abc123" in shopper.url  # the shopper's own browser keeps its address whole

    agent = await chat_and_share(new_context, server, shopper, alex)
    await shopper.get_by_test_id("cobrowse-allow").click()
    await expect(agent.get_by_test_id("cobrowse-live")).to_have_attribute("data-live", "live")

    # The agent sees where the shopper is, the campaign too, the secrets hidden.
    page_url = agent.get_by_test_id("visitor-panel").get_by_test_id("current-page").locator(
        ".page-url")
    await expect(page_url).to_have_text(server.url + SHOWN + "#access_token=[hidden]")
    # The mirror: a link to `#main` is written from the page's own address.
    skip = agent.frame_locator(MIRROR_IFRAME).locator("a.skip-link")
    await expect(skip).to_have_attribute("href", server.url + SHOWN + "#main")
    await screenshot(agent, "page-address-hidden")

    # A single-page move: said in the stream and as a page view, its code hidden.
    await shopper.evaluate("(path) => history.pushState({}, '', path)", MOVED)
    await expect(page_url).to_have_text(server.url + MOVED_SHOWN)

    mirror_html: str = await agent.evaluate(
        f"() => document.querySelector('{MIRROR_IFRAME}').contentDocument.documentElement"
        ".outerHTML")
    console_html = await agent.content()
    strings = "\n".join(received.strings())
    assert any("aisle:page" in s for s in received.strings()), "the move was not in the stream"
    assert received.full_count() >= 1
    sent = "\n".join(texts).encode()
    assert b"page_view" in sent and b"utm_source=mail" in sent
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    stored = kept(server)
    assert any(b"cobrowse_chunk" in blob for blob in stored), "nothing was recorded"

    assert not leaks(mirror_html.encode(), ids_inside=False), "the mirror shows a secret"
    assert not leaks(strings.encode(), ids_inside=False), "the stream carries a secret"
    assert not leaks(console_html.encode()), "the console shows a secret"
    assert not leaks(sent), "a secret went over the socket"
    for blob in stored:
        assert not leaks(blob), "a secret was stored"
    assert "utm_source=mail" in strings and "token=[hidden]" in strings
    assert any(b"utm_source=mail" in blob for blob in stored)

    # The conversation's log and the shopper's profile, as kept.
    conversation_id = await agent.locator("[role=tab][data-conversation]").first.get_attribute(
        "data-conversation")
    assert conversation_id
    events = await server.aisle.store.conversations.events_after(conversation_id, 0,
                                                                  agent_view=True)
    started = next(e for e in events if e.type == "conversation_started")
    page: Any = started.model_dump(mode="json")["data"]["page_url"]
    assert page == server.url + SHOWN + "#access_token=[hidden]"
    conv = await server.aisle.store.conversations.get(conversation_id)
    assert conv is not None
    profile = await server.aisle.store.visitors.get(conv.visitor_id)
    assert profile is not None and profile.current_page is not None
    assert profile.current_page.url == server.url + MOVED_SHOWN
    assert [p.url for p in profile.pages_visited] == [
        server.url + SHOWN + "#access_token=[hidden]", server.url + MOVED_SHOWN]

    # The widget's own requests to Aisle say only the store's origin (a proxy logs Referer).
    assert ours, "the widget made no request of its own"
    for request in ours:
        referer = (await request.all_headers()).get("referer", "")
        assert "abc123" not in referer and "?" not in referer, (request.url, referer)
    assert not [e for e in errors if "aisle" in e.lower()]
