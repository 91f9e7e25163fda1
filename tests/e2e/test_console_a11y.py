"""The agent console for keyboard and screen-reader users, in Chromium against a real server:
what live regions say (offers once, messages of chats out of sight), where the focus goes
(offers, the canned form), the transcript's structure, and text contrast of key elements."""

from __future__ import annotations

import asyncio
import re

import pytest
from playwright.async_api import Locator, expect

from tests.e2e.conftest import ContextFactory
from tests.e2e.test_console import accept_offer, nav, open_console, visitor_chat
from tests.integration.harness import Server

pytestmark = pytest.mark.browser

# WCAG 2.x contrast of an element's text against what is behind it: its own and its ancestors'
# backgrounds blended (background images ignored).
CONTRAST = """(el) => {
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const layers = [];
  for (let n = el; n; n = n.parentElement) {
    const c = parse(getComputedStyle(n).backgroundColor);
    if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
  }
  let bg = [255, 255, 255];
  for (const [r, g, b, a] of layers.reverse()) {
    bg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
  }
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const [hi, lo] = [lum(parse(getComputedStyle(el).color)), lum(bg)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}"""

AA = 4.5


async def assert_contrast(locator: Locator, minimum: float = AA) -> None:
    """Every element `locator` finds (at least one) has text contrast of `minimum` or more."""
    await expect(locator.first).to_be_visible()
    ratios = await locator.evaluate_all(f"els => els.map({CONTRAST})")
    assert ratios and min(ratios) >= minimum, ratios


async def test_offers_and_background_messages_are_said_once_and_focus_is_kept(
        console_server: Server, new_context: ContextFactory) -> None:
    server = console_server
    alex = await server.add_agent("alex", teams=("support",))
    page, errors = await open_console(new_context, server, alex)
    # One h1 for the view, for headings navigation.
    await expect(page.get_by_role("heading", level=1)).to_have_text("Conversations")
    offers_said = page.get_by_test_id("offer-announcements")
    said = page.get_by_test_id("announcements")

    # An offer, with the focus nowhere in particular: its Accept has it, and it is said once,
    # the ticking countdown no part of any live region.
    cy, _, c_cy = await visitor_chat(server, "Cy", "Is the blue teapot in stock?")
    card = page.locator(".offer-card", has_text="Cy")
    await expect(card.get_by_role("button", name="Accept")).to_be_focused()
    await expect(offers_said).to_have_text(re.compile(
        r"^New chat from Cy: “Is the blue teapot in stock\?” \(.+, support team\)\. "
        r"Expires in \d+ seconds\.$"))
    timer = card.get_by_role("timer")
    assert await timer.get_attribute("aria-live") == "off"
    assert await timer.get_attribute("aria-label") is None
    assert await timer.evaluate("t => t.parentElement.closest('[aria-live]')") is None
    assert await page.locator(".offer-stack").get_attribute("aria-live") is None
    before = (await offers_said.inner_text(), await timer.inner_text())
    await asyncio.sleep(1.2)  # a tick of the countdown: the announcement does not follow it
    assert await timer.inner_text() != before[1]
    assert await offers_said.inner_text() == before[0]

    # Accepted from the keyboard; the agent starts typing. Dee's offer does not take the focus
    # from the reply box.
    await page.keyboard.press("Enter")
    composer = page.get_by_role("combobox", name="Reply to the visitor")
    await expect(composer).to_be_focused()
    await expect(page.locator(f"[role=tab][data-conversation={c_cy}]")).to_have_attribute(
        "aria-selected", "true")
    await composer.press_sequentially("Let me check")
    dee, _, c_dee = await visitor_chat(server, "Dee", "Do you gift wrap?")
    await expect(offers_said).to_contain_text("New chat from Dee")
    await expect(page.locator(".offer-card", has_text="Dee")).to_be_visible()
    await expect(composer).to_be_focused()
    await composer.press_sequentially(" for you.")
    await expect(composer).to_have_value("Let me check for you.")
    await accept_offer(page, "Dee")

    # The transcript: a live log around a list (its items stay list items).
    log = page.get_by_role("log")
    assert await log.evaluate("el => el.tagName") == "DIV"
    await expect(log.get_by_role("list")).to_have_count(1)
    await expect(log.get_by_role("listitem").first).to_be_visible()

    # Dee is in front: her messages are the log's to say; Cy's, in the background, are said
    # by the console, the start of a long one only; the agent's own, never.
    await dee.call("send_message", {"conversation_id": c_dee, "client_id": "d-1",
                                    "text": "It is a birthday present."})
    await expect(log).to_contain_text("It is a birthday present.")
    long = ("Actually I would like two of them, one in blue and one in green, if the green "
            "one is back in stock before Friday.")
    await cy.call("send_message", {"conversation_id": c_cy, "client_id": "c-1", "text": long})
    await expect(said).to_contain_text(
        "New message from Cy (another chat): Actually I would like two of them")
    text = await said.inner_text()
    assert "…" in text and "Friday" not in text, text
    composer = page.get_by_role("combobox", name="Reply to the visitor")
    await composer.fill("We do, for free.")
    await composer.press("Enter")
    await dee.wait_for("message_created", lambda d: d["data"]["text"] == "We do, for free.")
    # Another view in front: no chat is, so Dee's next message is said too.
    await nav(page, "Canned").click()
    await dee.call("send_message", {"conversation_id": c_dee, "client_id": "d-2",
                                    "text": "Thank you!"})
    await expect(said).to_contain_text("New message from Dee: Thank you!")
    text = await said.inner_text()
    assert "birthday" not in text and "We do" not in text, text
    assert errors == []


async def test_the_canned_form_keeps_the_focus_and_marks_the_field_it_refuses(
        console_server: Server, new_context: ContextFactory) -> None:
    server = console_server
    alex = await server.add_agent("alex", teams=("support",))
    page, errors = await open_console(new_context, server, alex)
    await nav(page, "Canned").click()
    form = page.get_by_role("form", name="New response")
    add = form.get_by_role("button", name="Add response")
    shortcut = page.locator("#canned-shortcut")

    # Saved: the button keeps the focus (not the page's body), and says what happened.
    await shortcut.fill("thanks")
    await page.locator("#canned-text").fill("Thanks for waiting, {visitor_name}!")
    await add.click()
    await expect(page.locator("li[data-shortcut=thanks]")).to_be_visible()
    await expect(form.get_by_role("status")).to_have_text("Added /thanks.")
    await expect(add).to_be_focused()
    await expect(shortcut).to_have_value("")

    # Refused: said beside the shortcut, which is marked and has the focus.
    await shortcut.fill("Ship it")
    await page.locator("#canned-text").fill("We ship within a day.")
    await add.focus()
    await page.keyboard.press("Enter")
    await expect(shortcut).to_be_focused()
    await expect(shortcut).to_have_attribute("aria-invalid", "true")
    await expect(shortcut).to_have_accessible_description(re.compile("lower-case letters"))
    await expect(form.get_by_role("alert")).to_have_count(0)  # not said twice
    await shortcut.fill("ship")
    await expect(shortcut).not_to_have_attribute("aria-invalid", "true")
    await add.click()
    await expect(page.locator("li[data-shortcut=ship]")).to_be_visible()
    await expect(add).to_be_focused()

    # No text: the text field is the one marked.
    await shortcut.fill("empty")
    await add.click()
    text = page.locator("#canned-text")
    await expect(text).to_be_focused()
    await expect(text).to_have_accessible_description("The response needs some text.")
    assert errors == []


async def test_muted_text_and_avatars_reach_aa_contrast(
        console_server: Server, new_context: ContextFactory) -> None:
    server = console_server
    alex = await server.add_agent("alex", teams=("support",), max_concurrent=6)
    page, errors = await open_console(new_context, server, alex)
    await nav(page, "Canned").click()
    await page.fill("#canned-shortcut", "thanks")
    await page.fill("#canned-text", "Thanks for waiting, {visitor_name}!")
    await page.get_by_role("button", name="Add response").click()
    await expect(page.locator("li[data-shortcut=thanks]")).to_be_visible()
    await nav(page, "Chats").click()
    # Names whose avatars fell on the palette's lightest colours before.
    for name in ("Cy", "Dana", "Eli", "Ivy", "Kim", "Zed"):
        await visitor_chat(server, name, f"Hello, {name} here")
        await accept_offer(page, name)
    await assert_contrast(page.locator(".avatar-initials"))
    # The chat in front, on the accent's pale background.
    await assert_contrast(page.locator(".mychat.active .mychat-text"))
    await assert_contrast(page.locator(".mychat.active .mychat-top > .muted"))
    composer = page.get_by_role("combobox", name="Reply to the visitor")
    await composer.press_sequentially("/tha")
    await expect(page.get_by_role("option", name="/thanks")).to_have_attribute(
        "aria-selected", "true")
    await assert_contrast(page.locator(".canned-pop li.active .canned-text"))
    assert errors == []
