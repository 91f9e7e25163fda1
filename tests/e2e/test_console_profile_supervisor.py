"""The agent console in Chromium, continued: the profile (name, photo upload and its refusals),
sign-out, token refresh, and the supervisors' live dashboard, observe, join and team canned
responses."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from tests.e2e.conftest import ContextFactory, screenshot
from tests.e2e.test_console import nav, open_console, visitor_chat
from tests.integration.harness import Server, start_server

pytestmark = pytest.mark.browser


def png_image(size: int = 64) -> bytes:
    """A small gradient PNG, made here (no files in the repository)."""
    raw = b"".join(b"\x00" + b"".join(bytes((60 + x * 2, 70 + y, 229)) for x in range(size))
                   for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# A 1×1 GIF: a real image, which browsers show whatever it is called, but not a PNG.
GIF_IMAGE = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000"
                          "010001000002024401003b")


async def test_profile_name_and_photo_upload(e2e_server: Server,
                                            new_context: ContextFactory) -> None:
    server = e2e_server
    agent = await server.add_agent("alex", teams=("support",))
    page, errors = await open_console(new_context, server, agent)
    await nav(page, "Profile").click()
    await page.fill("#display-name", "Alex Morgan")
    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    await expect(page.locator(".me-name")).to_have_text("Alex Morgan")

    photo = page.locator("#photo-input")
    # Checked here: not an image type at all.
    await photo.set_input_files({"name": "notes.txt", "mimeType": "text/plain",
                                 "buffer": b"hello"})
    await expect(page.get_by_test_id("photo-message")).to_have_text(
        "Choose a PNG, JPEG or WebP image.")
    await expect(page.locator("#photo-upload")).to_be_disabled()
    # A text file claiming to be a PNG: the browser cannot show it.
    await photo.set_input_files({"name": "notes.png", "mimeType": "image/png",
                                 "buffer": b"this is only text"})
    await expect(page.get_by_test_id("photo-message")).to_contain_text("not a valid image")
    await expect(page.locator("#photo-upload")).to_be_disabled()
    # A GIF claiming to be a PNG: shown by the browser, refused by the server, which says why.
    await photo.set_input_files({"name": "pic.png", "mimeType": "image/png",
                                 "buffer": GIF_IMAGE})
    await expect(page.get_by_test_id("photo-preview")).to_be_visible()
    await page.locator("#photo-upload").click()
    await expect(page.get_by_test_id("photo-message")).to_have_text(
        "The server refused the photo: the file is not the image type it claims to be.")
    errors.clear()  # the browser logs the 400 itself

    # A real PNG: previewed, uploaded, shown.
    await photo.set_input_files({"name": "me.png", "mimeType": "image/png",
                                 "buffer": png_image()})
    await expect(page.get_by_test_id("photo-preview")).to_be_visible()
    await page.locator("#photo-upload").click()
    await expect(page.get_by_test_id("photo-message")).to_have_text("Photo updated.")
    header_photo = page.locator(".me-btn img")
    await expect(header_photo).to_have_attribute("src", re.compile(r"^/api/v1/photos/agt_"))
    await page.wait_for_function(
        "document.querySelector('.me-btn img').naturalWidth === 64")
    record = await server.aisle.store.agents.get(agent.id)
    assert record is not None and record.photo and record.display_name == "Alex Morgan"
    await screenshot(page, "console-profile")

    # Signing out forgets the session, also across a reload.
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("heading", name="Sign in to the agent console")).to_be_visible()
    await page.reload()
    await expect(page.get_by_role("heading", name="Sign in to the agent console")).to_be_visible()
    assert errors == []


async def test_supervisor_sees_queues_and_agents_live_and_observes(
        e2e_server: Server, new_context: ContextFactory) -> None:
    server = e2e_server
    sam = await server.add_agent("sam", teams=("support", "billing"), role="supervisor",
                                 status="away")
    alex_agent = await server.add_agent("alex", teams=("support",), max_concurrent=1)
    alex = await server.agent_client(alex_agent)
    page, errors = await open_console(new_context, server, sam)
    # Supervisors find the review player from the rail.
    recordings = page.get_by_role("navigation", name="Console").get_by_role(
        "link", name="Recordings")
    await expect(recordings).to_have_attribute("href", "/review/")
    await nav(page, "Dashboard").click()
    alex_row = page.locator("tr[data-agent=alex]")
    await expect(alex_row.get_by_test_id("agent-status")).to_have_text("online")
    await expect(alex_row.get_by_test_id("agent-load")).to_have_text("0/1")
    support = page.locator(".queue-card[data-team=support]")
    await expect(support.get_by_test_id("team-waiting")).to_have_text("0 waiting")
    await expect(support.get_by_test_id("team-free")).to_have_text("1 of 1 free")

    # Gus is served by Alex; Hana waits (Alex is full, Sam is away).
    gus, _, c1 = await visitor_chat(server, "Gus", "Is the blue jacket waterproof?")
    await alex.wait_for("offer_received", lambda d: d["conversation"]["id"] == c1)
    await alex.call("accept_offer", {"conversation_id": c1})
    await visitor_chat(server, "Hana", "Hello, anyone there?", topic="order")
    await expect(alex_row.get_by_test_id("agent-load")).to_have_text("1/1")
    await expect(support.get_by_test_id("team-waiting")).to_have_text("1 waiting")
    await expect(support.get_by_test_id("team-free")).to_have_text("0 of 1 free")
    await expect(support).to_contain_text("Hana")
    active = page.locator(f".active-list li[data-conversation={c1}]")
    await expect(active).to_contain_text("Gus")
    await expect(active).to_contain_text("With Alex")
    await screenshot(page, "console-supervisor-dashboard")

    # Observe: read-only, live, unseen by the visitor.
    await active.get_by_role("button", name=re.compile("Observe")).click()
    log = page.get_by_role("log")
    await expect(log).to_contain_text("Is the blue jacket waterproof?")
    await expect(page.get_by_role("note")).to_contain_text("You are observing")
    # Whether the shopper is there, as the agent sees it.
    await expect(page.get_by_test_id("visitor-presence")).to_have_text("Visitor online")
    await expect(page.get_by_role("combobox", name="Reply to the visitor")).to_have_count(0)
    await alex.call("send_message", {"conversation_id": c1, "client_id": "a-1",
                                     "text": "Yes, fully taped seams."})
    await expect(log).to_contain_text("Yes, fully taped seams.")
    await screenshot(page, "console-supervisor-observing")

    # Join and write; then leave.
    await page.get_by_role("button", name="Join").click()
    composer = page.get_by_role("combobox", name="Reply to the visitor")
    await composer.fill("Hi Gus, Sam here from the team.")
    await composer.press("Enter")
    sent = await gus.wait_for("message_created", lambda d: d["actor"]["kind"] == "agent"
                              and d["actor"]["name"] == "Sam")
    assert sent["data"]["text"] == "Hi Gus, Sam here from the team."
    assert not gus.events("participant_added")
    # The dashboard knows Sam joined it: no second Join, a way back to it.
    await nav(page, "Dashboard").click()
    await expect(active.get_by_role("button", name=re.compile("^Join"))).to_have_count(0)
    await active.get_by_test_id("open-joined").click()
    await expect(composer).to_be_visible()
    await page.get_by_role("button", name="Leave").click()
    await expect(page.get_by_role("tab")).to_have_count(0)

    # Supervisors keep their teams' canned responses: create, edit, delete.
    await nav(page, "Canned").click()
    await page.fill("#canned-shortcut", "returns")
    await page.fill("#canned-text", "Returns are free for 30 days.")
    await page.select_option("#canned-scope", "support")
    await page.get_by_role("button", name="Add response").click()
    row = page.locator("li[data-shortcut=returns]")
    await expect(row).to_contain_text("team · support")
    await row.get_by_role("button", name="Edit /returns").click()
    await page.fill("#canned-text", "Returns are free for 60 days.")
    await page.get_by_role("button", name="Save changes").click()
    await expect(row).to_contain_text("60 days")
    listed = await alex.call("list_canned", {})
    assert [c["text"] for c in listed["responses"]] == ["Returns are free for 60 days."]
    await row.get_by_role("button", name="Delete /returns").click()
    await expect(row).to_have_count(0)
    assert errors == []


async def test_token_is_refreshed_before_it_expires(tmp_path: Path,
                                                   new_context: ContextFactory) -> None:
    server = await start_server(tmp_path / "data", agent_token_ttl_s=8)
    page: Page | None = None
    try:
        agent = await server.add_agent("alex", teams=("support",))
        page, errors = await open_console(new_context, server, agent)
        kept = "JSON.parse(localStorage.getItem('aisle.console.session'))"
        first = await page.evaluate(kept)
        await page.wait_for_function(f"() => {kept}.token !== {first['token']!r}",
                                     timeout=15_000)
        # Past the first token's expiry the console is still signed in, and a reload
        # connects with the new token.
        await page.wait_for_function(f"() => Date.now() > {first['expires_at']} + 500",
                                     timeout=15_000)
        await expect(page.get_by_test_id("connection")).to_have_text("Connected")
        await page.reload()
        await expect(page.get_by_test_id("connection")).to_have_text("Connected")
        await expect(nav(page, "Chats")).to_be_visible()
        assert errors == []
    finally:
        if page is not None:
            await page.context.close()  # first, or the server waits for its socket
        await server.close()
