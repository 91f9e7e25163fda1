"""The agent console in Chromium against a real server, with python-socketio visitors (and
agents) on the other side: login, status, offers, chatting, canned responses, notes, several
conversations, transfer, end, reconnect and resume, and the offline inbox."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from playwright.async_api import Locator, Page, expect

from tests.e2e.conftest import ContextFactory, screenshot
from tests.integration.flows import gone
from tests.integration.harness import Agent, Client, Server, start_server

pytestmark = pytest.mark.browser



_ids = itertools.count(1)


def watch_errors(page: Page) -> list[str]:
    """Uncaught exceptions and console errors (CSP violations among them) of the page."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


async def open_console(new_context: ContextFactory, server: Server, agent: Agent,
                       **options: Any) -> tuple[Page, list[str]]:
    """A signed-in console: (page, its errors)."""
    context = await new_context(**options)
    page = await context.new_page()
    errors = watch_errors(page)
    await page.goto(server.url + "/agent/")
    await page.fill("#login-name", agent.login)
    await page.fill("#login-password", agent.password)
    await page.click("button[type=submit]")
    await expect(page.get_by_test_id("connection")).to_have_text("Connected")
    return page, errors


async def visitor_chat(server: Server, name: str, message: str,
                       topic: str = "order") -> tuple[Client, dict[str, Any], str]:
    """A visitor who starts a conversation: (client, session, conversation id)."""
    client, session = await server.visitor()
    conv = await client.call("start_conversation", {
        "topic": topic, "client_id": f"start-{next(_ids)}", "fields": {"name": name},
        "message": message})
    return client, session, conv["id"]


async def accept_offer(page: Page, name: str) -> None:
    card = page.locator(".offer-card", has_text=name)
    cid = await card.get_attribute("data-conversation")
    await card.get_by_role("button", name="Accept").click()
    await expect(page.locator(f"[role=tab][data-conversation={cid}]")).to_have_attribute(
        "aria-selected", "true")


def nav(page: Page, name: str) -> Locator:
    """A button of the console's rail."""
    return page.get_by_role("navigation", name="Console").get_by_role("button", name=name)


def texts_from(client: Client, kind: str = "agent") -> list[str]:
    return [e["data"]["text"] for e in client.events("message_created")
            if e["actor"]["kind"] == kind]


async def test_login_offer_chat_canned_note_and_end(
        console_server: Server, new_context: ContextFactory) -> None:
    server = console_server
    agent = await server.add_agent("alex", teams=("support",), status="away")
    context = await new_context()
    page = await context.new_page()
    errors = watch_errors(page)
    await page.goto(server.url + "/agent/")
    await expect(page.get_by_role("heading", name="Sign in to the agent console")).to_be_visible()
    await page.fill("#login-name", agent.login)
    await page.fill("#login-password", "wrong")
    await page.click("button[type=submit]")
    await expect(page.get_by_role("alert")).to_contain_text("Wrong login or password")
    errors.clear()  # the browser logs the 401 itself
    await screenshot(page, "console-login")
    await page.fill("#login-password", agent.password)
    await page.click("button[type=submit]")
    await expect(page.get_by_test_id("connection")).to_have_text("Connected")

    # A canned response of one's own, made in the manager.
    await nav(page, "Canned").click()
    await page.fill("#canned-shortcut", "thanks")
    await page.fill("#canned-text", "Thanks for waiting, {visitor_name}!")
    await page.get_by_role("button", name="Add response").click()
    await expect(page.locator("li[data-shortcut=thanks]")).to_be_visible()
    await nav(page, "Chats").click()

    # The status is the stored one (away) until the agent changes it.
    await expect(page.locator("#status")).to_have_value("away")
    await page.select_option("#status", "online")
    await expect(page.locator(".status-select")).to_have_class(re.compile("status-online"))
    visitor, _, cid = await visitor_chat(server, "Dana", "Where is my order #1042?")
    await visitor.call("page_view", {"url": "https://shop.example/cart", "title": "Your cart"})
    await visitor.call("set_context", {"context": {"cart_value": 129.5, "tier": "gold"}})
    card = page.locator(".offer-card", has_text="Dana")
    await expect(card).to_contain_text("Where is my order #1042?")
    await expect(card).to_contain_text("An order I placed")  # the topic as the shopper saw it
    await expect(card.get_by_role("timer")).to_have_text(re.compile(r"^0:(0[1-9]|1\d|20)$"))
    await page.wait_for_function("document.title === '(1) New chat — Aisle'")
    await card.evaluate("el => Promise.all(el.getAnimations().map(a => a.finished))")
    await screenshot(page, "console-offer")
    # Dana writes again while it rings: the card reads what she says now.
    await visitor.call("send_message", {"conversation_id": cid, "client_id": "v-while",
                                        "text": "It was due on Monday."})
    await expect(card).to_contain_text("It was due on Monday.")
    await accept_offer(page, "Dana")
    await expect(page.locator(".offer-card")).to_have_count(0)
    transcript = page.get_by_role("log")
    await expect(transcript).to_contain_text("Where is my order #1042?")
    # Whether the shopper is on the site is known from the start, not from their next move.
    await expect(page.get_by_test_id("visitor-presence")).to_have_text("Visitor online")

    # Accepted with the keyboard or the mouse, the reply box has the focus (not the page).
    await expect(page.get_by_role("combobox", name="Reply to the visitor")).to_be_focused()

    # Typing both ways.
    await visitor.call("typing", {"conversation_id": cid, "typing": True})
    await expect(page.get_by_test_id("visitor-typing")).to_contain_text("Dana is typing")
    composer = page.get_by_role("combobox", name="Reply to the visitor")
    await composer.press_sequentially("Let me look")
    await visitor.wait_for("typing_changed", lambda d: d["side"] == "agent" and d["typing"])
    await composer.press("Shift+Enter")
    await composer.press_sequentially("that up.")
    await composer.press("Enter")
    sent = await visitor.wait_for("message_created", lambda d: d["actor"]["kind"] == "agent")
    assert sent["data"]["text"] == "Let me look\nthat up."
    await visitor.wait_for("typing_changed", lambda d: d["side"] == "agent" and not d["typing"])
    await visitor.call("send_message", {"conversation_id": cid, "client_id": "v-2",
                                        "text": "Thanks!"})
    await expect(transcript).to_contain_text("Thanks!")
    await expect(page.get_by_test_id("visitor-typing")).to_have_count(0)

    # Read receipts: the visitor reads the agent's message.
    await visitor.call("mark_read", {"conversation_id": cid, "up_to_seq": sent["seq"]})
    await expect(page.get_by_test_id("seen")).to_be_visible()
    # The agent looking at the conversation marks the visitor's messages read.
    await visitor.wait_for("messages_read", lambda d: d["data"]["side"] == "agent")

    # /shortcut expansion.
    await composer.press_sequentially("/tha")
    await expect(page.get_by_role("option", name="/thanks")).to_be_visible()
    await composer.press("Enter")
    await expect(composer).to_have_value("Thanks for waiting, Dana!")
    await composer.press("Enter")
    await visitor.wait_for("message_created", lambda d: d["data"]["text"]
                           == "Thanks for waiting, Dana!")
    # A supervisor adds a team response meanwhile: Alex's open console suggests it at once.
    boss = await server.agent_client(await server.add_agent("sam", role="supervisor",
                                                            teams=("support",)))
    await boss.call("save_canned", {"scope": "team", "team": "support", "shortcut": "refund",
                                    "text": "Your refund is on its way."})
    await composer.press_sequentially("/ref")
    await expect(page.get_by_role("option", name="/refund")).to_be_visible()
    await composer.fill("")

    # An internal note: shown as such, never sent to the visitor.
    await page.get_by_role("button", name="Internal note").click()
    await page.get_by_role("combobox", name="Internal note").fill("VIP customer, refund ok")
    await page.get_by_role("combobox", name="Internal note").press("Enter")
    await expect(transcript.locator(".msg-note")).to_contain_text("VIP customer, refund ok")
    await expect(transcript.locator(".msg-note")).to_contain_text("Internal note")
    await page.get_by_role("button", name="Reply", exact=True).click()
    await composer.fill("Anything else?")
    await composer.press("Enter")
    await visitor.wait_for("message_created", lambda d: d["data"]["text"] == "Anything else?")
    assert not visitor.events("note_created")
    assert all("VIP" not in str(d) for _, d in visitor.received)

    # A half-written reply survives a reload, and a console tab closed by mistake: a new tab
    # of the console finds it.
    await composer.fill("Your refund is on its")
    await page.reload()
    await expect(page.get_by_test_id("connection")).to_have_text("Connected")
    await expect(page.locator(f"[role=tab][data-conversation={cid}]")).to_have_attribute(
        "aria-selected", "true")
    await expect(composer).to_have_value("Your refund is on its")
    reopened = await context.new_page()
    await reopened.goto(server.url + "/agent/")
    await reopened.locator(f"[role=tab][data-conversation={cid}]").click()
    await expect(reopened.get_by_role("combobox", name="Reply to the visitor")).to_have_value(
        "Your refund is on its")
    await reopened.close()
    await composer.fill("")

    # The visitor sidebar: page, context, pages visited.
    panel = page.get_by_test_id("visitor-panel")
    await expect(panel.get_by_test_id("current-page")).to_contain_text("Your cart")
    await expect(panel.get_by_test_id("visitor-context")).to_contain_text("Cart value")
    await expect(panel.get_by_test_id("visitor-context")).to_contain_text("129.5")
    await visitor.call("page_view", {"url": "https://shop.example/checkout", "title": "Checkout"})
    await expect(panel.get_by_test_id("current-page")).to_contain_text("Checkout")
    await expect(panel.get_by_test_id("pages-visited").locator("li")).to_have_count(2)
    await screenshot(page, "console-visitor-sidebar")

    # End.
    await page.get_by_role("button", name="End chat").click()
    await page.get_by_role("dialog").get_by_role("button", name="End conversation").click()
    ended = await visitor.wait_for("conversation_ended")
    assert ended["data"]["reason"] == "agent_ended"
    await expect(transcript).to_contain_text("You ended the conversation")
    await expect(page.get_by_role("button", name="Close tab")).to_be_visible()
    await expect(page.get_by_role("button", name="Close tab")).to_be_focused()
    # Signing out leaves no drafts, nor which chat was in front, in the tab for the next person
    # at the desk.
    await page.evaluate("""() => localStorage.setItem('aisle.console.drafts',
        JSON.stringify({agent: 'x', drafts: {c: {text: 'left behind', note: false}}}))""")
    kept_tab = "() => sessionStorage.getItem('aisle.console.active-tab')"
    assert cid in await page.evaluate(kept_tab)
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.locator("#login-name")).to_be_visible()
    assert await page.evaluate("() => localStorage.getItem('aisle.console.drafts')") is None
    assert await page.evaluate(kept_tab) is None
    assert errors == []


async def test_two_conversations_unread_and_transfer_to_a_team(
        console_server: Server, new_context: ContextFactory) -> None:
    server = console_server
    alex = await server.add_agent("alex", teams=("support",))
    billing = await server.add_agent("bea", teams=("billing",))
    bea = await server.agent_client(billing)
    page, errors = await open_console(new_context, server, alex)

    # An offer the visitor gives up on disappears; a declined one waits in the queue.
    zed, _, cz = await visitor_chat(server, "Zed", "Hello?")
    await expect(page.locator(".offer-card", has_text="Zed")).to_be_visible()
    await zed.call("leave_conversation", {"conversation_id": cz})
    await expect(page.locator(".offer-card")).to_have_count(0)
    await expect(page.get_by_role("status").filter(has_text="ended before it was answered")
                 ).to_be_visible()
    await visitor_chat(server, "Ivy", "Gift wrapping?")
    await page.locator(".offer-card", has_text="Ivy").get_by_role("button", name="Decline").click()
    await expect(page.locator(".offer-card")).to_have_count(0)
    waiting = page.get_by_role("list", name="Waiting visitors").locator("li", has_text="Ivy")
    await expect(waiting).to_be_visible()
    await expect(waiting.locator(".wait-time")).to_have_text(re.compile(r"^[1-9]\d*s$"))

    v1, _, c1 = await visitor_chat(server, "Dana", "My parcel is late")
    await accept_offer(page, "Dana")
    v2, _, c2 = await visitor_chat(server, "Eli", "Do you ship to Norway?")
    await accept_offer(page, "Eli")
    await expect(page.get_by_role("tablist").get_by_role("tab")).to_have_count(2)

    # Eli's tab is focused: Dana writes, her tab gets a badge and the title says so.
    await v1.call("send_message", {"conversation_id": c1, "client_id": "d-1",
                                   "text": "Any news?"})
    dana_tab = page.get_by_role("tab", name="Dana")
    await expect(dana_tab.get_by_test_id("unread")).to_have_text("1")
    await page.wait_for_function("document.title === '(1) New message — Aisle'")
    eli_tab = page.get_by_role("tab", name="Eli")
    await expect(eli_tab).to_have_attribute("aria-selected", "true")
    await v2.call("send_message", {"conversation_id": c2, "client_id": "e-1", "text": "Hello?"})
    await expect(page.get_by_role("log")).to_contain_text("Hello?")
    await expect(eli_tab.get_by_test_id("unread")).to_have_count(0)
    await screenshot(page, "console-inbox-two-conversations")

    # Alex scrolls back to read what Eli wrote earlier: a new message keeps his place, and
    # says it came in below.
    for i in range(30):
        await v2.call("send_message", {"conversation_id": c2, "client_id": f"e-n{i}",
                                       "text": f"Line {i} of my long story"})
    log = page.get_by_role("log")
    await expect(log).to_contain_text("Line 29 of my long story")
    await expect(page.get_by_test_id("new-below")).to_have_count(0)  # he was at the end
    await log.evaluate("el => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); }")
    await v2.call("send_message", {"conversation_id": c2, "client_id": "e-2",
                                   "text": "Are you still there?"})
    await expect(page.get_by_test_id("new-below")).to_be_visible()
    assert await log.evaluate("el => el.scrollTop") < 50
    await page.get_by_test_id("new-below").click()
    await expect(page.get_by_test_id("new-below")).to_have_count(0)
    await page.wait_for_function(
        "() => { const el = document.querySelector('[role=log]');"
        " return el.scrollHeight - el.scrollTop - el.clientHeight < 60; }")

    # Keyboard: arrow keys move between tabs; the focused one is read.
    await eli_tab.focus()
    await page.keyboard.press("ArrowLeft")
    await expect(dana_tab).to_be_focused()
    await expect(dana_tab).to_have_attribute("aria-selected", "true")
    await expect(page.get_by_role("log")).to_contain_text("Any news?")
    await expect(dana_tab.get_by_test_id("unread")).to_have_count(0)
    await v1.wait_for("messages_read", lambda d: d["data"]["side"] == "agent")
    await page.wait_for_function("document.title === 'Agent console — Aisle'")

    # Transfer Dana to billing with a note: Bea is offered it, Alex's tab closes.
    await page.get_by_role("button", name="Transfer").click()
    dialog = page.get_by_role("dialog", name="Transfer conversation")
    # Nobody of sales is here: the team is shown so and cannot be picked.
    sales = dialog.locator("#transfer-team option[value=sales]")
    await expect(sales).to_contain_text("nobody available")
    await expect(sales).to_be_disabled()
    await expect(dialog.locator("#transfer-team")).to_have_value("billing")
    await dialog.locator("#transfer-team").select_option("billing")
    await dialog.locator("#transfer-note").fill("Refund question, order 1042")
    await dialog.get_by_role("button", name="Transfer").click()
    offer = await bea.wait_for("offer_received", lambda d: d["conversation"]["id"] == c1)
    assert offer["conversation"]["team"] == "billing"
    assert offer["transfer_note"] == "Refund question, order 1042"  # on Bea's offer card
    await expect(dana_tab).to_have_count(0)
    await expect(page.get_by_role("status").filter(has_text="Transferred to the billing team")
                 ).to_be_visible()
    await bea.call("accept_offer", {"conversation_id": c1})
    resumed = await bea.call("resume", {"conversation_id": c1, "after_seq": 0})
    notes = [e["data"]["note"] for e in resumed["events"]
             if e["type"] == "conversation_transferred"]
    assert notes == ["Refund question, order 1042"]

    # Eli leaves: the console shows it.
    await v2.close()
    await expect(page.get_by_test_id("visitor-presence")).to_have_text("Visitor disconnected")

    # End of Alex's shift. Away: he is asked what becomes of Eli's chat, and keeps it.
    await page.select_option("#status", "away")
    ask = page.get_by_role("dialog", name="Go away?")
    await expect(ask).to_contain_text("You are serving 1 shopper: Eli")
    await expect(ask.get_by_role("button", name="Cancel")).to_be_focused()  # not a hand-back
    # Bea answers billing only: nobody could take Eli's chat, and the dialog says so.
    await expect(ask.get_by_test_id("hand-back-text")).to_contain_text(
        "Nobody else of their team is online")
    await ask.get_by_test_id("status-keep").click()
    await expect(page.locator("#status")).to_have_value("away")
    await expect(eli_tab).to_have_count(1)
    # Offline, handing it back: it goes back to the queue, and his tab closes.
    await page.select_option("#status", "offline")
    await screenshot(page, "console-going-offline")
    await page.get_by_role("dialog", name="Go offline?").get_by_test_id("status-hand-back").click()
    await expect(page.locator("#status")).to_have_value("offline")
    await expect(eli_tab).to_have_count(0)
    conv = await server.aisle.store.conversations.get(c2)
    assert conv is not None and conv.agent_id is None
    assert errors == []


async def test_a_declined_chat_is_taken_from_the_line(console_server: Server,
                                                      new_context: ContextFactory) -> None:
    """Declined by mistake, Ivy's chat waits in the line (the cooldown keeps it from Alex):
    he takes it from the Waiting list, and it opens in front, ready to answer."""
    server = console_server
    alex = await server.add_agent("alex", teams=("support",), max_concurrent=1)
    page, errors = await open_console(new_context, server, alex)
    ivy, _, cid = await visitor_chat(server, "Ivy", "Gift wrapping?")
    await page.locator(".offer-card", has_text="Ivy").get_by_role("button", name="Decline").click()
    waiting = page.get_by_role("list", name="Waiting visitors").locator("li", has_text="Ivy")
    await waiting.get_by_role("button", name="Take the chat with Ivy").click()
    await expect(page.locator(f"[role=tab][data-conversation={cid}]")).to_have_attribute(
        "aria-selected", "true")
    await expect(page.get_by_role("combobox", name="Reply to the visitor")).to_be_focused()
    await expect(waiting).to_have_count(0)
    joined = await ivy.wait_for("agent_joined")
    assert joined["data"]["agent"]["id"] == alex.id
    # At his limit of one chat, Kim waits with no Take for him.
    await visitor_chat(server, "Kim", "Do you ship to Norway?")
    kim = page.get_by_role("list", name="Waiting visitors").locator("li", has_text="Kim")
    await expect(kim).to_be_visible()
    await expect(kim.get_by_role("button")).to_have_count(0)
    assert errors == []


async def test_a_transfer_with_nobody_to_take_it_says_so_and_keeps_the_keyboard(
        console_server: Server, new_context: ContextFactory) -> None:
    """Alone on shift: the dialog says nobody can take the chat before the click; the click
    (or Enter) explains again, and the focus stays in the dialog, so Esc still closes it."""
    server = console_server
    alex = await server.add_agent("alex", teams=("support",))
    await server.add_agent("bea", teams=("billing",))  # signed out
    page, errors = await open_console(new_context, server, alex)
    _, _, cid = await visitor_chat(server, "Dana", "My parcel is late")
    await accept_offer(page, "Dana")
    await page.get_by_role("button", name="Transfer").click()
    dialog = page.get_by_role("dialog", name="Transfer conversation")
    await expect(dialog.get_by_test_id("transfer-nobody")).to_be_visible()
    await expect(dialog.get_by_role("button", name="Transfer")).to_have_attribute(
        "aria-disabled", "true")
    await dialog.get_by_role("button", name="Transfer").focus()
    await page.keyboard.press("Enter")  # still explains itself
    await expect(dialog.get_by_role("alert")).to_contain_text("is available now")
    assert await dialog.evaluate("d => d.contains(document.activeElement)")
    await page.keyboard.press("Escape")
    await expect(dialog).to_have_count(0)
    await expect(page.locator(f"[role=tab][data-conversation={cid}]")).to_be_visible()
    assert errors == []


async def test_an_offer_waits_for_the_connection_before_it_can_be_accepted(
        console_server: Server, new_context: ContextFactory) -> None:
    """The console loses its connection with an offer on screen: no countdown and no Accept
    while it reconnects (the server hands the offer on meanwhile); back, the list is right."""
    server = console_server
    alex = await server.add_agent("alex", teams=("support",))
    page, errors = await open_console(new_context, server, alex)
    await visitor_chat(server, "Dana", "My parcel is late")
    card = page.locator(".offer-card", has_text="Dana")
    await expect(card.get_by_role("button", name="Accept")).to_be_visible()
    await page.context.set_offline(True)  # no reconnecting until it is back
    agent_ns = server.aisle.namespaces[1]
    for sid in [s for s, sess in agent_ns.sessions.items() if sess.principal.id == alex.id]:
        await server.aisle.sio.disconnect(sid, namespace="/agent")
    await expect(page.get_by_test_id("connection")).not_to_have_text("Connected")
    await expect(card.get_by_test_id("offer-reconnecting")).to_be_visible()
    await expect(card.get_by_role("button", name="Accept")).to_have_count(0)
    await page.context.set_offline(False)
    await expect(page.get_by_test_id("connection")).to_have_text("Connected")
    await expect(page.get_by_test_id("offer-reconnecting")).to_have_count(0)
    assert [e for e in errors if "ERR_INTERNET_DISCONNECTED" not in e] == []


async def test_reconnect_resumes_without_losing_or_doubling(
        console_server: Server, new_context: ContextFactory) -> None:
    server = console_server
    agent = await server.add_agent("alex", teams=("support",))
    page, errors = await open_console(new_context, server, agent)
    visitor, _, cid = await visitor_chat(server, "Dana", "First question")
    await accept_offer(page, "Dana")
    log = page.get_by_role("log")
    await expect(log).to_contain_text("First question")

    # The server drops the agent's socket; the visitor writes meanwhile.
    agent_ns = server.aisle.namespaces[1]
    for sid in [s for s, sess in agent_ns.sessions.items() if sess.principal.id == agent.id]:
        await server.aisle.sio.disconnect(sid, namespace="/agent")
    await expect(page.get_by_test_id("connection")).not_to_have_text("Connected")
    for i in range(3):
        await visitor.call("send_message", {"conversation_id": cid, "client_id": f"gap-{i}",
                                            "text": f"While you were away {i}"})
    composer = page.get_by_role("combobox", name="Reply to the visitor")
    await composer.fill("Sent while offline")
    await composer.press("Enter")

    await expect(page.get_by_test_id("connection")).to_have_text("Connected")
    for i in range(3):
        await expect(log.get_by_text(f"While you were away {i}")).to_have_count(1)
    await expect(log.get_by_text("Sent while offline")).to_have_count(1)
    await visitor.wait_for("message_created", lambda d: d["data"]["text"] == "Sent while offline")
    await visitor.call("send_message", {"conversation_id": cid, "client_id": "after",
                                        "text": "Back again"})
    await expect(log.get_by_text("Back again")).to_have_count(1)
    assert texts_from(visitor).count("Sent while offline") == 1
    seqs = await page.locator(".transcript [data-seq]").evaluate_all(
        "els => els.map(e => Number(e.dataset.seq))")
    assert len(seqs) == len(set(seqs)) and seqs == sorted(seqs)
    # A reload keeps the session and the conversation.
    await page.reload()
    await expect(page.get_by_test_id("connection")).to_have_text("Connected")
    await expect(page.get_by_role("log").get_by_text("Back again")).to_have_count(1)
    assert errors == []


async def test_offline_inbox_reply_and_close(console_server: Server,
                                             new_context: ContextFactory) -> None:
    server = console_server
    # Alex is away: he reads the inbox.
    agent = await server.add_agent("alex", teams=("support",), status="away")
    # Nobody is online: the visitor leaves a message.
    visitor, _, cid = await visitor_chat(server, "Fay", "Can I change my delivery address?")
    state = await server.aisle.store.conversations.get(cid)
    assert state is not None and state.status == "offline"

    page, errors = await open_console(new_context, server, agent)
    offline = nav(page, "Offline")
    await expect(offline.locator(".badge")).to_have_text("1")
    # A second shopper leaves a message and goes: the badge follows live.
    gus, gus_session, _ = await visitor_chat(server, "Gus", "Do you ship to Norway?")
    await expect(offline.locator(".badge")).to_have_text("2")
    await gus.close()
    await gone(server, gus_session["visitor_id"])
    await offline.click()
    row = page.locator(f".inbox-row[data-conversation={cid}]")
    await expect(row).to_contain_text("Can I change my delivery address?")
    await expect(row).to_contain_text("Unanswered")
    await screenshot(page, "console-offline-inbox")
    await row.click()
    log = page.get_by_role("log")
    await expect(log).to_contain_text("Can I change my delivery address?")
    await expect(log).to_contain_text("kept as an offline message")
    composer = page.get_by_role("combobox", name="Reply to the visitor")
    await composer.fill("Yes — reply with the new address and we'll update it.")
    await composer.press("Enter")
    reply = await visitor.wait_for("message_created", lambda d: d["actor"]["kind"] == "agent")
    assert reply["data"]["text"].startswith("Yes — reply")
    await expect(log.get_by_text("Yes — reply with the new address")).to_have_count(1)
    await expect(log).to_contain_text("You joined the conversation")

    await page.get_by_role("button", name="Close message").click()
    ended = await visitor.wait_for("conversation_ended")
    assert ended["data"]["reason"] == "closed_offline"
    await page.get_by_role("button", name="Close tab").click()
    await expect(page.get_by_role("tab")).to_have_count(0)
    await offline.click()
    await expect(offline.locator(".badge")).to_have_text("1")  # Gus's is still unanswered

    # Fay rates it and comes back: her earlier conversation opens read-only from the sidebar.
    await visitor.call("rate_conversation", {"conversation_id": cid, "rating": 4})
    record = await server.aisle.store.agents.get(agent.id)
    assert record is not None
    await server.aisle.presence.set_status(record, "online")
    await visitor.call("start_conversation", {"topic": "order", "client_id": "again",
                                              "message": "Me again!"})
    await accept_offer(page, "Fay")
    earlier = page.get_by_test_id("visitor-panel").get_by_role(
        "button", name=re.compile("Open the ended conversation"))
    await expect(earlier).to_contain_text("Can I change my delivery address?")  # what it was about
    await expect(earlier.get_by_label("Rated 4 of 5")).to_be_visible()
    await earlier.click()
    await expect(page.get_by_role("note")).to_have_text("A past conversation (read-only).")
    await expect(page.get_by_role("log")).to_contain_text("Can I change my delivery address?")
    await expect(page.get_by_role("log")).to_contain_text("Rated ★★★★☆")
    await expect(page.get_by_role("combobox", name="Reply to the visitor")).to_have_count(0)
    await page.get_by_role("button", name="Close tab").click()
    await expect(page.get_by_role("log")).to_contain_text("Me again!")
    assert errors == []



async def test_an_agent_who_may_replay_their_own_chats_finds_them(
        console_server: Server, new_context: ContextFactory) -> None:
    """`agents_review_own`: an agent (no reviewer) with conversations of their own to replay is
    linked to the review player from the console; one whose store does not allow it is not."""
    server = console_server
    agent = await server.add_agent("alex", teams=("support",))
    page, errors = await open_console(new_context, server, agent)
    visitor, _, cid = await visitor_chat(server, "Dana", "Hello")
    await accept_offer(page, "Dana")
    await page.get_by_role("button", name="End chat").click()
    await page.get_by_role("dialog").get_by_role("button", name="End conversation").click()
    await visitor.wait_for("conversation_ended")
    mine = page.get_by_role("link", name="My recordings")
    await page.reload()
    await expect(page.get_by_test_id("connection")).to_have_text("Connected")
    await expect(mine).to_have_count(0)  # the store does not let agents replay their chats

    site = await server.aisle.store.sites.get_by_key("demo")
    assert site is not None
    await server.aisle.store.sites.update(site.id, settings={
        **site.settings, "recording": {"agents_review_own": True}})
    await page.reload()
    await expect(mine).to_have_attribute("href", "/review/")
    assert errors == []


async def test_an_agent_who_misses_offers_is_set_away_and_told_why(
        tmp_path: Any, new_context: ContextFactory) -> None:
    server = await start_server(tmp_path / "data", offer_timeout_s=0.5, decline_cooldown_s=0.2,
                                away_after_missed_offers=2)
    try:
        agent = await server.add_agent("alex", teams=("support",))
        page, errors = await open_console(new_context, server, agent)
        await expect(page.locator("#status")).to_have_value("online")
        await visitor_chat(server, "Dana", "Anyone there?")
        await expect(page.get_by_role("alert").filter(has_text="did not answer 2 chats in a row")
                     ).to_be_visible()
        await expect(page.locator("#status")).to_have_value("away")
        await screenshot(page, "console-set-away")
        assert errors == []
    finally:
        await server.close()
