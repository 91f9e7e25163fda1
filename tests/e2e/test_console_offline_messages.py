"""The console with messages left beside live chats, in Chromium against a real server: which
conversation is in front after a reload (a reply typed at once must reach the shopper the agent
was answering), what the agent is told about where a reply to a message goes, and which
messages the Offline inbox calls unanswered."""

from __future__ import annotations

import pytest
from playwright.async_api import Locator, expect

from tests.e2e.conftest import ContextFactory
from tests.e2e.test_console import accept_offer, nav, open_console, visitor_chat
from tests.integration.flows import gone
from tests.integration.harness import Server

pytestmark = pytest.mark.browser




async def test_reload_keeps_the_live_chat_in_front_of_a_message_left(
        console_server: Server, new_context: ContextFactory) -> None:
    server = console_server
    alex = await server.add_agent("alex", teams=("support",))
    # Nobody is connected: Fay leaves a message and closes the page. Alex answers it, so it stays
    # among his tabs.
    fay, fay_session, c_fay = await visitor_chat(server, "Fay", "Can I change my delivery address?")
    await fay.close()
    await gone(server, fay_session["visitor_id"])
    page, errors = await open_console(new_context, server, alex)
    await nav(page, "Offline").click()
    await page.locator(f".inbox-row[data-conversation={c_fay}]").click()
    banner = page.get_by_role("note")
    # The shopper has no inbox: the answer is in the store's chat, now or on their next visit.
    await expect(banner).to_contain_text("in the chat on the store")
    await expect(banner).to_contain_text("on their next visit from the same browser")
    await expect(banner).to_contain_text("Replying makes it yours.")
    await expect(banner).not_to_contain_text("inbox")
    composer = page.get_by_role("combobox", name="Reply to the visitor")
    await composer.fill("Yes: send us the new address.")
    await composer.press("Enter")
    log = page.get_by_role("log")
    await expect(log.get_by_text("Yes: send us the new address.")).to_have_count(1)
    await expect(banner).not_to_contain_text("Replying makes it yours.")

    # Then a live chat, accepted: it is in front.
    dana, _, c_dana = await visitor_chat(server, "Dana", "Where is my order #1042?")
    await accept_offer(page, "Dana")
    fay_tab = page.locator(f"[role=tab][data-conversation={c_fay}]")
    dana_tab = page.locator(f"[role=tab][data-conversation={c_dana}]")
    await expect(fay_tab).to_have_attribute("aria-selected", "false")

    # A reload: Dana's chat is in front again, and what is typed at once goes to Dana.
    await page.reload()
    await expect(page.get_by_test_id("connection")).to_have_text("Connected")
    await expect(dana_tab).to_have_attribute("aria-selected", "true")
    await expect(fay_tab).to_have_attribute("aria-selected", "false")
    await expect(log).to_contain_text("Where is my order #1042?")
    await composer.fill("It left the warehouse this morning.")
    await composer.press("Enter")
    await dana.wait_for("message_created",
                        lambda d: d["data"]["text"] == "It left the warehouse this morning.")
    to_fay = await server.aisle.store.conversations.events_of_types(c_fay, ["message_created"])
    assert [getattr(e.data, "text", None) for e in to_fay if e.actor.kind == "agent"] == [
        "Yes: send us the new address."]

    # The agent's own choice is what a reload brings back, even a message left.
    await fay_tab.click()
    await expect(fay_tab).to_have_attribute("aria-selected", "true")
    await page.reload()
    await expect(page.get_by_test_id("connection")).to_have_text("Connected")
    await expect(fay_tab).to_have_attribute("aria-selected", "true")

    # A new browser tab remembers nothing (sessionStorage is per tab): the live chat first.
    second = await page.context.new_page()
    await second.goto(server.url + "/agent/")
    await expect(second.get_by_test_id("connection")).to_have_text("Connected")
    await expect(second.locator(f"[role=tab][data-conversation={c_dana}]")).to_have_attribute(
        "aria-selected", "true")
    await expect(second.get_by_role("log")).to_contain_text("It left the warehouse this morning.")
    await second.close()
    assert errors == []


async def test_a_chat_answered_live_that_became_a_message_is_not_unanswered(
        console_server: Server, new_context: ContextFactory) -> None:
    server = console_server
    alex = await server.add_agent("alex", teams=("support",), status="away")
    bea_agent = await server.add_agent("bea", teams=("support",))
    bea = await server.agent_client(bea_agent)

    async def goes_offline_with_bea(name: str, text: str, *, reply: str | None) -> str:
        """Bea takes the chat (and answers, or not), then goes offline handing it back: nobody
        of support is left (Alex is away), so it becomes a message. The shopper closes the
        page (a message whose shopper is still there goes back in line when someone comes
        online)."""
        await bea.call("set_status", {"status": "online"})
        visitor, session, cid = await visitor_chat(server, name, text)
        await bea.wait_for("offer_received", lambda d: d["conversation"]["id"] == cid)
        await bea.call("accept_offer", {"conversation_id": cid})
        if reply is not None:
            await bea.call("send_message", {"conversation_id": cid, "client_id": f"{cid}-b",
                                            "text": reply})
        await bea.call("set_status", {"status": "offline", "hand_back": True})
        await visitor.wait_for("conversation_offline")
        await visitor.close()
        await gone(server, session["visitor_id"])
        return cid

    c_hal = await goes_offline_with_bea("Hal", "Is the blue one in stock?",
                                        reply="Let me check the warehouse.")
    c_joe = await goes_offline_with_bea("Joe", "Hello?", reply=None)
    ivy, ivy_session, c_ivy = await visitor_chat(server, "Ivy", "Do you ship to Norway?")
    await ivy.close()
    await gone(server, ivy_session["visitor_id"])

    page, errors = await open_console(new_context, server, alex)
    offline = nav(page, "Offline")
    await expect(offline.locator(".badge")).to_have_text("3")  # nobody holds any of them
    await offline.click()

    def row(cid: str) -> Locator:
        return page.locator(f".inbox-row[data-conversation={cid}]").locator(".status-chip")

    await expect(row(c_ivy)).to_have_text("Unanswered")
    await expect(row(c_joe)).to_have_text("Unanswered")  # Bea joined but never wrote
    await expect(row(c_hal)).to_have_text("Unassigned")
    await expect(row(c_hal)).to_have_attribute("title", "An agent answered this chat live, "
                                               "then it became a message: nobody holds it now.")
    assert errors == []
