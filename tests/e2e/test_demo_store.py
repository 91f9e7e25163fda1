"""The demo store at /demo/ works on its own in a real browser: catalogue → product → cart →
checkout with controlled inputs and their echoed summary, plus the pieces the co-browsing tests
drive (open and closed shadow roots, same-origin iframes, SPA routes, the page without widget).

The built files in signaling/static are served by a plain static server on loopback; no Aisle
server is involved (the browser comes from conftest's shared fixtures). /aisle.js is answered
404 on purpose: the store must work without it.
"""

from __future__ import annotations

import datetime
import re
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import BrowserContext, ConsoleMessage, Page, Request, Route, expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "signaling" / "static"
SCREENSHOTS = ROOT / "test-output" / "screenshots"

STORE_PAGES = [
    "/demo/",
    "/demo/product.html?id=harbour-tee",
    "/demo/cart.html",
    "/demo/checkout.html",
    "/demo/account.html",
    "/demo/help.html",
]

TEST_CARD = "4242424242424242"

# What conftest's `new_context` fixture returns.
ContextFactory = Callable[..., Awaitable[BrowserContext]]


def future_expiry() -> str:
    """Digits of an expiry date (MMYY) two years from now."""
    return f"12{(datetime.date.today().year + 2) % 100:02d}"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request would bury the test output


@pytest.fixture
def demo_origin() -> Iterator[str]:
    """Serves signaling/static on a free loopback port; yields its origin."""
    if not (STATIC / "demo" / "index.html").is_file():
        pytest.fail("the demo store is not built: run `node scripts/build_js.mjs` first")
    handler = partial(_QuietHandler, directory=str(STATIC))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="demo-static", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Shopper:
    """A browser tab on the demo store, with what went wrong in it."""

    context: BrowserContext
    page: Page
    origin: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _on_console(self, message: ConsoleMessage) -> None:
        # The one expected error: the widget script is missing (see _widget_missing).
        if message.type == "error" and not message.location.get("url", "").endswith("/aisle.js"):
            self.console_errors.append(f"{message.text} ({message.location.get('url')})")

    def on_request(self, request: Request) -> None:
        url = request.url
        if not url.startswith((self.origin + "/", "data:", "about:", "blob:")):
            self.foreign_requests.append(url)

    async def goto(self, path: str) -> None:
        await self.page.goto(self.origin + path)

    async def checkout_state(self) -> dict[str, Any]:
        # The URL changes when navigation commits; the page's module script runs after that.
        await self.page.wait_for_function("() => window.__demoCheckout !== undefined")
        state = await self.page.evaluate("window.__demoCheckout.getState()")
        assert isinstance(state, dict)
        return state

    async def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


async def _widget_missing(route: Route) -> None:
    # Answer as if the widget were not built, whatever signaling/static holds: this test is
    # about the store alone.
    await route.fulfill(status=404, content_type="text/plain", body="not found")


@pytest.fixture
async def shopper(demo_origin: str, new_context: ContextFactory) -> AsyncIterator[Shopper]:
    """A tab in a fresh browser context (the shared fixtures launch Chromium, loopback only)."""
    context = await new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    await context.route("**/aisle.js", _widget_missing)
    shopper = Shopper(context, await context.new_page(), demo_origin)
    shopper.watch(shopper.page)
    context.on("request", shopper.on_request)
    yield shopper
    assert shopper.page_errors == [], "uncaught errors in the page"
    assert shopper.console_errors == [], "console errors other than the missing /aisle.js"
    assert shopper.foreign_requests == [], "the store must load nothing from elsewhere"


async def test_catalogue_to_order_confirmation(shopper: Shopper) -> None:
    page = shopper.page
    cart_count = page.get_by_test_id("cart-count")

    await shopper.goto("/demo/")
    await expect(page.get_by_test_id("product-card")).to_have_count(8)
    await expect(cart_count).to_have_text("0")
    await shopper.screenshot("demo-catalogue")
    await page.locator("[data-testid=add-to-cart][data-product-id=canvas-tote]").click()
    await expect(cart_count).to_have_text("1")
    await expect(page.get_by_test_id("toast")).to_contain_text("Canvas Tote")

    await page.locator("[data-product-id=harbour-tee] .product-card-link").click()
    await expect(page).to_have_url(re.compile(r"/demo/product\.html\?id=harbour-tee$"))
    await expect(page.get_by_test_id("product-name")).to_have_text("Harbour Tee")
    await page.select_option("#size", "L")
    await page.select_option("#colour", "Sage")
    await page.fill("#quantity", "2")
    await page.click("#add-to-cart")
    await expect(cart_count).to_have_text("3")
    await expect(page.get_by_test_id("toast")).to_contain_text("2 × Harbour Tee (L, Sage)")

    await page.get_by_test_id("cart-link").click()
    await expect(page.get_by_test_id("cart-line")).to_have_count(2)
    tote = page.locator("[data-testid=cart-line][data-line-key^='canvas-tote|']")
    await tote.get_by_test_id("cart-qty").fill("3")
    await tote.get_by_test_id("cart-qty").press("Tab")
    await expect(page.get_by_test_id("cart-subtotal")).to_have_text("£105.00")  # 2×24 + 3×19
    await expect(cart_count).to_have_text("5")
    # The store shares its cart with the agents (queued: the widget is not loaded here).
    shared = await page.evaluate(
        "() => window.Aisle.q.filter((c) => c[0] === 'setContext').pop()[1]")
    assert shared == {"cart_items": 5, "cart_value": "£105.00"}

    await page.click("#checkout-link")
    await expect(page).to_have_url(re.compile(r"/demo/checkout\.html$"))
    initial = await shopper.checkout_state()
    assert initial["status"] == "editing"
    assert len(initial["lines"]) == 2
    assert re.fullmatch(r"ot_[0-9a-f]{24}", initial["orderToken"])
    await expect(page.locator("#order-token")).to_have_value(initial["orderToken"])

    typed = {
        "#full-name": "Ada Lovelace",
        "#email": "ada@example.com",
        "#phone": "+44 117 496 0000",
        "#address-line1": "12 Harbour Road",
        "#address-line2": "Flat 2",
        "#city": "Bristol",
        "#postcode": "bs1 4dj",
        "#gift-note": "Happy birthday, Charles!",
        "#card-number": TEST_CARD,
        "#card-expiry": future_expiry(),
        "#card-cvc": "123",
        "#card-name": "A LOVELACE",
    }
    for selector, text in typed.items():
        await page.locator(selector).press_sequentially(text)
    await page.check("#delivery-express")
    await page.check("#newsletter")

    expiry = future_expiry()
    await expect(page.locator("#card-number")).to_have_value("4242 4242 4242 4242")
    await expect(page.locator("#card-expiry")).to_have_value(f"{expiry[:2]} / {expiry[2:]}")
    await expect(page.locator("#postcode")).to_have_value("BS1 4DJ")
    state = await shopper.checkout_state()
    assert state["fields"] == {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "phone": "+44 117 496 0000",
        "address1": "12 Harbour Road",
        "address2": "Flat 2",
        "city": "Bristol",
        "postcode": "BS1 4DJ",
        "country": "GB",
        "giftNote": "Happy birthday, Charles!",
        "deliveryDate": "",
        "cardNumber": "4242 4242 4242 4242",
        "cardExpiry": f"{expiry[:2]} / {expiry[2:]}",
        "cardCvc": "123",
        "cardName": "A LOVELACE",
    }
    assert state["delivery"] == "express"
    assert state["newsletter"] is True
    assert state["totals"] == {"subtotal": 10500, "delivery": 795, "total": 11295}

    # The summary echoes typed data as text (what co-browse masking must catch).
    await expect(page.get_by_test_id("summary-card")).to_have_text("Card ending in 4242")
    await expect(page.get_by_test_id("summary-email")).to_have_text(
        "Receipt goes to ada@example.com"
    )
    address = page.get_by_test_id("summary-address")
    for part in ["Ada Lovelace", "12 Harbour Road", "Flat 2", "Bristol BS1 4DJ", "United Kingdom"]:
        await expect(address).to_contain_text(part)
    await expect(page.get_by_test_id("summary-gift-note")).to_contain_text("Happy birthday")
    await expect(page.get_by_test_id("summary-total")).to_have_text("£112.95")
    await shopper.screenshot("demo-checkout")

    await page.click("#place-order")
    confirmation = page.get_by_test_id("order-confirmation")
    await expect(confirmation).to_contain_text("Thank you, Ada!")
    number = await page.get_by_test_id("order-number").text_content()
    assert number is not None and re.fullmatch(r"HG-\d{6}", number)
    placed = await shopper.checkout_state()
    assert placed["status"] == "placed"
    assert placed["order"]["number"] == number
    assert placed["order"]["total"] == 11295
    await expect(cart_count).to_have_text("0")
    await shopper.screenshot("demo-order-confirmation")

    # The order shows up under "My orders" once signed in.
    await page.get_by_role("link", name="See my orders").click()
    await page.fill("#signin-email", "ada@example.com")
    await page.fill("#signin-password", "correct horse")
    await page.click("#signin-submit")
    await expect(page.locator(f"[data-testid=order][data-order-number='{number}']")).to_be_visible()


# The co-browse snippet drives controlled inputs without a real keyboard: the element's own
# prototype `value` setter, then `input` and `change`; clicks as the full pointer sequence.
REMOTE_TYPE = """([selector, text]) => {
  const el = document.querySelector(selector);
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), "value").set;
  setter.call(el, text);
  el.dispatchEvent(new Event("input", { bubbles: true }));
  el.dispatchEvent(new Event("change", { bubbles: true }));
}"""

REMOTE_CLICK = """(selector) => {
  const el = document.querySelector(selector);
  const r = el.getBoundingClientRect();
  const at = { bubbles: true, cancelable: true, composed: true, view: window,
               clientX: r.x + r.width / 2, clientY: r.y + r.height / 2, button: 0 };
  const pointer = { ...at, pointerType: "mouse", isPrimary: true };
  el.dispatchEvent(new PointerEvent("pointerdown", pointer));
  el.dispatchEvent(new MouseEvent("mousedown", at));
  el.focus();
  el.dispatchEvent(new PointerEvent("pointerup", pointer));
  el.dispatchEvent(new MouseEvent("mouseup", at));
  el.dispatchEvent(new MouseEvent("click", at));
}"""


async def test_checkout_state_follows_remote_style_input(shopper: Shopper) -> None:
    page = shopper.page
    await shopper.goto("/demo/checkout.html")
    await expect(page.locator("#card-number")).to_be_visible()

    await page.evaluate(REMOTE_TYPE, ["#full-name", "Grace Hopper"])
    await page.evaluate(REMOTE_TYPE, ["#gift-note", "With love"])  # a <textarea>
    await page.evaluate(REMOTE_TYPE, ["#country", "IE"])  # a <select>
    await page.evaluate(REMOTE_TYPE, ["#card-number", "4242424242424242"])
    await page.evaluate(REMOTE_CLICK, "#delivery-pickup")
    await page.evaluate(REMOTE_CLICK, "#newsletter")

    state = await shopper.checkout_state()
    assert state["fields"]["name"] == "Grace Hopper"
    assert state["fields"]["giftNote"] == "With love"
    assert state["fields"]["country"] == "IE"
    assert state["fields"]["cardNumber"] == "4242 4242 4242 4242"
    assert state["delivery"] == "pickup"
    assert state["newsletter"] is True
    await expect(page.locator("#card-number")).to_have_value("4242 4242 4242 4242")
    await expect(page.locator("#address-heading")).to_have_text("Billing address")
    await expect(page.locator("#gift-note-count")).to_have_text("9/200")

    # The snapshot is read-only.
    frozen = await page.evaluate(
        """() => {
          const api = window.__demoCheckout, s = api.getState();
          try { s.fields.name = "x"; } catch {}
          return Object.isFrozen(s.fields) && api.getState().fields.name;
        }"""
    )
    assert frozen == "Grace Hopper"


async def test_checkout_validation(shopper: Shopper) -> None:
    page = shopper.page
    await shopper.goto("/demo/checkout.html")
    await page.click("#place-order")
    summary = page.get_by_test_id("error-summary")
    await expect(summary).to_be_focused()
    await expect(summary).to_contain_text("Your cart is empty")
    state = await shopper.checkout_state()
    assert state["status"] == "editing"
    assert set(state["errors"]) == {
        "cart", "name", "email", "address1", "city", "postcode",
        "cardNumber", "cardExpiry", "cardCvc", "cardName",
    }  # fmt: skip
    await expect(page.locator("#card-number")).to_have_attribute("aria-invalid", "true")

    # Errors follow corrections once an order was attempted; the Luhn check catches a typo.
    await page.locator("#card-number").press_sequentially("4242424242424241")
    await expect(page.get_by_test_id("card-number-error")).to_have_text(
        "This card number is not valid: check the digits."
    )
    await page.locator("#card-number").press("Backspace")
    await page.locator("#card-number").press("2")
    await expect(page.get_by_test_id("card-number-error")).to_have_count(0)

    # Expiry: a leading 2–9 is a one-digit month; a past month is refused.
    await page.locator("#card-expiry").press_sequentially("4")
    await expect(page.locator("#card-expiry")).to_have_value("04")
    await page.fill("#card-expiry", "")
    await page.locator("#card-expiry").press_sequentially("0120")
    await expect(page.get_by_test_id("card-expiry-error")).to_have_text("This card has expired.")


async def test_product_page_gallery_shadow_dom_and_size_guide(shopper: Shopper) -> None:
    page = shopper.page
    await shopper.goto("/demo/product.html?id=harbour-tee")
    main = page.get_by_test_id("gallery-main")
    await expect(main).to_have_attribute("data-view", "front")

    # Thumbnails are buttons: arrow keys move between them and switch the main image.
    thumbs = page.get_by_test_id("gallery-thumb")
    await expect(thumbs).to_have_count(4)
    await thumbs.first.focus()
    await page.keyboard.press("ArrowRight")
    await expect(main).to_have_attribute("data-view", "detail")
    await expect(thumbs.nth(1)).to_be_focused()
    await expect(thumbs.nth(1)).to_have_attribute("aria-pressed", "true")
    await page.keyboard.press("End")
    await expect(main).to_have_attribute("data-view", "colours")
    await thumbs.nth(2).click()
    await expect(main).to_have_attribute("data-view", "lifestyle")
    await page.select_option("#colour", "Sand")
    await expect(main.get_by_role("img")).to_have_attribute("aria-label", re.compile("in Sand"))

    # Reviews live in an OPEN shadow root (Playwright's CSS pierces it); the form works there.
    reviews = page.locator("demo-reviews")
    assert await reviews.evaluate("el => el.shadowRoot !== null")
    await expect(reviews.get_by_test_id("review")).to_have_count(3)
    await reviews.locator("#review-name").fill("Sam")
    await reviews.locator("#review-text").fill("Lovely and soft.")
    await reviews.get_by_role("button", name="Post review").click()
    await expect(reviews.get_by_test_id("review")).to_have_count(4)
    await expect(reviews.get_by_test_id("review").first).to_contain_text("Lovely and soft.")

    # The trust badge's shadow root is CLOSED: invisible from outside, yet rendered.
    badge = page.get_by_test_id("trust-badge")
    assert await badge.evaluate("el => el.shadowRoot") is None
    box = await badge.bounding_box()
    assert box is not None and box["height"] > 40

    # The size guide is a same-origin iframe with its own script.
    guide = page.frame_locator("[data-testid=size-guide-frame]")
    await expect(guide.get_by_test_id("size-table-tops")).to_be_visible()
    await expect(guide.get_by_test_id("size-table-shoes")).to_be_hidden()
    medium_chest = guide.locator("[data-testid=size-table-tops] tbody tr:nth-child(3) td").first
    await expect(medium_chest).to_have_text("100")
    await guide.get_by_text("Inches").click()
    await expect(medium_chest).to_have_text("39.4")
    await shopper.screenshot("demo-product")

    await shopper.goto("/demo/product.html?id=no-such-thing")
    await expect(page.get_by_test_id("product-not-found")).to_be_visible()


async def test_catalogue_search_filter_and_pointerdown_menu(shopper: Shopper) -> None:
    page = shopper.page
    await shopper.goto("/demo/")
    cards = page.get_by_test_id("product-card")
    await page.fill("#search", "bag")
    await expect(cards).to_have_count(2)
    await expect(page.get_by_test_id("result-count")).to_have_text("2 products")
    await page.fill("#search", "zzz")
    await expect(page.get_by_test_id("no-results")).to_be_visible()
    await page.click("#clear-filters")
    await expect(cards).to_have_count(8)
    await page.select_option("#category", "Home")
    await expect(cards).to_have_count(2)
    await page.select_option("#category", "")

    # The sort menu opens on pointerdown, like Headless UI: a bare click() leaves it shut.
    menu = page.get_by_test_id("sort-menu")
    await page.evaluate("document.querySelector('#sort-button').click()")
    await expect(menu).to_be_hidden()
    await page.click("#sort-button")
    await expect(menu).to_be_visible()
    await expect(page.locator("#sort-button")).to_have_attribute("aria-expanded", "true")
    await page.get_by_role("menuitemradio", name="Price: low to high").click()
    await expect(menu).to_be_hidden()
    await expect(cards.first).to_have_attribute("data-product-id", "enamel-mug")
    # …and from the keyboard.
    await page.focus("#sort-button")
    await page.keyboard.press("Enter")
    await expect(menu).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(menu).to_be_hidden()
    await expect(page.locator("#sort-button")).to_be_focused()


async def test_cart_is_shared_by_tabs_and_can_be_emptied(shopper: Shopper) -> None:
    page = shopper.page
    await shopper.goto("/demo/cart.html")
    await expect(page.get_by_test_id("cart-empty")).to_be_visible()

    other = await shopper.context.new_page()
    shopper.watch(other)
    await other.goto(shopper.origin + "/demo/product.html?id=enamel-mug")
    await other.click("#add-to-cart")
    # The first tab hears about it through the storage event.
    await expect(page.get_by_test_id("cart-count")).to_have_text("1")
    await expect(page.get_by_test_id("cart-line")).to_have_count(1)
    await other.close()

    await page.get_by_test_id("remove-line").click()
    await expect(page.get_by_test_id("cart-empty")).to_be_visible()
    await expect(page.get_by_test_id("cart-count")).to_have_text("0")
    await expect(page.locator("#cart-heading")).to_be_focused()


async def test_help_routes_use_history(shopper: Shopper) -> None:
    page = shopper.page
    await shopper.goto("/demo/help.html")
    heading = page.get_by_test_id("help-heading")
    await expect(heading).to_have_text("How can we help?")
    await page.evaluate("window.__sameDocument = true")

    await page.locator(".help-nav").get_by_role("link", name="Returns").click()
    await expect(page).to_have_url(re.compile(r"/demo/help\.html\?topic=returns$"))
    await expect(heading).to_have_text("Returns")
    await expect(page).to_have_title("Returns — Help — Harbour Goods")
    await page.get_by_role("link", name="Contact us").first.click()
    await expect(heading).to_have_text("Contact us")
    await expect(page.locator("#contact-photo")).to_have_attribute("type", "file")
    assert await page.evaluate("window.__sameDocument === true"), "a route change reloaded"

    await page.go_back()
    await expect(heading).to_have_text("Returns")
    await page.go_back()
    await expect(heading).to_have_text("How can we help?")
    await page.go_forward()
    await expect(heading).to_have_text("Returns")
    assert await page.evaluate("window.__sameDocument === true")
    await page.reload()
    await expect(heading).to_have_text("Returns")


async def test_account_sign_in(shopper: Shopper) -> None:
    page = shopper.page
    await shopper.goto("/demo/account.html")
    await expect(page.get_by_test_id("orders-signed-out")).to_be_visible()
    await expect(page.locator("#signin-password")).to_have_attribute(
        "autocomplete", "current-password"
    )
    await page.click("#signin-submit")
    await expect(page.get_by_test_id("signin-error")).to_contain_text("Enter your email")

    await page.fill("#signin-email", "ada@example.com")
    await page.fill("#signin-password", "hunter2")
    await page.click("#signin-submit")
    await expect(page.get_by_test_id("signed-in-email")).to_have_text("ada@example.com")
    await expect(page.get_by_test_id("account-avatar")).to_have_attribute(
        "title", "ada@example.com"
    )
    await expect(page.get_by_test_id("order")).to_have_count(2)
    await expect(page.locator("#signin-password")).to_have_value("")
    await page.reload()  # the session survives navigation
    await expect(page.get_by_test_id("signed-in-email")).to_have_text("ada@example.com")
    await page.click("#sign-out")
    await expect(page.get_by_test_id("orders-signed-out")).to_be_visible()


async def test_widget_tag_everywhere_but_outside(shopper: Shopper) -> None:
    page = shopper.page
    widget = page.locator('script[src="/aisle.js"][data-site="demo"][async]')
    for path in STORE_PAGES:
        await shopper.goto(path)
        await expect(widget, path).to_have_count(1)
        await expect(page.locator("main h1").first, path).to_be_visible()

    await shopper.goto("/demo/")
    blog = page.get_by_test_id("blog-link")
    await expect(blog).to_have_text("Our blog (external)")
    await blog.click()
    await expect(page).to_have_url(re.compile(r"/demo/outside\.html$"))
    await expect(page.get_by_test_id("left-store-notice")).to_contain_text(
        "You have left the store"
    )
    await expect(page.locator('script[src="/aisle.js"]')).to_have_count(0)

    for frame_page in ["/demo/size-guide.html", "/demo/payment-frame.html"]:
        await shopper.goto(frame_page)
        await expect(page.locator('script[src="/aisle.js"]')).to_have_count(0)


async def test_payment_frame_placeholder(shopper: Shopper) -> None:
    page = shopper.page
    await shopper.goto("/demo/checkout.html")
    frame = page.locator("iframe.payment-frame")
    await expect(frame).to_have_attribute("src", "/demo/payment-frame.html")
    pay = page.frame_locator("iframe.payment-frame")
    await pay.get_by_role("button", name="Pay with DemoPay").click()
    await expect(pay.get_by_test_id("demopay-status")).to_contain_text("please pay by card")


@pytest.mark.parametrize("path", [*STORE_PAGES, "/demo/outside.html"])
async def test_pages_fit_a_360px_screen(shopper: Shopper, path: str) -> None:
    page = shopper.page
    await page.set_viewport_size({"width": 360, "height": 740})
    await shopper.goto(path)
    await expect(page.locator("main h1").first).to_be_visible()
    overflow = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways at 360 px"
    if path in ("/demo/", "/demo/product.html?id=harbour-tee", "/demo/checkout.html"):
        name = {"/demo/": "catalogue", "/demo/checkout.html": "checkout"}.get(path, "product")
        await shopper.screenshot(f"demo-{name}-360px")
