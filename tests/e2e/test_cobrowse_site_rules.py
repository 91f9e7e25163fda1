"""A site's co-browse settings, set as an operator sets them. Rules per URL pattern (`aisle sites
set --cobrowse` against the running server's database) apply in the shopper's browser on the
next widget start: on the matching product page the footer is blocked and the banner masked
before anything is sent, while a rule for another page changes nothing here. Pictures from the
site's asset origins (a CDN) show in the agent's mirror; pictures from anywhere else do not."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys

import pytest
from aiohttp import web
from playwright.async_api import Page, expect

from tests.e2e.cobrowse_helpers import (
    MIRROR_IFRAME,
    Received,
    chat_and_share,
    eventually,
    mirror,
    shopper_page,
)
from tests.e2e.conftest import ContextFactory, screenshot
from tests.integration.harness import Server

pytestmark = pytest.mark.browser

FOOTER = "Harbour Street, Bristol"
BANNER = "nothing here is for sale"
RULES = {"rules": [
    {"match": "*/demo/product.html*", "block": [".site-footer"], "mask": [".demo-banner"]},
    {"match": "*/demo/cart.html*", "block": [".site-header"]},
]}




async def sharing_a_product_page(server: Server, new_context: ContextFactory
                                 ) -> tuple[Page, Page, list[str]]:
    """A shopper on a product page shares it with Alex, whose console shows it live."""
    alex = await server.add_agent("alex", teams=("support",))
    shopper, errors = await shopper_page(new_context, server,
                                         "/demo/product.html?id=harbour-tee")
    agent = await chat_and_share(new_context, server, shopper, alex)
    await shopper.get_by_test_id("cobrowse-allow").click()
    await expect(agent.get_by_test_id("cobrowse-live")).to_have_attribute("data-live", "live")
    return shopper, agent, errors


async def test_url_rules_block_and_mask_on_matching_pages(
        patient_server: Server, new_context: ContextFactory) -> None:
    server = patient_server
    cli = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "signaling.cli", "sites", "set", "demo",
        "--cobrowse", json.dumps(RULES), "--data-dir", str(server.settings.data_dir),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = await cli.communicate()
    assert cli.returncode == 0, err.decode()
    assert b"updated site demo" in out

    received = Received(server)
    shopper, agent, errors = await sharing_a_product_page(server, new_context)
    await expect(mirror(agent).locator("main")).to_contain_text("Harbour Tee")

    # The shopper sees both; the agent sees an empty box and asterisks.
    await expect(shopper.locator(".site-footer")).to_contain_text(FOOTER)
    await expect(shopper.locator(".demo-banner")).to_contain_text(BANNER)
    # A blocked element arrives as an empty box of its size (rrweb keeps only its class).
    footer = mirror(agent).locator(".site-footer")
    await expect(footer).to_be_attached()
    assert await footer.evaluate("(el) => el.childNodes.length") == 0
    banner = mirror(agent).locator(".demo-banner")
    await expect(banner).to_have_text(re.compile(r"^\*+( \*+){5,}$"))
    # The rule for the cart page does not touch this one.
    await expect(mirror(agent).locator(".site-header")).to_contain_text("Harbour Goods")

    # Not in any byte the server received.
    strings = " ".join(received.strings())
    assert "Harbour Goods" in strings  # text is really sent where no rule hides it
    assert FOOTER not in strings and BANNER not in strings
    assert "Bristol" not in strings and "for sale" not in strings
    assert errors == []


PICTURE = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30">'
           '<rect width="40" height="30" fill="#0f766e"/></svg>')


async def cdn() -> tuple[web.AppRunner, str]:
    """A picture host on loopback, as a store's CDN would be."""
    async def picture(_: web.Request) -> web.Response:
        return web.Response(text=PICTURE, content_type="image/svg+xml")

    app = web.Application()
    app.router.add_get("/tee.svg", picture)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]


async def loaded_in_mirror(agent: Page, img_id: str) -> bool | None:
    """True when the mirrored picture loaded, False when it failed, None while pending."""
    state: bool | None = await agent.evaluate(
        """([frame, id]) => {
          const img = document.querySelector(frame)?.contentDocument?.getElementById(id);
          if (!img || !img.complete) return null;
          return img.naturalWidth > 0;
        }""", [MIRROR_IFRAME, img_id])
    return state


async def test_pictures_from_asset_origins_show_in_the_mirror(
        patient_server: Server, new_context: ContextFactory) -> None:
    server = patient_server
    allowed, allowed_url = await cdn()
    other, other_url = await cdn()
    try:
        demo = await server.aisle.store.sites.get_by_key("demo")
        assert demo is not None
        await server.aisle.store.sites.update(demo.id, settings={
            **demo.settings, "cobrowse": {"rules": [], "asset_origins": [allowed_url]}})
        alex = await server.add_agent("alex", teams=("support",))
        shopper, _ = await shopper_page(new_context, server, "/demo/product.html?id=harbour-tee")
        agent = await chat_and_share(new_context, server, shopper, alex)
        await shopper.get_by_test_id("cobrowse-allow").click()
        await expect(agent.get_by_test_id("cobrowse-live")).to_have_attribute("data-live", "live")
        await shopper.evaluate("""([a, b]) => {
          for (const [id, src] of [["from-cdn", a], ["from-elsewhere", b]]) {
            const img = document.createElement("img");
            img.id = id; img.src = src; img.alt = "";
            document.querySelector("main").prepend(img);
          }}""", [allowed_url + "/tee.svg", other_url + "/tee.svg"])
        # The shopper's browser shows both (the store's page has no such policy).
        for img_id in ("from-cdn", "from-elsewhere"):
            await expect(shopper.locator(f"#{img_id}")).to_have_js_property("naturalWidth", 40)

        async def settled() -> bool:
            states = [await loaded_in_mirror(agent, i) for i in ("from-cdn", "from-elsewhere")]
            return None not in states

        await eventually(settled, what="both pictures in the mirror to load or fail")
        assert await loaded_in_mirror(agent, "from-cdn") is True
        assert await loaded_in_mirror(agent, "from-elsewhere") is False
    finally:
        await allowed.cleanup()
        await other.cleanup()



async def test_a_page_the_site_does_not_record_says_so_on_both_sides(
        patient_server: Server, new_context: ContextFactory) -> None:
    """`recording.pause_urls`: on the cart the sharing goes on, unrecorded, and the shopper's
    bar and the agent's view say so; back on a product page, recording resumes."""
    server = patient_server
    demo = await server.aisle.store.sites.get_by_key("demo")
    assert demo is not None
    await server.aisle.store.sites.update(demo.id, settings={
        **demo.settings, "recording": {"pause_urls": ["*/demo/cart.html*"]}})
    alex = await server.add_agent("alex", teams=("support",))
    shopper, errors = await shopper_page(new_context, server,
                                         "/demo/product.html?id=harbour-tee")
    agent = await chat_and_share(new_context, server, shopper, alex)
    await shopper.get_by_test_id("cobrowse-allow").click()
    recorded = agent.get_by_test_id("cobrowse-recorded")
    await expect(recorded).to_have_text("Recorded")
    bar = shopper.get_by_test_id("cobrowse-bar")
    await expect(bar).to_be_visible()
    await expect(bar.get_by_test_id("cobrowse-recorded")).to_have_count(0)  # the prompt said so

    await shopper.goto(server.url + "/demo/cart.html")
    await expect(mirror(agent).locator("main")).to_contain_text("Your cart")
    await expect(recorded).to_have_text("Not recorded on this page")
    await expect(bar.get_by_test_id("cobrowse-recorded")).to_have_text(
        " · Not recorded on this page")
    await expect(agent.get_by_test_id("cobrowse-pause-recording")).to_have_count(0)  # nothing to

    await shopper.goto(server.url + "/demo/product.html?id=canvas-tote")
    await expect(mirror(agent).locator("main")).to_contain_text("Canvas Tote")
    await expect(recorded).to_have_text("Recorded")
    await expect(bar.get_by_test_id("cobrowse-recorded")).to_have_count(0)
    await expect(agent.get_by_test_id("cobrowse-pause-recording")).to_be_visible()
    # On a phone the bar takes the width of the screen: a line of words and a row of buttons,
    # not a narrow strip over the store's header and the chat's buttons.
    await shopper.set_viewport_size({"width": 390, "height": 844})
    box = await bar.bounding_box()
    assert box is not None and box["width"] >= 380 and box["height"] <= 90, box
    # The chat, full-screen there, starts below the bar: its header's buttons stay reachable.
    await expect(shopper.get_by_role("button", name="Minimise chat")).to_be_in_viewport()
    header = await shopper.locator("[data-testid=aisle-panel]").bounding_box()
    assert header is not None and header["y"] >= box["y"] + box["height"] - 1, (header, box)
    await screenshot(shopper, "cobrowse-sharing-bar-phone")
    assert errors == []


async def test_a_masking_rule_saved_while_sharing_applies_at_once(
        patient_server: Server, new_context: ContextFactory) -> None:
    """An admin adds a masking rule while a shopper shares the very page it is for: the
    shopper's page starts over under it (a new page session), so the agent's view hides it now
    and nothing sent after the change carries it; not from the shopper's next page."""
    server = patient_server
    received = Received(server)
    admin = await server.add_agent("root", role="admin", teams=())
    shopper, agent, errors = await sharing_a_product_page(server, new_context)
    banner = mirror(agent).locator(".demo-banner")
    await expect(banner).to_contain_text(BANNER)  # no rule yet: the agent reads it
    sessions_before = {b[0] for b in received.batches()}
    sent_before = len(received.parts)

    rules = {"rules": [{"match": "*/demo/product.html*", "mask": [".demo-banner"]}]}
    async with server.http.patch(server.url + "/api/v1/sites/demo", json={"cobrowse": rules},
                                 headers={"Authorization": f"Bearer {admin.token}"}) as resp:
        assert resp.status == 200, await resp.text()
    await expect(banner).to_have_text(re.compile(r"^\*+( \*+){5,}$"))
    # The banner changes on the page after the rule: still hidden, on both counts.
    await shopper.evaluate("""() => { document.querySelector('.demo-banner').textContent =
                                        'Use code HARBOUR-1234 for a discount'; }""")
    await expect(banner).to_have_text(re.compile(r"^\*+( \*+){5,}$"))
    await expect(mirror(agent).locator("main")).to_contain_text("Harbour Tee")
    assert {p.session_id for p in received.parts[sent_before:]} - sessions_before, \
        "no new page session"
    strings = " ".join(received.strings(since=sent_before))
    assert "Harbour Tee" in strings
    assert BANNER not in strings and "HARBOUR-1234" not in strings
    assert errors == []
