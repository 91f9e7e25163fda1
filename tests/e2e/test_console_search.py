"""The console's search in Chromium against a real server: an agent finds a chat that ended
(the shopper's name, words written in it), opens it read-only from the result, and Escape
clears the search; a supervisor who finds a chat under way watches it live; a failed search
leaves no results of the words before."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from signaling.store import search as store_search
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


async def test_a_supervisor_watches_a_live_chat_found_and_a_failed_search_shows_nothing_old(
        console_server: Server, new_context: ContextFactory,
        monkeypatch: pytest.MonkeyPatch) -> None:
    server = console_server
    alex = await server.add_agent("alex", teams=("support",))
    boss = await server.add_agent("boss", role="supervisor", teams=())
    serving = await server.agent_client(alex)
    dana, _, c_dana = await visitor_chat(server, "Dana", "Where is my order #1042?")
    await serving.wait_for("offer_received")
    await serving.call("accept_offer", {"conversation_id": c_dana})

    page, errors = await open_console(new_context, server, boss)
    search = page.get_by_role("searchbox", name="Search chats by the shopper's name or email, "
                                                "or words written")
    found = page.get_by_role("list", name="Chats found")
    await search.fill("dana")
    await found.locator(f"[data-conversation={c_dana}]").click()
    await expect(page.get_by_text("You are observing")).to_be_visible()
    log = page.get_by_role("log")
    await send(dana, c_dana, "Any news?")
    await expect(log).to_contain_text("Any news?")  # live, not a frozen copy

    # The database fails under the next search: the results of "dana" do not stay under it.
    async def failing(*_: object, **__: object) -> None:
        raise RuntimeError("the database is gone")

    monkeypatch.setattr(store_search, "find_conversations", failing)
    await search.fill("order")
    await expect(page.get_by_text("Could not search")).to_be_visible()
    await expect(found).to_have_count(0)
    await expect(page.get_by_role("status").filter(has_text="found")).to_have_count(0)
    assert errors == []
