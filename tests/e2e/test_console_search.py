"""The console's search in Chromium against a real server: an agent finds a chat that ended
(the shopper's name, words written in it), opens it read-only from the result, and Escape
clears the search."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.e2e.conftest import ContextFactory
from tests.e2e.test_console import open_console, visitor_chat
from tests.integration.flows import send
from tests.integration.harness import Server

pytestmark = pytest.mark.browser


async def test_an_agent_finds_an_ended_chat_and_opens_it(console_server: Server,
                                                         new_context: ContextFactory) -> None:
    server = console_server
    alex = await server.add_agent("alex", teams=("support",))
    earlier = await server.agent_client(alex)
    dana, _, c_dana = await visitor_chat(server, "Dana", "Where is my order #1042?")
    await earlier.wait_for("offer_received")
    await earlier.call("accept_offer", {"conversation_id": c_dana})
    await send(earlier, c_dana, "It left the warehouse this morning.")
    await earlier.call("end_conversation", {"conversation_id": c_dana})
    await earlier.close()
    await dana.close()

    page, errors = await open_console(new_context, server, alex)
    search = page.get_by_role("searchbox", name="Search chats by the shopper's name or email, "
                                                "or words written")
    found = page.get_by_role("list", name="Chats found")
    await search.fill("nobody-by-this-name")
    await expect(page.get_by_role("status").filter(has_text="No chats found")).to_be_visible()
    await search.fill("warehouse")
    await expect(found.get_by_role("button")).to_have_count(1)
    await search.fill("dana")
    result = found.locator(f"[data-conversation={c_dana}]")
    await expect(result).to_contain_text("Where is my order #1042?")
    await expect(result).to_contain_text("ended")
    await result.click()
    tab = page.locator(f"[role=tab][data-conversation={c_dana}]")
    await expect(tab).to_have_attribute("aria-selected", "true")
    log = page.get_by_role("log")
    await expect(log).to_contain_text("Where is my order #1042?")
    await expect(log).to_contain_text("It left the warehouse this morning.")
    await expect(page.get_by_text("A past conversation (read-only).")).to_be_visible()
    await search.focus()
    await search.press("Escape")
    await expect(search).to_have_value("")
    await expect(found).to_have_count(0)
    assert errors == []
