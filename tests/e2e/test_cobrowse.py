"""Co-browsing in real browsers through the real server: the shopper in the demo store (widget +
aisle-cobrowse.js), the agent in the console (sandboxed live replay). Privacy on the checkout
(no seeded secret reaches the server in any byte, received or stored), the mirror equal to the
page once masking is accounted for, pointer and highlight, remote control of the Preact
checkout (and its refusal on card fields), navigation and leaving the store."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable

import pytest
from playwright.async_api import Page, Position, expect

from tests.e2e.cobrowse_helpers import (
    MIRROR_IFRAME,
    Received,
    chat_and_share,
    eventually,
    mirror,
    mirrors_shopper,
    shopper_page,
    stored_bytes,
)
from tests.e2e.conftest import ContextFactory, screenshot
from tests.e2e.test_console import accept_offer, nav, open_console
from tests.e2e.test_widget import start_chat
from tests.integration.harness import Server

pytestmark = pytest.mark.browser



CARD = "5555 5555 5555 4444"
SECRETS = {
    "card": CARD, "card digits": CARD.replace(" ", ""), "cvc": "737", "expiry": "09 / 31",
    "card name": "Dana Q Private", "address": "221B Quayside Lane", "city": "Wexmouth",
    "postcode": "QX9 7ZZ", "email": "dana.secret@example.org", "echo": "ending in 4444",
    "password": "Hunter2-Secret!", "wallet card": "6011 1111 1111 1117",
}


async def overlay_point(agent: Page, selector: str) -> tuple[float, float]:
    """Where on the agent's overlay the mirrored element's centre is."""
    box = await agent.evaluate(
        """([frame, sel]) => {
          const iframe = document.querySelector(frame);
          const el = iframe.contentDocument.querySelector(sel);
          const r = el.getBoundingClientRect();
          const f = iframe.getBoundingClientRect();
          const scale = f.width / iframe.offsetWidth;
          return [f.left + (r.left + r.width / 2) * scale, f.top + (r.top + r.height / 2) * scale];
        }""", [MIRROR_IFRAME, selector])
    return float(box[0]), float(box[1])


async def fill(page: Page, selector: str, value: str) -> None:
    await page.locator(selector).press_sequentially(value)


async def test_checkout_privacy_mirror_pointer_and_control(
        patient_server: Server, new_context: ContextFactory) -> None:
    server = patient_server
    # A store that records its checkout too (by default it is not recorded): what is stored
    # must still hold none of what the shopper typed.
    demo = await server.aisle.store.sites.get_by_key("demo")
    assert demo is not None
    await server.aisle.store.sites.update(demo.id, settings={
        **demo.settings, "recording": {"pause_urls": []}})
    received = Received(server)
    alex = await server.add_agent("alex", teams=("support",))
    shopper, shopper_errors = await shopper_page(new_context, server, "/demo/checkout.html")
    frames: list[bytes] = []
    shopper.on("websocket", lambda ws: ws.on(
        "framesent", lambda payload: frames.append(
            payload if isinstance(payload, bytes) else payload.encode())))
    # Typed before sharing (in the first snapshot) …
    await fill(shopper, "#card-number", CARD)
    await fill(shopper, "#card-expiry", "0931")
    await fill(shopper, "#address-line1", SECRETS["address"])
    await fill(shopper, "#city", SECRETS["city"])
    await shopper.frame_locator("iframe.payment-frame").locator("#demopay-card").fill(
        SECRETS["wallet card"])
    token = await shopper.evaluate("() => window.__demoCheckout.getState().orderToken")
    await expect(shopper.get_by_test_id("summary-card")).to_have_text("Card ending in 4444")

    agent = await chat_and_share(new_context, server, shopper, alex)
    await screenshot(shopper, "cobrowse-consent-prompt")
    await shopper.get_by_test_id("cobrowse-allow").click()
    bar = shopper.get_by_test_id("cobrowse-bar")
    await expect(bar).to_contain_text("You are sharing this page with Alex")
    await expect(agent.get_by_test_id("cobrowse-live")).to_have_attribute("data-live", "live")
    await expect(agent.get_by_test_id("cobrowse-viewport")).to_have_text("1280 × 800")
    await expect(agent.get_by_test_id("cobrowse-recorded")).to_have_text("Recorded")  # notice
    # The agent pauses the recording for a moment (the view goes on) and resumes it.
    await agent.get_by_test_id("cobrowse-pause-recording").click()
    await expect(agent.get_by_test_id("cobrowse-recorded")).to_have_text("Recording paused")
    # The shopper was told the session is recorded: they are told it is paused, and when not.
    shopper_rec = shopper.get_by_test_id("cobrowse-recorded")
    await expect(shopper_rec).to_contain_text("Recording paused")
    await agent.get_by_test_id("cobrowse-resume-recording").click()
    await expect(agent.get_by_test_id("cobrowse-recorded")).to_have_text("Recorded")
    await expect(shopper_rec).to_have_count(0)

    # … and typed while sharing (incremental events).
    await fill(shopper, "#card-cvc", SECRETS["cvc"])
    await fill(shopper, "#card-name", SECRETS["card name"])
    await fill(shopper, "#postcode", SECRETS["postcode"])
    await fill(shopper, "#email", SECRETS["email"])
    await expect(shopper.get_by_test_id("summary-email")).to_contain_text(SECRETS["email"])
    await mirrors_shopper(shopper, agent)
    await screenshot(shopper, "cobrowse-sharing-bar")

    # Our widget is not mirrored (a blocked element becomes an anonymous empty box).
    await expect(mirror(agent).locator("#aisle-widget-host")).to_have_count(0)
    await expect(mirror(agent).locator("body")).not_to_contain_text("Can you help me check out?")
    await expect(shopper.locator("#aisle-widget-host")).to_contain_text(
        "Can you help me check out?")
    # The payment frame is blocked: an empty box in the mirror.
    frame_doc = await agent.evaluate(
        f"() => document.querySelector('{MIRROR_IFRAME}').contentDocument"
        ".querySelector('iframe.payment-frame')?.contentDocument?.body?.innerHTML ?? ''")
    assert "demopay" not in frame_doc.lower()

    # The agent points and highlights; the shopper sees the agent's name with them.
    overlay = agent.get_by_test_id("cobrowse-overlay")
    await scrolled_to(shopper, agent, "#full-name")
    x, y = await overlay_point(agent, "#full-name")
    await agent.mouse.move(x - 40, y - 20)
    await agent.mouse.move(x, y, steps=4)
    await expect(shopper.get_by_test_id("agent-pointer")).to_contain_text("Alex")
    await agent.get_by_test_id("cobrowse-tool-highlight").click()
    await overlay.click(position=await relative(agent, x, y))
    await expect(shopper.get_by_test_id("agent-highlight")).to_be_visible()
    # A stroke of the drawing tool shows on the shopper's page.
    await agent.get_by_test_id("cobrowse-tool-draw").click()
    await agent.mouse.move(x - 60, y + 30)
    await agent.mouse.down()
    await agent.mouse.move(x + 60, y + 30, steps=8)
    await agent.mouse.up()
    await expect(shopper.get_by_test_id("agent-drawing").locator("polyline")).to_have_count(1)
    await screenshot(shopper, "cobrowse-shopper-pointer-highlight")
    await screenshot(agent, "cobrowse-agent-live-view")

    # Control: a second consent, then remote click and type change the Preact state.
    await agent.get_by_test_id("control-request").click()
    prompt = shopper.get_by_test_id("control-consent")
    await expect(prompt).to_contain_text("Alex asks to click and type")
    await screenshot(shopper, "cobrowse-control-prompt")
    await shopper.get_by_test_id("control-allow").click()
    await expect(bar).to_contain_text("Alex can click and type on this page")
    await expect(agent.get_by_test_id("cobrowse-feedback")).to_contain_text(
        "The shopper gave you control")
    await agent.get_by_test_id("cobrowse-tool-control").click()
    await scrolled_to(shopper, agent, "#address-line2")
    x, y = await overlay_point(agent, "#address-line2")
    await overlay.click(position=await relative(agent, x, y))
    # The field is named as the shopper reads it, and the box is labelled with it; the
    # keyboard is there already: the agent types and presses Enter.
    await expect(agent.get_by_label("Type into “Address line 2 (optional)”")).to_be_focused()
    await agent.keyboard.type("Flat 2, Quay Mews")
    await agent.keyboard.press("Enter")
    await checkout_state(shopper, "fields.address2", "Flat 2, Quay Mews")
    await expect(shopper.get_by_test_id("summary-address")).to_contain_text("Flat 2, Quay Mews")
    # The delivery option: a remote click on a radio changes the state too.
    await scrolled_to(shopper, agent, "#delivery-express")
    x, y = await overlay_point(agent, "#delivery-express")
    await overlay.click(position=await relative(agent, x, y))
    await checkout_state(shopper, "delivery", "express")
    # Card fields are refused, and the agent is told why.
    await scrolled_to(shopper, agent, "#card-cvc")
    x, y = await overlay_point(agent, "#card-cvc")
    await overlay.click(position=await relative(agent, x, y))
    await expect(agent.get_by_test_id("cobrowse-feedback")).to_contain_text(
        "Refused: card and security fields are private")
    await expect(agent.get_by_test_id("control-text")).to_have_count(0)  # no box to type into
    assert await shopper.evaluate(
        "() => window.__demoCheckout.getState().fields.cardCvc") == SECRETS["cvc"]
    # Esc takes control back at once.
    await shopper.keyboard.press("Escape")
    await expect(bar).not_to_contain_text("can click and type")
    await expect(agent.get_by_test_id("control-request")).to_be_visible()
    await expect(agent.get_by_test_id("cobrowse-feedback")).to_contain_text(
        "The shopper took back control")
    # Asked again and declined: the agent is told so.
    await agent.get_by_test_id("control-request").click()
    await shopper.get_by_test_id("control-decline").click()
    await expect(agent.get_by_test_id("cobrowse-feedback")).to_contain_text(
        "The shopper declined control")

    # A navigation mid-session: the account page; the password never leaves.
    await shopper.evaluate("() => window.scrollTo(0, 0)")
    await shopper.get_by_role("navigation", name="Main").get_by_role("link", name="Account").click()
    await shopper.wait_for_url(re.compile(r"/demo/account\.html"))
    await expect(shopper.get_by_test_id("cobrowse-bar")).to_contain_text("sharing this page")
    await expect(mirror(agent).locator("#signin-password")).to_have_count(1)
    await fill(shopper, "#signin-email", SECRETS["email"])
    await fill(shopper, "#signin-password", SECRETS["password"])
    await shopper.get_by_test_id("signin-submit").click()
    await expect(shopper.get_by_test_id("account-avatar")).to_be_visible()
    await mirrors_shopper(shopper, agent)

    # Off to a page without the widget: the agent is told the shopper left.
    await shopper.get_by_test_id("blog-link").click()
    await shopper.wait_for_url(re.compile(r"/demo/outside\.html"))
    await expect(agent.get_by_test_id("cobrowse-left")).to_be_visible(timeout=15_000)

    # Not one seeded value in anything the server received or keeps.
    assert received.full_count() >= 2
    strings = "\n".join(received.strings())
    sent = b"\n".join(frames)
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    stored = stored_bytes(server)
    assert stored, "nothing was stored"
    for label, secret in {**SECRETS, "order token": token}.items():
        assert secret not in strings, f"{label} reached the server"
        # Raw frames and stored files hold compressed bytes, where a three-digit secret (the
        # cvc) turns up by chance now and then: short ones are checked in the strings above.
        if len(secret) > 4:
            assert secret.encode() not in sent, f"{label} went over the socket"
            assert all(secret.encode() not in blob for blob in stored), f"{label} was stored"
    assert not [e for e in shopper_errors if "aisle" in e.lower()]


async def checkout_state(shopper: Page, path: str, value: str) -> None:
    await shopper.wait_for_function(
        f"v => window.__demoCheckout.getState().{path} === v", arg=value, timeout=10_000)


async def relative(agent: Page, x: float, y: float) -> Position:
    box = await agent.get_by_test_id("cobrowse-overlay").bounding_box()
    assert box is not None
    return {"x": x - box["x"], "y": y - box["y"]}


async def scrolled_to(shopper: Page, agent: Page, selector: str) -> None:
    """The shopper scrolled `selector` to the middle of the viewport (so that the agent's
    pointer can reach around it), and the mirror has followed to the pixel."""
    await shopper.locator(selector).evaluate("(el) => el.scrollIntoView({block: 'center'})")

    async def alike() -> bool:
        want = await shopper.evaluate("() => window.scrollY")
        got = await agent.evaluate(
            f"() => document.querySelector('{MIRROR_IFRAME}').contentWindow.scrollY")
        return bool(want == got and await in_view(agent, selector))

    await eventually(alike, what="the mirror to scroll with the shopper")


async def in_view(agent: Page, selector: str) -> bool:
    return bool(await agent.evaluate(
        """([frame, sel]) => {
          const iframe = document.querySelector(frame);
          const el = iframe?.contentDocument?.querySelector(sel);
          if (!el) return false;
          const r = el.getBoundingClientRect();
          return r.top >= 0 && r.bottom <= iframe.offsetHeight;
        }""", [MIRROR_IFRAME, selector]))


SHADOW_TEXT = """(doc) => (doc.querySelector('demo-reviews')?.shadowRoot?.textContent ?? '')
  .replace(/\\s+/g, ' ').trim()"""
FRAME_TEXT = """(doc) => (doc.querySelector('[data-testid=size-guide-frame]')?.contentDocument
  ?.body?.textContent ?? '').replace(/\\s+/g, ' ').trim()"""


async def in_mirror(agent: Page, fn: str) -> str:
    return await agent.evaluate(  # type: ignore[no-any-return]
        f"() => ({fn})(document.querySelector('{MIRROR_IFRAME}').contentDocument)")


async def test_shadow_dom_iframe_late_supervisor_background_resync_and_spa_routes(
        patient_server: Server, new_context: ContextFactory) -> None:
    server = patient_server
    received = Received(server)
    alex = await server.add_agent("alex", teams=("support",))
    sam = await server.add_agent("sam", teams=("support",), role="supervisor", status="away")
    shopper, _ = await shopper_page(new_context, server, "/demo/product.html?id=harbour-tee")
    agent = await chat_and_share(new_context, server, shopper, alex)
    await shopper.get_by_test_id("cobrowse-allow").click()
    await mirrors_shopper(shopper, agent)

    # An open shadow root (<demo-reviews>) and a same-origin iframe (the size guide) mirrored.
    async def same(fn: str) -> bool:
        want = await shopper.evaluate(f"() => ({fn})(document)")
        return bool(want) and want == await in_mirror(agent, fn)

    await eventually(lambda: same(SHADOW_TEXT), what="the shadow root in the mirror")
    await eventually(lambda: same(FRAME_TEXT), what="the size guide frame in the mirror")

    # A supervisor joins late: watching asks the page for a fresh full snapshot.
    fulls = received.full_count()
    boss, _ = await open_console(new_context, server, sam)
    await nav(boss, "Dashboard").click()
    await boss.locator(".active-list li", has_text="Dana").get_by_role(
        "button", name=re.compile("Observe")).click()
    toggle = boss.get_by_test_id("cobrowse-toggle")
    await expect(toggle).to_be_visible()
    # The panel opens by itself when the shopper already shares.
    await expect(toggle).to_have_attribute("aria-pressed", "true")
    await expect(boss.get_by_test_id("cobrowse-live")).to_have_attribute("data-live", "live")
    await mirrors_shopper(shopper, boss)
    assert received.full_count() > fulls
    await expect(boss.get_by_test_id("cobrowse-tool-point")).to_have_count(0)  # watch only

    # The agent's tab goes to the background: it stops applying, and resyncs when back.
    await agent.evaluate("""() => {
      Object.defineProperty(document, 'visibilityState',
                            {configurable: true, get: () => 'hidden'});
      document.dispatchEvent(new Event('visibilitychange'));
    }""")
    await shopper.get_by_role("button", name=re.compile("Add to (cart|bag)")).click()
    await expect(shopper.get_by_test_id("cart-count")).not_to_have_text("0")
    fulls = received.full_count()
    await agent.evaluate("""() => {
      Object.defineProperty(document, 'visibilityState',
                            {configurable: true, get: () => 'visible'});
      document.dispatchEvent(new Event('visibilitychange'));
    }""")
    await mirrors_shopper(shopper, agent)
    assert received.full_count() > fulls

    # A single-page app: route changes are mutations of the same page session.
    await shopper.get_by_role("navigation", name="Main").get_by_role("link", name="Help").click()
    await shopper.wait_for_url(re.compile(r"/demo/help\.html"))
    await mirrors_shopper(shopper, agent)
    fulls = received.full_count()
    await shopper.locator("a[data-route]").nth(1).click()
    await shopper.wait_for_url(re.compile(r"topic="))
    await mirrors_shopper(shopper, agent)
    assert received.full_count() == fulls

    # What a store's own markup and scripts could let slip: a marked shadow host, a rich-text
    # box the shopper types into, a card number the page echoes into its text and attributes.
    since = len(received.parts)
    await shopper.evaluate("""() => {
      const host = document.createElement('div');
      host.setAttribute('data-aisle-mask', '');
      host.attachShadow({mode: 'open'}).innerHTML = '<p>Shadowed Hortensia</p>';
      const note = document.createElement('div');
      note.contentEditable = 'true';
      note.id = 'gift-note';
      const echo = document.createElement('p');
      echo.id = 'echo';
      echo.textContent = 'Card 4111 1111 1111 1111 saved';
      echo.dataset.card = '4111111111111111';
      document.body.append(host, note, echo);
    }""")
    await shopper.locator("#gift-note").click()
    await shopper.keyboard.type("Love Marguerite")
    note_fn = "(doc) => doc.querySelector('#gift-note')?.textContent"
    await eventually(lambda: in_mirror_is(agent, note_fn, "**** **********"),
                     what="the typed note, masked, in the mirror")
    assert await in_mirror(agent, "(doc) => doc.querySelector('#echo')?.textContent") == (
        "Card **** **** **** **** saved")
    # The app moves to its checkout without a page load: its rules apply before it renders.
    fulls = received.full_count()
    await shopper.evaluate("""() => {
      history.pushState({}, '', '/demo/checkout/spa');
      const p = document.createElement('p');
      p.id = 'deliver';
      p.textContent = 'Deliver to Quayside Villa';
      document.body.append(p);
    }""")
    await eventually(lambda: in_mirror_is(agent, "(doc) => doc.querySelector('#deliver')"
                                          "?.textContent", "******* ** ******** *****"),
                     what="the checkout's text, masked, in the mirror")
    assert received.full_count() > fulls  # a new page session, under the checkout's rules
    sent = " ".join(received.strings(since))
    for secret in ("Hortensia", "Marguerite", "4111", "Quayside"):
        assert secret not in sent, secret


async def in_mirror_is(agent: Page, fn: str, want: str) -> bool:
    return await in_mirror(agent, fn) == want


async def test_a_declined_view_is_said_and_a_phone_page_can_be_seen_larger(
        patient_server: Server, new_context: ContextFactory) -> None:
    """The shopper declines: the agent is told where they look and in the transcript. Shared
    from a phone, the page fits a third of the window by default; the agent can enlarge it,
    and the choice holds for the next sharing. A dropped connection is not the shopper
    leaving."""
    server = patient_server
    alex = await server.add_agent("alex", teams=("support",))
    shopper, errors = await shopper_page(new_context, server, "/demo/product.html?id=harbour-tee")
    await shopper.set_viewport_size({"width": 390, "height": 844})
    agent = await chat_and_share(new_context, server, shopper, alex)
    await shopper.get_by_test_id("cobrowse-decline").click()
    feedback = agent.get_by_test_id("cobrowse-feedback")
    await expect(feedback).to_have_text("The shopper declined to share their page.")
    transcript = agent.get_by_role("log")
    await expect(transcript).to_contain_text("You asked to see the shopper’s page")
    await expect(transcript).to_contain_text("Dana declined to share their page")

    # Closing the view while the shopper has not answered takes the question back.
    await agent.get_by_test_id("cobrowse-toggle").click()  # closes the view
    await agent.get_by_test_id("cobrowse-toggle").click()  # opens it, and asks again
    await expect(shopper.get_by_test_id("cobrowse-consent")).to_be_visible()
    await agent.get_by_test_id("cobrowse-toggle").click()
    await expect(shopper.get_by_test_id("cobrowse-consent")).to_have_count(0)
    await agent.get_by_test_id("cobrowse-toggle").click()
    await expect(shopper.get_by_test_id("cobrowse-consent")).to_be_visible()

    # Asked again: the old answer goes; allowed this time.
    await expect(feedback).to_have_count(0)
    await shopper.get_by_test_id("cobrowse-allow").click()
    await expect(agent.get_by_test_id("cobrowse-live")).to_have_attribute("data-live", "live")
    await expect(transcript).to_contain_text("Dana is sharing their page")
    await expect(agent.get_by_test_id("cobrowse-viewport")).to_have_text("390 × 844")
    stage = agent.locator(".cb-stage")
    window = await agent.evaluate("() => window.innerHeight")

    async def height() -> float:
        box = await stage.bounding_box()
        return box["height"] if box else 0.0

    await eventually(lambda: _near(height(), window * 0.3), what="the view at a third")
    size = agent.get_by_test_id("cobrowse-size")
    await size.click()
    await expect(size).to_have_attribute("aria-pressed", "true")
    await eventually(lambda: _near(height(), window * 0.7), what="the view enlarged")
    await expect(mirror(agent).locator("main")).to_contain_text("Harbour Tee")

    # The next sharing opens large.
    await shopper.get_by_test_id("cobrowse-stop").click()
    await expect(transcript).to_contain_text("Dana stopped sharing their page")
    await agent.get_by_test_id("cobrowse-request").click()
    await shopper.get_by_test_id("cobrowse-allow").click()
    await expect(agent.get_by_test_id("cobrowse-viewport")).to_have_text("390 × 844")
    await expect(size).to_have_attribute("aria-pressed", "true")
    await eventually(lambda: _near(height(), window * 0.7), what="the view large again")

    # The shopper's connection drops without a word from the page (a dead spot): said as such,
    # not as the shopper leaving; the view resumes by itself once they are back.
    live = agent.get_by_test_id("cobrowse-live")
    [conv] = await server.aisle.store.conversations.find(status=["active"])
    for sid, _ in server.aisle.sio.manager.get_participants("/visitor",
                                                            f"vis:{conv.visitor_id}"):
        await server.aisle.sio.disconnect(sid, namespace="/visitor")
    await expect(live).to_have_attribute("data-live", "dropped")
    await expect(live).to_contain_text("Shopper's connection dropped")
    await expect(live).to_have_attribute("data-live", "live", timeout=15_000)
    assert errors == []


async def _near(measured: Awaitable[float], expected: float) -> bool:
    return abs(await measured - expected) <= 4


async def test_the_prompts_take_focus_give_it_back_and_never_answer_for_a_typing_shopper(
        patient_server: Server, new_context: ContextFactory) -> None:
    """A question about sharing takes focus (read out; Tab reaches its buttons), unless the
    shopper is typing: then it is announced and their keys go on where they were. When it or
    the sharing bar goes, focus goes back where the shopper was, not to the top of the page."""
    server = patient_server
    alex = await server.add_agent("alex", teams=("support",))
    shopper, errors = await shopper_page(new_context, server, "/demo/")
    agent, _ = await open_console(new_context, server, alex)
    await shopper.locator("[data-testid=aisle-launcher]").click()
    await start_chat(shopper, topic="order", name="Dana", message="Can you show me?")
    await accept_offer(agent, "Dana")

    sort = shopper.get_by_test_id("sort-button")
    await sort.focus()
    await agent.get_by_test_id("cobrowse-toggle").click()  # asks at once
    consent = shopper.get_by_test_id("cobrowse-consent")
    await expect(consent).to_be_focused()
    await shopper.keyboard.press("Tab")
    await expect(shopper.get_by_test_id("cobrowse-decline")).to_be_focused()
    await shopper.keyboard.press("Tab")
    await expect(shopper.get_by_test_id("cobrowse-allow")).to_be_focused()
    await shopper.keyboard.press("Enter")
    await expect(agent.get_by_test_id("cobrowse-live")).to_have_attribute("data-live", "live")
    await expect(sort).to_be_focused()

    # Typing in the search box when the agent asks for control: the keys go on into the box.
    search = shopper.get_by_test_id("search")
    await search.click()
    await shopper.keyboard.type("hoo")
    await agent.get_by_test_id("control-request").click()
    control = shopper.get_by_test_id("control-consent")
    await expect(control.get_by_role("alert")).to_contain_text("Alex asks to click and type")
    await shopper.keyboard.type("die")
    await expect(search).to_have_value("hoodie")
    await expect(search).to_be_focused()
    await control.get_by_test_id("control-decline").click()
    await expect(control).to_have_count(0)

    # Stop sharing, by keyboard: focus back in the search box.
    await search.focus()
    await shopper.get_by_test_id("cobrowse-stop").focus()
    await shopper.keyboard.press("Enter")
    await expect(shopper.get_by_test_id("cobrowse-bar")).to_have_count(0)
    await expect(search).to_be_focused()
    assert errors == []
