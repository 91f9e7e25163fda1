"""An agent serving two shoppers scrolls back in one chat to read, answers the other, and comes
back: the first chat is at the same line, with "New messages below" for what came in
meanwhile, also when the window's width changed in between. A chat left at its end opens at
its end."""

from __future__ import annotations

import pytest
from playwright.async_api import Locator, expect

from tests.e2e.conftest import ContextFactory
from tests.e2e.test_console import accept_offer, open_console, visitor_chat
from tests.integration.flows import send
from tests.integration.harness import Server

pytestmark = pytest.mark.browser


async def until(log: Locator, condition: str) -> None:
    """Waits until `condition` (JavaScript, of `el`: the log) holds."""
    await log.page.wait_for_function(f"el => {condition}", arg=await log.element_handle())


AT_END = "el.scrollHeight - el.scrollTop - el.clientHeight < 60"
FIRST_LINE = """el => {
  const top = el.getBoundingClientRect().top;
  return [...el.querySelectorAll("li")].find((li) => li.getBoundingClientRect().bottom > top)
    ?.textContent;
}"""


async def test_a_chat_scrolled_back_is_where_the_agent_left_it(
        console_server: Server, new_context: ContextFactory) -> None:
    server = console_server
    alex = await server.add_agent("alex", teams=("support",))
    page, errors = await open_console(new_context, server, alex,
                                      viewport={"width": 1280, "height": 720})
    dana, _, c_dana = await visitor_chat(server, "Dana", "Where is my order #1042?")
    await accept_offer(page, "Dana")
    eve, _, c_eve = await visitor_chat(server, "Eve", "Do you ship to Norway?")
    await accept_offer(page, "Eve")
    dana_tab = page.locator(f"[role=tab][data-conversation={c_dana}]")
    eve_tab = page.locator(f"[role=tab][data-conversation={c_eve}]")
    log = page.get_by_role("log")

    await dana_tab.click()
    for n in range(40):
        await send(dana, c_dana, f"Line {n} of my long story, " + "and then some more words " * 8)
    await expect(log).to_contain_text("Line 39 of my long story")
    await until(log, AT_END)
    await log.evaluate("el => { el.scrollTop = Math.round(el.scrollHeight / 3); }")
    await until(log, "el.scrollTop > 0 && el.scrollHeight - el.scrollTop - el.clientHeight > 200")
    reading = await log.evaluate(FIRST_LINE)
    assert reading and "Line" in reading

    await eve_tab.click()
    await expect(log).to_contain_text("Do you ship to Norway?")
    await send(dana, c_dana, "Still there?")
    # The window narrows meanwhile: the lines wrap, so the same line is elsewhere in pixels.
    await page.set_viewport_size({"width": 1000, "height": 720})
    await dana_tab.click()
    await expect(log).to_contain_text("Line 0 of my long story")
    await expect(page.get_by_test_id("new-below")).to_be_visible()
    assert await log.evaluate(FIRST_LINE) == reading
    await page.get_by_test_id("new-below").click()
    await until(log, AT_END)
    await expect(page.get_by_test_id("new-below")).to_have_count(0)

    # Left at its end, it opens at its end, with what came in meanwhile in view.
    await eve_tab.click()
    await send(dana, c_dana, "Hello again")
    await dana_tab.click()
    await expect(log.get_by_text("Hello again")).to_be_in_viewport()
    await expect(page.get_by_test_id("new-below")).to_have_count(0)
    await send(eve, c_eve, "Thanks")
    assert errors == []
