"""A masked choice shows as hidden, never as a choice the shopper did not make: the shopper's
page sends a list's choice as one `*` and a number as `*`s, so the mirror cannot know them. In
the agent's live view and in the review replay, the product page's Size and Colour show no
option at all and Quantity shows that it is hidden — from the first snapshot, after the page adds
an option, after later choices — while an empty choice still shows as the empty option it is."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest
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
from tests.e2e.test_console import watch_errors
from tests.e2e.test_review import sign_in
from tests.integration.harness import Server

pytestmark = pytest.mark.browser

REPLAY_IFRAME = "[data-testid=replay] iframe"
FIELDS = ("size", "colour", "quantity")

# How each field of the mirrored product form looks: the option it shows (a select) or its
# value, and whether it says it is hidden (the mirror's "hidden" mark drawn over it).
FIELDS_SHOWN = """([frame, ids]) => {
  const doc = document.querySelector(frame)?.contentDocument;
  const out = {};
  for (const id of ids) {
    const el = doc && doc.getElementById(id);
    if (!el) return null;
    const shown = el.tagName === 'SELECT' ? (el.selectedOptions[0]?.textContent ?? '') : el.value;
    const image = doc.defaultView.getComputedStyle(el).backgroundImage;
    out[id] = {shown, hidden: image.includes('hidden')};
  }
  return out;
}"""

HIDDEN = {"shown": "", "hidden": True}


async def fields_shown(page: Page, frame: str) -> dict[str, Any] | None:
    shown: dict[str, Any] | None = await page.evaluate(FIELDS_SHOWN, [frame, list(FIELDS)])
    return shown


async def fields_become(page: Page, frame: str, want: dict[str, Any], what: str) -> None:
    last: list[Any] = [None]

    async def check() -> bool:
        shown = await fields_shown(page, frame)
        last[0] = shown
        return shown == want

    try:
        await eventually(check, 10.0, what)
    except AssertionError:
        raise AssertionError(f"{what}: the fields show {last[0]}, not {want}") from None


async def test_masked_choices_show_as_hidden_live_and_in_review(
        patient_server: Server, new_context: ContextFactory) -> None:
    server = patient_server
    received = Received(server)
    alex = await server.add_agent("alex", teams=("support",))
    boss = await server.add_agent("boss", role="supervisor", teams=())
    shopper, shopper_errors = await shopper_page(new_context, server,
                                                 "/demo/product.html?id=harbour-tee")
    # Chosen before sharing: in the first snapshot.
    await shopper.select_option("#size", "L")
    await shopper.select_option("#colour", "Sand")
    await shopper.fill("#quantity", "2")

    agent = await chat_and_share(new_context, server, shopper, alex)
    agent_errors = watch_errors(agent)
    await shopper.get_by_test_id("cobrowse-allow").click()
    await expect(agent.get_by_test_id("cobrowse-live")).to_have_attribute("data-live", "live")
    await expect(mirror(agent).locator("#size")).to_have_count(1)
    all_hidden = {"size": HIDDEN, "colour": HIDDEN, "quantity": HIDDEN}
    await fields_become(agent, MIRROR_IFRAME, all_hidden, "the snapshot's choices hidden")
    await screenshot(agent, "cobrowse-masked-choices")

    # The store adds a size while sharing: the mirror's list gets an option, and still shows
    # none (a list with nothing chosen would otherwise pick its first).
    await shopper.evaluate("""() => {
      const size = document.getElementById('size');
      size.append(new Option('XXL', 'XXL'));
      size.prepend(new Option('Choose a size', ''));
    }""")
    await expect(mirror(agent).locator("#size option")).to_have_count(7)
    await fields_become(agent, MIRROR_IFRAME, all_hidden, "hidden after options were added")

    # An empty choice is no secret: it shows as the empty option. A number cleared shows empty.
    await shopper.select_option("#size", "")
    await shopper.fill("#quantity", "")
    empty = {"size": {"shown": "Choose a size", "hidden": False}, "colour": HIDDEN,
             "quantity": {"shown": "", "hidden": False}}
    await fields_become(agent, MIRROR_IFRAME, empty, "the empty choices shown as empty")
    await agent.get_by_role("combobox", name="Reply to the visitor").fill("No size yet?")
    await agent.get_by_role("combobox", name="Reply to the visitor").press("Enter")
    await expect(shopper.locator("#aisle-widget-host")).to_contain_text("No size yet?")

    # Chosen again while sharing (input events): hidden again.
    await shopper.select_option("#size", "S")
    await shopper.select_option("#colour", "Sage")
    await shopper.fill("#quantity", "3")
    await fields_become(agent, MIRROR_IFRAME, all_hidden, "later choices hidden")

    # Nothing the shopper chose reached the server (the sizes and colours are the page's own
    # options, so only the chosen value's `*` may stand for a choice).
    events = [e for *_, raw in received.batches() for e in orjson.loads(raw)]
    inputs = [e["data"] for e in events if e["type"] == 3 and e["data"].get("source") == 5]
    assert inputs and all(set(d["text"]) <= {"*"} for d in inputs), inputs

    # The review replay shows the same: at the agent's message, the empty choices; at the end,
    # every choice hidden.
    await agent.get_by_role("button", name="End chat").click()
    await agent.get_by_role("dialog").get_by_role("button", name="End conversation").click()
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    conv = (await server.aisle.store.conversations.find())[0]
    page = await (await new_context()).new_page()
    review_errors = watch_errors(page)
    await sign_in(page, server, boss, f"/review/recordings/{conv.id}")
    await expect(page.get_by_test_id("player")).to_be_visible()
    await page.get_by_test_id("transcript").get_by_role("button", name="No size yet?").click()
    await fields_become(page, REPLAY_IFRAME, empty, "the replay's empty choices at the message")
    scrubber = page.get_by_test_id("scrubber")
    await scrubber.focus()
    await page.keyboard.press("End")
    await fields_become(page, REPLAY_IFRAME, all_hidden, "the replay's choices hidden at the end")
    await screenshot(page, "review-masked-choices")
    await page.keyboard.press("Home")
    await page.get_by_test_id("transcript").get_by_role("button", name="No size yet?").click()
    await fields_become(page, REPLAY_IFRAME, empty, "the replay's empty choices, sought back")

    assert not agent_errors, agent_errors
    assert not review_errors, review_errors
    assert not [e for e in shopper_errors if "aisle" in e.lower()]
