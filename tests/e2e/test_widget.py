"""The shopper widget (/aisle.js) in real Chromium against a real server, with agents played by
python-socketio clients. The test store is a small web server of its own on loopback (another
origin, allowed for the "demo" site), embedding the real built /aisle.js from the Aisle server
with the one documented tag: the widget runs cross-origin, as on a real store.

(Pages fulfilled by Playwright routes are not an option: Chromium gives such documents no
address, treats them as public, and its Local Network Access checks then block their websocket
to loopback.)"""

from __future__ import annotations

import contextlib
import re
import struct
import zlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from playwright.async_api import BrowserContext, Locator, Page, expect

from tests.conftest import ServerFactory
from tests.e2e.conftest import screenshot
from tests.integration.faults import page_cap
from tests.integration.flows import gone
from tests.integration.harness import AckError, Agent, Client, Server

pytestmark = pytest.mark.browser

WIDGET = "#aisle-widget-host"
ACCENT = "rgb(79, 70, 229)"  # the default theme colour, #4f46e5

# A store page with hostile CSS: the widget must look the same anyway.
STORE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<style>
  body {{ margin: 0; font: 16px/1.5 Georgia, serif; color: #1f2937; background: #f8fafc; }}
  header {{ background: #0f766e; color: #fff; padding: 18px 32px; font-size: 22px; }}
  main {{ padding: 32px; max-width: 760px; }}
  .grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr));
           gap: 16px; margin-top: 24px; }}
  .card {{ background: #fff; border: 1px solid #e2e8f0; border-radius: 8px; height: 150px; }}
  button, textarea, input {{ background: hotpink !important; font-family: cursive; }}
  div {{ line-height: 3; }}
</style>
<script>
  window.Aisle = window.Aisle || {{ q: [] }};
  {queued}
</script>
<script src="{aisle}/aisle.js" data-site="demo" async></script>
</head>
<body><header>Harbour Goods (test store)</header>
<main><h1>{title}</h1>
<p><a id="to-a" href="/test-store/a.html">Page A</a> · <a id="to-b" href="/test-store/b.html">Page
B</a></p>
<div class="grid"><div class="card"></div><div class="card"></div><div class="card"></div>
<div class="card"></div><div class="card"></div><div class="card"></div></div>
</main></body></html>"""


class Store:
    """The test store: /test-store/NAME.html pages on their own loopback origin. `queued` is
    script run before the widget loads (the documented `Aisle.q` queue)."""

    def __init__(self, aisle: Server) -> None:
        self.aisle = aisle
        self.queued = ""
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def _page(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        title = {"a": "Page A", "b": "Page B"}.get(name, "Store")
        return web.Response(content_type="text/html", text=STORE_PAGE.format(
            title=title, queued=self.queued, aisle=self.aisle.url))

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/test-store/{name}.html", self._page)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        if self._runner:
            await self._runner.cleanup()


async def allow_origin(server: Server, origin: str, **settings: Any) -> None:
    site = await server.aisle.store.sites.get_by_key("demo")
    assert site is not None
    await server.aisle.store.sites.update(site.id, allowed_origins=["self", origin],
                                          settings={**site.settings, **settings})


@pytest.fixture
async def store(e2e_server: Server) -> AsyncIterator[Store]:
    """A store whose origin the demo site allows."""
    shop = Store(e2e_server)
    await shop.start()
    await allow_origin(e2e_server, shop.url)
    yield shop
    await shop.close()


async def shopper(new_context: Any, **options: Any) -> BrowserContext:
    # Reduced motion: the panel appears without its animation, so screenshots are settled.
    return await new_context(reduced_motion="reduce", **options)  # type: ignore[no-any-return]


def png(size: int = 96) -> bytes:
    """A small PNG: a soft two-tone gradient, enough to see that the photo is shown."""
    rows = b""
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            d = ((x - size / 2) ** 2 + (y - size / 2.6) ** 2) ** 0.5
            face = d < size / 4.2
            body = ((x - size / 2) ** 2 + (y - size * 1.05) ** 2) ** 0.5 < size / 2.3
            if face or body:
                row += bytes([240, 200, 170]) if face else bytes([30, 64, 175])
            else:
                row += bytes([int(180 + 60 * y / size), int(200 + 40 * x / size), 235])
        rows += bytes(row)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


async def upload_photo(server: Server, agent: Agent) -> None:
    async with server.http.post(f"{server.url}/api/v1/agents/me/photo", data=png(),
                                headers={"Authorization": f"Bearer {agent.token}",
                                         "Content-Type": "image/png"}) as resp:
        assert resp.status == 200, await resp.text()


def messages(page: Page, sender: str | None = None) -> Locator:
    selector = "[data-testid=aisle-message]"
    if sender:
        selector += f"[data-from={sender}]"
    return page.locator(selector)


async def seqs(page: Page) -> list[str]:
    found: list[str] = await messages(page).evaluate_all("els => els.map(e => e.dataset.seq)")
    return found


async def start_chat(page: Page, *, topic: str, name: str, message: str,
                     email: str = "") -> None:
    await page.locator(f"input[name=topic][value={topic}]").check()
    await page.locator("#aisle-name").fill(name)
    if email:
        await page.locator("#aisle-email").fill(email)
    await page.locator("#aisle-message").fill(message)
    await page.locator("[data-testid=aisle-prechat] button[type=submit]").click()


async def accepted_chat_on(page: Page, console: Client, url: str, name: str,
                           message: str) -> dict[str, Any]:
    """The shopper opens `url`, starts a chat from the launcher, the agent accepts it."""
    await page.goto(url)
    await page.locator("[data-testid=aisle-launcher]").click()
    await start_chat(page, topic="order", name=name, message=message)
    offer = await console.wait_for("offer_received")
    conversation: dict[str, Any] = offer["conversation"]
    await console.call("accept_offer", {"conversation_id": conversation["id"]})
    return conversation


async def test_chat_from_prechat_to_rating(e2e_server: Server, store: Store,
                                           new_context: Any) -> None:
    """Pre-chat → accepted → messages both ways with typing and read receipts → navigation,
    second tab and reload lose and double nothing → the agent ends → the shopper rates."""
    agent = await e2e_server.add_agent("alex", teams=("support",))
    await upload_photo(e2e_server, agent)
    console = await e2e_server.agent_client(agent)
    store.queued = 'Aisle.q.push(["setContext", {cart_value: 129}]);'
    context = await shopper(new_context)
    page = await context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    sent_frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent_frames.append(str(f))))
    await page.goto(f"{store.url}/test-store/a.html")

    launcher = page.locator("[data-testid=aisle-launcher]")
    await expect(launcher).to_be_visible()
    assert await page.evaluate("typeof window.Aisle.open") == "function"
    # The store's CSS does not reach inside.
    assert await launcher.evaluate("e => getComputedStyle(e).backgroundColor") == ACCENT
    await screenshot(page, "widget-launcher")

    # Keyboard: Enter on the launcher opens, focus moves into the panel.
    await launcher.focus()
    await page.keyboard.press("Enter")
    panel = page.locator("[data-testid=aisle-panel]")
    await expect(panel).to_be_visible()
    await expect(panel).to_have_attribute("role", "dialog")
    await expect(page.locator("[data-testid=aisle-prechat]")).to_have_attribute("data-mode", "live")
    await screenshot(page, "widget-prechat")

    # The form checks what the server would refuse.
    await page.locator("#aisle-email").fill("not-an-email")
    await page.locator("[data-testid=aisle-prechat] button[type=submit]").click()
    await expect(page.locator("#aisle-email")).to_have_attribute("aria-invalid", "true")
    await page.locator("#aisle-email").fill("")

    await start_chat(page, topic="order", name="Dana", message="Hi, where is my order 1042?",
                     email="dana@example.com")
    offer = await console.wait_for("offer_received")
    conversation_id = offer["conversation"]["id"]
    visitor_id = offer["conversation"]["visitor_id"]
    await expect(messages(page, "visitor")).to_have_count(1)
    # The form's button is gone: the message box has the focus, not the page.
    await expect(page.locator("[data-testid=aisle-input]")).to_be_focused()
    await console.call("accept_offer", {"conversation_id": conversation_id})

    # The agent's name and photo.
    await expect(page.locator("[data-testid=aisle-title]")).to_have_text("Alex")
    await expect(panel.locator("img.avatar").first).to_be_visible()
    await expect(page.locator("[data-testid=aisle-notice]")).to_contain_text(["Alex joined"])

    # The agent types, then answers.
    await console.call("typing", {"conversation_id": conversation_id, "typing": True})
    await expect(page.locator("[data-testid=aisle-typing]")).to_contain_text("Alex is typing")
    sent = await console.call("send_message", {"conversation_id": conversation_id,
                                               "client_id": "a-1",
                                               "text": "Let me check that for you."})
    await expect(messages(page, "agent")).to_have_count(1)
    await expect(page.get_by_test_id("aisle-agent-meta")).to_have_text(re.compile(r"^Alex · "))
    await expect(page.locator("[data-testid=aisle-typing]")).not_to_contain_text("typing")
    await screenshot(page, "widget-chat")

    # The shopper types (the agent sees it) and sends with Enter; Shift+Enter is a new line.
    box = page.locator("[data-testid=aisle-input]")
    # (What leaves the live log: a message sent must stay the same element once stored, or a
    # screen reader says it twice.)
    await page.get_by_role("log").evaluate("""l => { window.__removed = [];
      new MutationObserver((ms) => ms.forEach((m) => m.removedNodes.forEach(
        (n) => window.__removed.push(n.textContent)))).observe(l, {childList: true,
                                                                  subtree: true}); }""")
    await box.focus()
    await page.keyboard.type("Thanks!")
    await console.wait_for("typing_changed", lambda d: d["side"] == "visitor" and d["typing"])
    await page.keyboard.press("Shift+Enter")
    await page.keyboard.type("It was due Monday.")
    await page.keyboard.press("Enter")
    got = await console.wait_for("message_created",
                                 lambda e: e["actor"]["kind"] == "visitor"
                                 and e["data"]["text"] == "Thanks!\nIt was due Monday.")
    await console.wait_for("typing_changed", lambda d: d["side"] == "visitor"
                           and not d["typing"])
    mine = page.locator(f"[data-testid=aisle-message][data-seq='{got['seq']}']")
    await expect(mine).to_have_attribute("data-delivery", "sent")
    assert not [t for t in await page.evaluate("() => window.__removed") if "due Monday" in t]
    # Read receipts: the agent reads up to the shopper's message.
    await console.call("mark_read", {"conversation_id": conversation_id,
                                     "up_to_seq": got["seq"]})
    await expect(mine).to_have_attribute("data-delivery", "read")
    # Said where it shows, not announced at each step in the live log.
    await expect(page.locator(".meta", has_text="Read").last).to_have_attribute("aria-live", "off")
    # The shopper had the panel open: the agent's message was marked read.
    await console.wait_for("messages_read", lambda e: e["data"]["side"] == "visitor"
                           and e["data"]["up_to_seq"] >= sent["seq"])

    # A card number written in the chat never leaves the page: the shopper is told it was hidden.
    await box.fill("My card is 4242 4242 4242 4242, exp 12/27")
    await page.keyboard.press("Enter")
    got = await console.wait_for("message_created", lambda e: "exp 12/27" in e["data"]["text"])
    assert got["data"]["text"] == "My card is •••• 4242, exp 12/27"
    await expect(page.get_by_role("alert")).to_contain_text("We hid the card number")
    await expect(messages(page, "visitor").last).to_contain_text("My card is •••• 4242, exp")
    assert sent_frames and not [f for f in sent_frames if "4242 4242" in f]

    # Identify / setContext (queued before load, and called later) and page views.
    await page.evaluate("Aisle.identify({name: 'Dana K', email: 'dana@example.com'})")
    await page.evaluate("history.pushState({}, '', '/test-store/a.html#shoes')")
    await console.wait_for("visitor_updated",
                           lambda d: (d["visitor"]["current_page"] or {}).get("url", "")
                           .endswith("#shoes"))
    details = await console.call("get_visitor", {"visitor_id": visitor_id})
    assert details["visitor"]["name"] == "Dana K"
    assert details["visitor"]["email"] == "dana@example.com"
    assert details["visitor"]["context"] == {"cart_value": 129}
    assert [p["url"].rsplit("/", 1)[-1] for p in details["visitor"]["pages_visited"]] == [
        "a.html", "a.html#shoes"]

    # Navigation mid-chat: the agent writes while the shopper changes page.
    before = await seqs(page)
    await page.locator("#to-b").click()
    await console.call("send_message", {"conversation_id": conversation_id, "client_id": "a-2",
                                        "text": "Found it: it ships today."})
    await expect(page).to_have_title("Page B")
    await expect(panel).to_be_visible()  # it stays open across pages
    await expect(messages(page)).to_have_count(len(before) + 1)
    after = await seqs(page)
    assert after[:len(before)] == before and len(set(after)) == len(after)
    await console.wait_for("visitor_updated",
                           lambda d: (d["visitor"]["current_page"] or {}).get("url", "")
                           .endswith("/b.html"))

    # A second tab shows the same conversation, and both get what comes next.
    tab = await context.new_page()
    await tab.goto(f"{store.url}/test-store/a.html")
    await tab.locator("[data-testid=aisle-launcher]").click()
    await expect(messages(tab)).to_have_count(len(after))
    await tab.locator("[data-testid=aisle-input]").fill("Sent from the other tab")
    await tab.keyboard.press("Enter")
    await expect(messages(page)).to_have_count(len(after) + 1)
    await expect(messages(tab)).to_have_count(len(after) + 1)
    assert await seqs(tab) == await seqs(page)

    # Reload: the same conversation, each message once.
    await page.reload()
    await expect(messages(page)).to_have_count(len(after) + 1)
    assert len(set(await seqs(page))) == len(after) + 1
    # The panel came back open by itself: the page keeps the focus (Space scrolls the page).
    assert await page.evaluate("() => document.activeElement === document.body")

    # Esc closes and focus returns to the launcher; the page goes on.
    await page.locator("[data-testid=aisle-input]").focus()
    await page.keyboard.press("Escape")
    await expect(panel).to_be_hidden()
    await page.wait_for_function(
        "document.activeElement?.shadowRoot?.activeElement?.dataset.testid === 'aisle-launcher'")
    await page.keyboard.press("Enter")
    await expect(panel).to_be_visible()

    # The agent ends; the shopper rates 4 with a comment.
    await console.call("end_conversation", {"conversation_id": conversation_id})
    await expect(page.locator("[data-testid=aisle-csat]")).to_be_visible()
    await expect(tab.locator("[data-testid=aisle-csat]")).to_be_visible()
    await page.locator("input[name=rating][value='4']").check()
    await page.locator("#aisle-comment").fill("Quick and friendly")
    await screenshot(page, "widget-csat")
    await page.locator("[data-testid=aisle-csat] button[type=submit]").click()
    await expect(page.locator("[data-testid=aisle-thanks]")).to_contain_text("4 out of 5")
    await expect(tab.locator("[data-testid=aisle-thanks]")).to_be_visible()
    state = await console.call("get_conversation", {"conversation_id": conversation_id})
    assert (state["status"], state["rating"], state["rating_comment"]) == (
        "ended", 4, "Quick and friendly")

    # And a new conversation starts from the form.
    await page.locator("[data-testid=aisle-new]").click()
    await expect(page.locator("[data-testid=aisle-prechat]")).to_be_visible()
    assert console_errors == []


async def test_offline_message_answered_on_next_visit(e2e_server: Server, store: Store,
                                                      new_context: Any) -> None:
    """Nobody online: the widget says so, takes a message, and shows the answer (with an
    unread badge) when the shopper comes back."""
    # The site's theme: its colour, on the left.
    await allow_origin(e2e_server, store.url, theme={
        "color": "#0f766e", "position": "left",
        "greeting": "Hello! Ask us anything about your order."})
    context = await shopper(new_context)
    page = await context.new_page()
    await page.goto(f"{store.url}/test-store/a.html")
    launcher = page.locator("[data-testid=aisle-launcher]")
    await expect(launcher).to_have_attribute("title", "Leave us a message")
    assert await launcher.evaluate("e => getComputedStyle(e).backgroundColor") == \
        "rgb(15, 118, 110)"
    box = await launcher.bounding_box()
    assert box is not None and box["x"] < 100
    await launcher.click()
    form = page.locator("[data-testid=aisle-prechat]")
    await page.locator("input[name=topic][value=payment]").check()
    await expect(form).to_have_attribute("data-mode", "offline")
    await expect(page.locator("[data-testid=aisle-offline-note]")).to_contain_text(
        "Nobody is available for this topic right now")
    # Nothing is emailed: the form does not suggest it is.
    await expect(page.locator("#aisle-email-hint")).to_contain_text(
        "We'll reply here, in this browser, not by email.")
    await page.locator("#aisle-name").fill("Robin")
    await page.locator("#aisle-email").fill("robin@example.com")
    await page.locator("#aisle-message").fill("Was I charged twice for order 2231?")
    await screenshot(page, "widget-offline")
    await form.locator("button[type=submit]").click()
    await expect(page.locator("[data-testid=aisle-offline-sent]")).to_contain_text(
        "Nobody could answer live")
    await expect(messages(page, "visitor")).to_have_count(1)
    # A message left stays with the store until they answer: no "End chat" to withdraw it,
    # only Minimise.
    header = page.locator("[data-testid=aisle-panel] .header")
    await expect(header.get_by_role("button", name="Minimise chat")).to_be_visible()
    await expect(header.get_by_role("button", name="End chat")).to_have_count(0)
    # Robin leaves the store before the agent comes.
    [left] = await e2e_server.aisle.store.conversations.find(status=["offline"])
    await page.close()
    await gone(e2e_server, left.visitor_id)

    # An agent comes online and answers from the offline inbox.
    agent = await e2e_server.add_agent("billie", teams=("billing",))
    console = await e2e_server.agent_client(agent)
    inbox = await console.call("list_offline", {})
    [waiting] = inbox["conversations"]
    await console.call("send_message", {"conversation_id": waiting["id"], "client_id": "b-1",
                                        "text": "Only once: the second was a hold, released."})

    # The next visit: the answer is there, flagged unread until the panel is opened.
    page = await context.new_page()
    await page.goto(f"{store.url}/test-store/b.html")
    launcher = page.locator("[data-testid=aisle-launcher]")
    await expect(launcher.locator(".badge")).to_have_text("1")
    await expect(launcher).to_have_attribute("aria-label", re.compile("1 unread message"))
    await launcher.click()
    await expect(messages(page, "agent")).to_have_count(1)
    await expect(messages(page, "agent")).to_contain_text(
        "Only once: the second was a hold, released.")
    await expect(page.locator("[data-testid=aisle-title]")).to_have_text("Billie")
    # An answer to a message, not a live chat: no "here to help".
    await expect(page.locator("[data-testid=aisle-subtitle]")).to_have_text(
        "Replied to your message")
    await expect(page.locator("[data-testid=aisle-panel] .header").get_by_role(
        "button", name="End chat")).to_have_count(0)
    await console.wait_for("messages_read", lambda e: e["data"]["side"] == "visitor")


async def test_a_chat_ended_before_anyone_answered(e2e_server: Server, store: Store,
                                                   new_context: Any) -> None:
    """The shopper ends a chat still waiting in line: the header says it ended (it waits for
    nobody now), and there is no "How was your chat?" since no agent took part."""
    agent = await e2e_server.add_agent("casey", teams=("support",), max_concurrent=1)
    console = await e2e_server.agent_client(agent)
    first, _ = await e2e_server.visitor()
    busy = await first.call("start_conversation", {"topic": "order", "client_id": "v1",
                                                   "message": "First!"})
    await console.wait_for("offer_received")
    await console.call("accept_offer", {"conversation_id": busy["id"]})

    context = await shopper(new_context)
    page = await context.new_page()
    await page.goto(f"{store.url}/test-store/a.html")
    await page.locator("[data-testid=aisle-launcher]").click()
    await start_chat(page, topic="order", name="Sam", message="Is this in stock?")
    await expect(page.locator("[data-testid=aisle-queue]")).to_contain_text("next in line")
    subtitle = page.locator("[data-testid=aisle-subtitle]")
    await expect(subtitle).to_have_text("Waiting for an agent")

    await page.locator("[data-testid=aisle-panel] .header").get_by_role(
        "button", name="End chat").click()
    await page.get_by_role("alertdialog", name="End this chat?").get_by_role(
        "button", name="End chat").click()
    await expect(page.locator("[data-testid=aisle-notice]").last).to_have_text(
        "You ended the chat")
    await expect(subtitle).to_have_text("Chat ended")
    await expect(page.locator("[data-testid=aisle-new]")).to_be_visible()
    await expect(page.locator("[data-testid=aisle-csat]")).to_have_count(0)
    await screenshot(page, "widget-ended-unanswered")


async def test_answered_live_then_kept_as_a_message(make_server: ServerFactory,
                                                    new_context: Any) -> None:
    """Olivia (owner) answers live on a desktop panel, her whole name in the header beside the
    call buttons; her connection drops with nobody else there, and the chat is kept as a
    message: the widget says so truly (not that nobody could answer live) and offers no "End
    chat", which would withdraw the message from the store's inbox."""
    server = await make_server(agent_grace_s=1.0)
    shop = Store(server)
    await shop.start()
    try:
        await allow_origin(server, shop.url)
        agent = await server.add_agent("olivia", teams=("support",))
        await server.aisle.store.agents.update(agent.id, display_name="Olivia (owner)")
        console = await server.agent_client(agent)
        context = await shopper(new_context)
        page = await context.new_page()
        conversation_id = (await accepted_chat_on(page, console, f"{shop.url}/test-store/a.html",
                                                  "Kim", "Can I change my address?"))["id"]
        await console.call("send_message", {"conversation_id": conversation_id,
                                            "client_id": "o-1", "text": "Yes: which one?"})
        await expect(messages(page, "agent")).to_have_count(1)

        # The whole name, on two lines if need be, beside both call buttons.
        header = page.locator("[data-testid=aisle-panel] .header")
        title = page.locator("[data-testid=aisle-title]")
        await expect(title).to_have_text("Olivia (owner)")
        await expect(header.locator("button")).to_have_count(4)
        assert await title.evaluate(
            "(e) => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight"
        ), await page.locator("[data-testid=aisle-panel] .header > *").evaluate_all(
            "(es) => es.map((e) => `${e.className}:${e.getBoundingClientRect().width}`)")
        await screenshot(page, "widget-header-desktop")

        # Her connection drops; past the grace period nobody of the team is left.
        await console.close()
        card = page.locator("[data-testid=aisle-offline-sent]")
        await expect(card).to_contain_text("Olivia (owner) lost their connection",
                                           timeout=15_000)
        await expect(card).not_to_contain_text("Nobody could answer live")
        await expect(header.get_by_role("button", name="Minimise chat")).to_be_visible()
        await expect(header.get_by_role("button", name="End chat")).to_have_count(0)
        await screenshot(page, "widget-answered-then-message")
        state = await server.aisle.store.conversations.get(conversation_id)
        assert state is not None and state.status == "offline"

        # The next page tells the same story from what this browser kept.
        await page.reload()
        await expect(card).to_contain_text("Olivia (owner) lost their connection")
        await expect(header.get_by_role("button", name="End chat")).to_have_count(0)
    finally:
        await shop.close()


async def test_queue_position_on_a_small_screen(e2e_server: Server, store: Store,
                                                new_context: Any) -> None:
    """With the only agent busy, the shopper sees their place in line; at 360 px the panel
    fills the screen and stays usable. Availability changes reach an open page live."""
    context = await shopper(new_context, viewport={"width": 360, "height": 720},
                            has_touch=True)
    page = await context.new_page()
    await page.goto(f"{store.url}/test-store/a.html")
    launcher = page.locator("[data-testid=aisle-launcher]")
    await expect(launcher).to_have_attribute("title", "Leave us a message")

    agent = await e2e_server.add_agent("casey-morgan", teams=("support",), max_concurrent=1)
    console = await e2e_server.agent_client(agent)
    await expect(launcher).to_have_attribute("title", "Chat with us")
    first, _ = await e2e_server.visitor()
    busy = await first.call("start_conversation", {"topic": "order", "client_id": "v1",
                                                   "message": "First!"})
    await console.wait_for("offer_received")
    await console.call("accept_offer", {"conversation_id": busy["id"]})
    second, _ = await e2e_server.visitor()
    ahead = await second.call("start_conversation", {"topic": "order", "client_id": "v2",
                                                     "message": "Second!"})

    await launcher.click()
    panel = page.locator("[data-testid=aisle-panel]")
    box = await panel.bounding_box()
    assert box is not None and (box["width"], box["height"]) == (360, 720)
    await start_chat(page, topic="order", name="Sam", message="Do you have this in blue?")
    queue = page.locator("[data-testid=aisle-queue]")
    await expect(queue).to_have_attribute("data-position", "2")
    await expect(queue).to_contain_text("You're number 2 in line")
    await expect(queue).to_contain_text(re.compile(r"Estimated wait|can't estimate"))
    await screenshot(page, "widget-waiting")

    # The line moves when the first chat ends and the agent takes the one ahead.
    await console.call("end_conversation", {"conversation_id": busy["id"]})
    await console.wait_for("offer_received", lambda o: o["conversation"]["id"] == ahead["id"])
    await console.call("accept_offer", {"conversation_id": ahead["id"]})
    await expect(queue).to_have_attribute("data-position", "1")
    await expect(queue).to_contain_text("You're next in line")
    # The composer is usable while waiting.
    await page.locator("[data-testid=aisle-input]").fill("Size M please")
    await page.locator("button.send").click()
    await expect(messages(page, "visitor")).to_have_count(2)
    # Covering the page, the panel is modal: Tab goes round inside it, not to the store behind.
    await expect(panel).to_have_attribute("aria-modal", "true")
    await page.locator("[data-testid=aisle-input]").focus()
    for _ in range(12):
        await page.keyboard.press("Tab")
        assert await page.evaluate(
            "() => document.activeElement?.id === 'aisle-widget-host'"), "focus left the chat"

    # Taken at last: the agent's name fits in the header beside the call buttons.
    await console.call("end_conversation", {"conversation_id": ahead["id"]})
    offer = await console.wait_for("offer_received", lambda o: o["conversation"]["id"] not in (
        busy["id"], ahead["id"]))
    await console.call("accept_offer", {"conversation_id": offer["conversation"]["id"]})
    title = page.locator("[data-testid=aisle-title]")
    await expect(title).to_have_text("Casey-Morgan")
    await expect(page.locator("[data-testid=aisle-panel] .header button")).to_have_count(4)
    assert await title.evaluate("(e) => e.scrollWidth <= e.clientWidth"), await page.locator(
        "[data-testid=aisle-panel] .header > *").evaluate_all(
        "(es) => es.map((e) => `${e.className}:${e.getBoundingClientRect().width}`)")
    await screenshot(page, "widget-header-phone")
    await page.locator("[data-testid=aisle-panel] .icon-btn[aria-label='Minimise chat']").click()
    await expect(panel).to_be_hidden()


async def test_dropped_connection_queues_and_renews(make_server: ServerFactory,
                                                    new_context: Any) -> None:
    """The server drops the shopper's socket after the token has (nearly) expired: the widget
    says it is reconnecting, holds what the shopper sends, gets a new session for the same
    visitor, resumes, and delivers the held message once."""
    # Tokens are renewed when they have less than 15 s left: every handshake needs a new one.
    server = await make_server(visitor_token_ttl_s=15)
    shop = Store(server)
    await shop.start()
    try:
        await allow_origin(server, shop.url)
        agent = await server.add_agent("drew", teams=("support",))
        console = await server.agent_client(agent)
        context = await shopper(new_context)
        page = await context.new_page()
        sessions: list[str] = []
        page.on("requestfinished", lambda r: sessions.append(r.method)
                if r.url.endswith("/api/v1/visitor-sessions") else None)
        conv = await accepted_chat_on(page, console, f"{shop.url}/test-store/a.html", "Kim",
                                      "Hello")
        await expect(page.locator("[data-testid=aisle-title]")).to_have_text("Drew")

        before = sessions.count("POST")
        for sid in server.aisle.sio.manager.get_participants("/visitor",
                                                             f"vis:{conv['visitor_id']}"):
            await server.aisle.sio.disconnect(sid[0], namespace="/visitor")
        await expect(page.locator("[data-testid=aisle-connection]")).to_contain_text(
            "Reconnecting")
        await page.locator("[data-testid=aisle-input]").fill("Are you still there?")
        await page.keyboard.press("Enter")
        held = page.locator("[data-testid=aisle-message][data-from=visitor]").last
        await expect(held).to_have_attribute("data-delivery", "queued")
        await console.call("send_message", {"conversation_id": conv["id"], "client_id": "d-1",
                                            "text": "Yes, one moment."})

        await expect(page.locator("[data-testid=aisle-connection]")).to_have_count(0)
        await console.wait_for("message_created",
                               lambda e: e["data"]["text"] == "Are you still there?")
        # (The ack is on its way already; a loaded machine may take a while to paint it.)
        await expect(held).to_have_attribute("data-delivery", "sent", timeout=15_000)
        await expect(messages(page, "agent")).to_contain_text(["Yes, one moment."])
        assert sessions.count("POST") > before, "the reconnect should have renewed the session"
        events = await console.call("get_history", {"conversation_id": conv["id"]})
        texts = [e["data"]["text"] for e in events["events"] if e["type"] == "message_created"]
        # Stored once each; the held message after the agent's, which the server had first.
        assert texts == ["Hello", "Yes, one moment.", "Are you still there?"]
        await expect(messages(page)).to_have_count(3)
    finally:
        await shop.close()


async def test_refused_origin_stays_out_of_the_way(e2e_server: Server,
                                                   new_context: Any) -> None:
    """A store whose origin the site does not allow: no launcher, nothing logged by us, the
    page and window.Aisle keep working (calls are quiet no-ops)."""
    elsewhere = Store(e2e_server)  # not added to the site's allowed origins
    await elsewhere.start()
    try:
        context = await shopper(new_context)
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        # The browser itself logs the refused request; anything else is ours.
        noise = re.compile(r"Failed to load resource")
        page.on("console", lambda m: None if noise.search(m.text) else errors.append(m.text))
        # Refused with a readable 403: the widget stops at once instead of retrying.
        async with page.expect_response(
                lambda r: r.url.endswith("/api/v1/visitor-sessions")) as refusal:
            await page.goto(f"{elsewhere.url}/test-store/a.html")
        assert (await refusal.value).status == 403
        await page.evaluate("Aisle.open(); Aisle.identify({name: 'X'}); "
                            "Aisle.setContext({a: 1})")
        await expect(page.locator(WIDGET)).to_have_count(1)
        await expect(page.locator("[data-testid=aisle-launcher]")).to_have_count(0)
        await expect(page.locator("h1")).to_have_text("Page A")
        assert errors == []
    finally:
        await elsewhere.close()


async def test_the_widget_holds_its_own_on_any_store_page(e2e_server: Server, store: Store,
                                                          new_context: Any) -> None:
    """Store pages the widget meets: right to left, a cookie bar at the highest z-index over
    the phone's full-screen chat, a body swapped by the store's router (Turbo, htmx), even the
    whole document rewritten. The chat reads left to right, its close button is the one
    touched, and it stays on the page."""
    context = await shopper(new_context, viewport={"width": 390, "height": 844},
                            has_touch=True)
    page = await context.new_page()
    await page.goto(f"{store.url}/test-store/a.html")
    await page.evaluate("() => { document.documentElement.dir = 'rtl'; }")
    launcher = page.locator("[data-testid=aisle-launcher]")
    await launcher.click()
    panel = page.get_by_test_id("aisle-panel")
    await expect(panel).to_be_visible()
    assert await panel.evaluate("(el) => getComputedStyle(el).direction") == "ltr"

    await page.evaluate("""() => {
      const bar = document.createElement('div');
      bar.style.cssText = 'position:fixed;top:0;left:0;right:0;height:140px;' +
                          'z-index:2147483647;background:#111';
      document.body.appendChild(bar);
    }""")
    await page.get_by_role("button", name="Minimise chat").click()  # not under the bar
    await expect(panel).to_have_count(0)

    await page.evaluate("() => { document.body.innerHTML = '<main><h1>Next page</h1></main>'; }")
    await expect(launcher).to_be_visible()
    await page.evaluate("""() => {
      const next = document.createElement('body');
      next.innerHTML = '<main><h1>Another page</h1></main>';
      document.body.replaceWith(next);
    }""")
    await expect(launcher).to_be_visible()
    await page.evaluate("""() => {
      document.documentElement.innerHTML = '<head></head><body><p>Rewritten</p></body>';
    }""")
    await launcher.click()
    await expect(panel).to_be_visible()
    await expect(page.get_by_test_id("aisle-prechat")).to_be_visible()


async def test_reset_forgets_the_shopper_in_this_browser(e2e_server: Server, store: Store,
                                                         new_context: Any) -> None:
    """`Aisle.reset()`, for a store's sign-out or a shared computer: the chat under way ends,
    nothing of it is left in the browser, and the next person starts as a new visitor."""
    agent = await e2e_server.add_agent("alex", teams=("support",))
    console = await e2e_server.agent_client(agent)
    page = await (await shopper(new_context)).new_page()
    await page.goto(f"{store.url}/test-store/a.html")
    await page.evaluate("Aisle.identify({name: 'Dana K', email: 'dana@example.com'})")
    await page.locator("[data-testid=aisle-launcher]").click()
    await start_chat(page, topic="order", name="Dana K", message="My address is 1 Harbour St")
    offer = await console.wait_for("offer_received")
    cid = offer["conversation"]["id"]
    await console.call("accept_offer", {"conversation_id": cid})
    await expect(messages(page, "visitor")).to_have_count(1)
    kept = "() => Object.keys(localStorage).filter((k) => k.startsWith('aisle:'))"
    before = await page.evaluate(kept)
    assert any(k.endswith(f"events:{cid}") for k in before), before
    old_key = await page.evaluate("() => localStorage.getItem('aisle:demo:visitor_key')")

    await page.evaluate("Aisle.reset()")
    ended = await console.wait_for("conversation_ended")
    assert ended["data"]["reason"] == "visitor_ended"
    await expect(page.locator("[data-testid=aisle-launcher]")).to_be_visible()
    await page.wait_for_function(
        "(old) => { const k = localStorage.getItem('aisle:demo:visitor_key');"
        " return k !== null && k !== old; }", arg=old_key)
    after = await page.evaluate(kept)
    assert not any(cid in k for k in after), after
    await page.locator("[data-testid=aisle-launcher]").click()
    await expect(page.locator("[data-testid=aisle-prechat]")).to_be_visible()
    await expect(page.locator("#aisle-name")).to_have_value("")
    await expect(messages(page)).to_have_count(0)


async def test_a_message_the_server_could_not_store_is_tried_again(
        e2e_server: Server, store: Store, new_context: Any) -> None:
    """The server's disk is full: the shopper's message says it was not delivered and offers
    to try again; once there is room, trying again delivers it, once."""
    server = e2e_server
    agent = await server.add_agent("drew", teams=("support",))
    console = await server.agent_client(agent)
    context = await shopper(new_context)
    page = await context.new_page()
    cid = (await accepted_chat_on(page, console, f"{store.url}/test-store/a.html", "Kim",
                                  "Hello"))["id"]
    await expect(page.locator("[data-testid=aisle-title]")).to_have_text("Drew")

    await page_cap(server, None)
    for size in (3000, 300, 30, 1):  # until not even one character fits
        with contextlib.suppress(AckError):
            for i in range(200):
                await console.call("send_message", {"conversation_id": cid,
                                                    "client_id": f"fill-{size}-{i}",
                                                    "text": "x" * size})
    await page.locator("[data-testid=aisle-input]").fill("Is my order on its way?")
    await page.keyboard.press("Enter")
    mine = messages(page, "visitor").last
    await expect(mine).to_have_attribute("data-delivery", "failed")
    retry = page.locator("[data-testid=aisle-retry]")
    await expect(retry).to_be_visible()

    await page_cap(server, 1_000_000)  # room again
    await retry.click()
    await expect(mine).to_have_attribute("data-delivery", "sent")
    await console.wait_for("message_created",
                           lambda e: e["data"]["text"] == "Is my order on its way?")
    await expect(retry).to_have_count(0)
    history = await console.call("get_history", {"conversation_id": cid})
    texts = [e["data"]["text"] for e in history["events"] if e["type"] == "message_created"]
    assert texts.count("Is my order on its way?") == 1
