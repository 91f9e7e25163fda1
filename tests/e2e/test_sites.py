"""The Sites page in a real browser: an admin (the only role that sees it) closes the demo store
through its hours (told they never open) and gives it a new topic and a masking rule, after a
refused save and a selector refused in the page, both leaving the site as it was;
the shopper's widget already open on the demo store turns to the offline fallback at once, and
the next page shows the new topic; with chat turned off for the store, the open widget goes.
The admin copies the embed tag and adds a site; the review pages and the console's dashboard
link to the page for admins only."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from tests.e2e.cobrowse_helpers import shopper_page
from tests.e2e.conftest import ContextFactory, screenshot
from tests.e2e.test_console import nav, watch_errors
from tests.e2e.test_review import sign_in
from tests.integration.harness import Server, start_server

pytestmark = pytest.mark.browser

LAUNCHER = "[data-testid=aisle-launcher]"


@pytest.fixture
async def e2e_server(tmp_path: Path) -> AsyncIterator[Server]:
    # No routing pass after start-up (it comes after the agents' grace period) to tell the
    # widget in the change's stead.
    server = await start_server(tmp_path / "data", agent_grace_s=60.0)
    yield server
    await server.close()


async def open_widget(shopper: Page) -> None:
    await shopper.locator(LAUNCHER).click()
    await expect(shopper.get_by_test_id("aisle-prechat")).to_be_visible()


async def test_an_admin_closes_the_store_and_the_open_widget_follows(
        e2e_server: Server, new_context: ContextFactory) -> None:
    server = e2e_server
    admin = await server.add_agent("root", role="admin", teams=())
    boss = await server.add_agent("boss", role="supervisor", teams=())
    await server.agent_client(await server.add_agent("sam", teams=("support",)))
    shopper, shopper_errors = await shopper_page(new_context, server, "/demo/")
    await open_widget(shopper)
    subtitle = shopper.get_by_test_id("aisle-subtitle")
    await expect(subtitle).to_have_text("We usually answer in a few minutes")
    await expect(shopper.get_by_test_id("aisle-offline-note")).to_have_count(0)

    # A supervisor has no Sites link; an admin has, in the review pages and the console.
    boss_page = await (await new_context()).new_page()
    await sign_in(boss_page, server, boss)
    await expect(boss_page.get_by_role("link", name="Team", exact=True)).to_be_visible()
    await expect(boss_page.get_by_role("link", name="Sites", exact=True)).to_have_count(0)
    context = await new_context(permissions=["clipboard-read", "clipboard-write"])
    page = await context.new_page()
    errors = watch_errors(page)
    await sign_in(page, server, admin)
    await page.get_by_role("link", name="Sites", exact=True).click()
    await expect(page.get_by_role("heading", name="Sites", exact=True)).to_be_visible()
    row = page.get_by_test_id("sites").locator("tr[data-key=demo]")
    await expect(row).to_contain_text("Always open")
    await row.get_by_role("button", name="Edit Test store").click()
    form = page.get_by_role("form", name="Edit Test store")
    await expect(form.get_by_role("heading", name="Edit Test store")).to_be_focused()

    # The embed tag, copied.
    embed = form.get_by_test_id("embed")
    await expect(embed).to_have_value(
        f'<script src="{server.url}/aisle.js" data-site="demo" async></script>')
    await form.get_by_role("button", name="Copy embed tag").click()
    await expect(form.get_by_text("Copied.")).to_be_visible()
    assert await page.evaluate("navigator.clipboard.readText()") == await embed.input_value()

    # Closing hours on Monday that end before they start: refused, said next to the form,
    # and the store is as it was.
    # No day ticked yet: hours that never open are said next to them.
    hours = form.get_by_test_id("hours")
    never_open = hours.get_by_test_id("never-open")
    await expect(never_open).to_have_count(0)
    await hours.get_by_role("checkbox", name="Open around the clock").uncheck()
    await expect(never_open).to_contain_text(
        "Closed every day: every shopper will be asked to leave a message")
    monday = hours.get_by_role("group", name="Monday")
    await monday.get_by_role("checkbox", name="Monday").check()
    await expect(never_open).to_have_count(0)
    await monday.get_by_label("Monday opens at (1)").fill("17:00")
    await monday.get_by_label("Monday closes at (1)").fill("09:00")
    await form.get_by_role("button", name="Save").click()
    await expect(form.get_by_role("alert")).to_contain_text("'17:00-09:00' is not a time span")
    demo = await server.aisle.store.sites.get_by_key("demo")
    assert demo is not None and demo.business_hours is None
    await expect(subtitle).to_have_text("We usually answer in a few minutes")

    # Closed every day (Monday unticked, by keyboard), a new topic, saved.
    await monday.get_by_role("checkbox", name="Monday").focus()
    await page.keyboard.press("Space")
    await expect(monday).to_contain_text("Closed")
    await expect(never_open).to_be_visible()
    await form.get_by_role("button", name="Add topic").click()
    new_id = form.get_by_label("Topic 4 ID")
    await expect(new_id).to_be_focused()
    await new_id.fill("returns")
    await form.get_by_label("Topic 4 label").fill("Sending something back")
    await form.get_by_label("Topic 4 team").select_option("support")
    await form.get_by_label("Time zone").select_option("Europe/Paris")

    # A masking selector the browser cannot read (the widget would drop it, showing what was
    # meant to be hidden): marked on its field, and nothing is sent until it is fixed.
    masking = form.get_by_test_id("masking")
    await masking.get_by_role("button", name="Add rule").click()
    rule = masking.get_by_role("group", name=re.compile(r"^Rule \d+$")).last
    await expect(rule.get_by_label("Pages matching")).to_be_focused()
    await rule.get_by_label("Pages matching").fill("*/account*")
    masked = rule.get_by_label("Hidden (mask)")
    await masked.fill(".balance\ndiv[")
    await form.get_by_role("button", name="Save").click()
    await expect(form.get_by_role("alert")).to_have_text(
        "Not saved: a masking selector is not valid CSS: see the field marked in red.")
    await expect(masked).to_have_attribute("aria-invalid", "true")
    await expect(masked).to_be_focused()
    await expect(masked).to_have_accessible_description("“div[” is not a CSS selector.")
    await screenshot(page, "sites-bad-selector")
    demo = await server.aisle.store.sites.get_by_key("demo")
    assert demo is not None and demo.business_hours is None
    await masked.fill(".balance\ndiv[data-secret]")
    await expect(masked).not_to_have_attribute("aria-invalid", "true")
    await expect(rule.get_by_text("is not a CSS selector")).to_have_count(0)
    # A parameter of the store's own addresses that agents must not see either.
    await masking.get_by_label("Page addresses: parameters whose values agents never see, "
                               "one a line").fill("order_ref\n")

    await form.get_by_role("button", name="Save").click()
    await expect(form.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    await expect(form.get_by_role("alert")).to_have_count(0)
    await expect(never_open).to_be_visible()  # still so: said, not refused
    await expect(row).to_contain_text("Closed")
    await expect(row).to_contain_text("Sending something back")
    await screenshot(page, "sites-saved")
    demo = await server.aisle.store.sites.get_by_key("demo")
    assert demo is not None and demo.business_hours == {} and demo.timezone == "Europe/Paris"
    assert [(r["match"], r["mask"]) for r in demo.settings["cobrowse"]["rules"]] == [
        ("*/account*", [".balance", "div[data-secret]"])]
    assert demo.settings["cobrowse"]["hidden_url_params"] == ["order_ref"]

    # The shopper's open widget: the offline fallback, at once.
    await expect(subtitle).to_have_text("Leave us a message")
    await expect(shopper.get_by_test_id("aisle-prechat")).to_have_attribute("data-mode", "offline")
    await expect(shopper.get_by_test_id("aisle-offline-note")).to_contain_text(
        "outside our opening hours")
    await screenshot(shopper, "sites-widget-closed")
    # The next page (the panel comes back open): the new topic, closed too.
    await shopper.reload()
    await expect(shopper.get_by_test_id("aisle-prechat")).to_be_visible()
    topic = shopper.locator("label.topic").filter(has_text="Sending something back")
    await expect(topic).to_contain_text("Closed now")

    # Chat turned off for the store: the open widget (no chat in it) goes; the list says so.
    await form.get_by_role("checkbox", name="Chat on the store's pages").uncheck()
    await form.get_by_role("button", name="Save").click()
    await expect(row.get_by_test_id("site-off")).to_have_text("Chat off")
    await expect(shopper.locator(LAUNCHER)).to_have_count(0)
    await expect(shopper.get_by_test_id("aisle-panel")).to_have_count(0)

    # A new site: its key generated, its form open with its own embed tag.
    add = page.get_by_role("form", name="Add a site")
    await add.get_by_label("Store name").fill("Harbour Goods")
    await add.get_by_label("Allowed origins, one a line").fill("https://harbour.example")
    await add.get_by_role("button", name="Add site").click()
    await expect(page.get_by_test_id("site-added")).to_contain_text("Harbour Goods was added")
    created = [s for s in await server.aisle.store.sites.all() if s.name == "Harbour Goods"]
    assert len(created) == 1 and created[0].allowed_origins == ["https://harbour.example"]
    editor = page.get_by_role("form", name="Edit Harbour Goods")
    await expect(editor.get_by_test_id("embed")).to_have_value(
        f'<script src="{server.url}/aisle.js" data-site="{created[0].key}" async></script>')
    await screenshot(page, "sites-added")

    # The console's dashboard (the same session) links here for the admin only.
    await page.goto(server.url + "/agent/")
    await nav(page, "Dashboard").click()
    await expect(page.get_by_test_id("sites-link")).to_have_attribute("href", "/review/sites")
    await boss_page.goto(server.url + "/agent/")
    await nav(boss_page, "Dashboard").click()
    await expect(boss_page.get_by_test_id("team-link")).to_be_visible()
    await expect(boss_page.get_by_test_id("sites-link")).to_have_count(0)
    # The refused save is the only failed request (the browser logs it as an error).
    assert errors == ["Failed to load resource: the server responded with a status of 400 "
                      "(Bad Request)"], errors
    assert shopper_errors == [], shopper_errors
