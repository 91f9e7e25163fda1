"""Browser tests: a real Aisle server on loopback and Debian's Chromium driven by Playwright.
Chromium is told not to phone home and resolves nothing but loopback; fake camera, microphone
and screen; loopback ICE candidates allowed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from tests.integration.harness import Server, start_server

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-features=AutofillServerCommunication,OptimizationHints,Translate,MediaRouter,"
    "WebRtcHideLocalIpsWithMdns",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                           args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


ContextFactory = Callable[..., Awaitable[BrowserContext]]


@pytest.fixture
async def new_context(browser: Browser) -> AsyncIterator[ContextFactory]:
    """Separate contexts are separate people (shopper, agent): no shared storage."""
    contexts: list[BrowserContext] = []

    async def make(**options: Any) -> BrowserContext:
        context = await browser.new_context(viewport=options.pop("viewport",
                                                                 {"width": 1280, "height": 800}),
                                            **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        await context.close()


@pytest.fixture
async def e2e_server(tmp_path: Path) -> AsyncIterator[Server]:
    server = await start_server(tmp_path / "data")
    yield server
    await server.close()


@pytest.fixture
async def console_server(tmp_path: Path) -> AsyncIterator[Server]:
    """Offers open long enough for a loaded machine's browser to answer them."""
    server = await start_server(tmp_path / "data", offer_timeout_s=20.0)
    yield server
    await server.close()


@pytest.fixture
async def recording_server(tmp_path: Path) -> AsyncIterator[Server]:
    """The demo store recording co-browsing and calls, with the shopper's consent; a loopback
    media plane; offers and pages kept as for `patient_server`."""
    server = await start_server(tmp_path / "data", media_host_addresses=("127.0.0.1",),
                                offer_timeout_s=30.0, visitor_grace_s=60.0)
    demo = await server.aisle.store.sites.get_by_key("demo")
    assert demo is not None
    await server.aisle.store.sites.update(demo.id, settings={
        **demo.settings, "recording": {"cobrowse": True, "calls": True, "notice": "consent"}})
    yield server
    await server.close()


@pytest.fixture
async def patient_server(tmp_path: Path) -> AsyncIterator[Server]:
    """Offers open, and shoppers' pages kept through reloads and navigations, long enough for
    a loaded machine's browsers (co-browsing: two pages and a mirror)."""
    server = await start_server(tmp_path / "data", offer_timeout_s=30.0, visitor_grace_s=60.0)
    yield server
    await server.close()


async def screenshot(page: Page, name: str) -> Path:
    """Kept as an artifact for reviewers: test-output/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=False)
    return path
