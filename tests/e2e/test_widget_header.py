"""The widget's header with an agent whose name is long, on a phone and on a desktop panel: the
name wraps between its words (never "Maximili/ana"), is shown whole where three lines hold it
and ends in "…" where they do not, is whole in the heading's title and the panel's accessible
name, and leaves the header's buttons whole, side by side and clear of it."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from playwright.async_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_widget import accepted_chat_on, shopper
from tests.integration.harness import Server

pytestmark = pytest.mark.browser

LONG = "Maximiliana Papadopoulou-Richardson"
LONGER = "Maximiliana Papadopoulou-Richardson von Hohenzollern-Sigmaringen"

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 800}

# The header's parts as laid out: each button's box, the heading's, and whether the heading
# shows all it holds; and the lines a word of the heading is drawn on.
LAYOUT = """(header) => {
  const box = (e) => { const r = e.getBoundingClientRect();
                       return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const h2 = header.querySelector("h2");
  return {header: box(header), title: box(h2),
          whole: h2.scrollHeight <= h2.clientHeight + 1 && h2.scrollWidth <= h2.clientWidth,
          buttons: [...header.querySelectorAll("button")].map(box)};
}"""
WORD_LINES = """(h2, word) => {
  const text = h2.firstChild, at = text.data.indexOf(word), range = document.createRange();
  range.setStart(text, at);
  range.setEnd(text, at + word.length);
  return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
}"""


async def header_layout(page: Page) -> dict[str, Any]:
    header = page.locator("[data-testid=aisle-panel] .header")
    layout: dict[str, Any] = await header.evaluate(LAYOUT)
    return layout


def assert_buttons_whole(layout: dict[str, Any]) -> None:
    """Every button inside the header, full size, beside the heading and its neighbours."""
    head, title, buttons = layout["header"], layout["title"], layout["buttons"]
    assert len(buttons) == 4, layout  # voice, video, End chat, Minimise
    for b in buttons:
        assert head["left"] <= b["left"] and b["right"] <= head["right"], layout
        assert b["right"] - b["left"] >= 32 and b["bottom"] - b["top"] >= 30, layout
        assert b["left"] >= title["right"], layout
    for one, other in pairwise(buttons):
        assert one["right"] <= other["left"], layout


async def chat_with(server: Server, new_context: Any, display_name: str,
                    viewport: dict[str, int]) -> Page:
    """A shopper in the demo store, in a chat the agent named `display_name` accepted."""
    agent = await server.add_agent("max", teams=("support",))
    await server.aisle.store.agents.update(agent.id, display_name=display_name)
    console = await server.agent_client(agent)
    context = await shopper(new_context, viewport=viewport, has_touch=viewport is PHONE)
    page = await context.new_page()
    await accepted_chat_on(page, console, f"{server.url}/demo/", "Kim", "Does this come in blue?")
    await expect(page.locator("[data-testid=aisle-subtitle]")).to_contain_text("Online")
    title = page.locator("[data-testid=aisle-title]")
    await expect(title).to_have_text(display_name)
    await expect(title).to_have_attribute("title", display_name)
    await expect(page.get_by_role("dialog", name=display_name)).to_be_visible()
    return page


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_a_long_agent_name_wraps_whole_words_beside_the_buttons(
        e2e_server: Server, new_context: Any, viewport: dict[str, int]) -> None:
    page = await chat_with(e2e_server, new_context, LONG, viewport)
    layout = await header_layout(page)
    assert layout["whole"], layout
    title = page.locator("[data-testid=aisle-title]")
    assert await title.evaluate(WORD_LINES, "Maximiliana") == 1, "a word broken across lines"
    assert_buttons_whole(layout)
    kind = "phone" if viewport is PHONE else "desktop"
    await screenshot(page, f"widget-header-long-name-{kind}")


async def test_a_name_longer_than_three_lines_ends_in_an_ellipsis(
        e2e_server: Server, new_context: Any) -> None:
    page = await chat_with(e2e_server, new_context, LONGER, PHONE)
    layout = await header_layout(page)
    assert not layout["whole"], layout  # "…": the rest is in the title
    lines = (layout["title"]["bottom"] - layout["title"]["top"]) / (15 * 1.3)
    assert round(lines) == 3, layout
    assert_buttons_whole(layout)
    await screenshot(page, "widget-header-longer-name-phone")
