"""Helpers for the co-browse browser tests: the lazy co-browse bundle, what the server received
(every batch, inflated), the shopper's and the mirror's text, and waiting on both pages."""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import orjson
from playwright.async_api import BrowserContext, FrameLocator, Page, expect

from signaling.cobrowse.chunks import read_records
from tests.e2e.conftest import ContextFactory
from tests.e2e.test_console import accept_offer, open_console, watch_errors
from tests.e2e.test_widget import start_chat
from tests.integration.harness import Agent, Server

BUNDLE = Path(__file__).resolve().parents[2] / "signaling" / "static" / "aisle-cobrowse.js"
MIRROR_IFRAME = "[data-testid=cobrowse-mirror] iframe"

# Text of a document as a person reads it: text nodes outside scripts/styles and our own UI,
# whitespace collapsed. Run on the shopper's page and on the mirror alike.
TEXT_OF = """(root) => {
  const out = [];
  const skip = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"]);
  const walk = (n) => {
    for (const c of n.childNodes) {
      if (c.nodeType === 3) out.push(c.textContent);
      else if (c.nodeType === 1 && !skip.has(c.tagName) && c.id !== "aisle-widget-host" &&
               c.id !== "aisle-cobrowse-host") walk(c);
    }
  };
  walk(root);
  return out.join(" ").replace(/\\s+/g, " ").trim();
}"""


async def serve_bundle(context: BrowserContext, server: Server) -> None:
    """aisle-cobrowse.js from the build, where the server does not route it (yet)."""
    async with server.http.get(server.url + "/aisle-cobrowse.js") as resp:
        if resp.status == 200:
            return
    body = BUNDLE.read_bytes()
    await context.route("**/aisle-cobrowse.js", lambda route: route.fulfill(
        status=200, content_type="text/javascript", body=body))


class Received:
    """Every co-browse batch the server accepted a part of, as sent (parts joined)."""

    def __init__(self, server: Server) -> None:
        self.parts: list[Any] = []
        service = server.aisle.cobrowse
        original = service.batch

        async def capture(visitor: Any, batch: Any, sid: str | None = None) -> Any:
            self.parts.append(batch)
            return await original(visitor, batch, sid)

        service.batch = capture  # type: ignore[method-assign]

    def batches(self, since: int = 0) -> list[tuple[str, int, bool, bytes]]:
        """Whole batches, from the `since`-th part received on."""
        joined: dict[tuple[str, int], dict[int, bytes]] = {}
        meta: dict[tuple[str, int], bool] = {}
        for p in self.parts[since:]:
            key = (p.session_id, p.batch_no)
            joined.setdefault(key, {})[p.part] = p.data
            meta[key] = p.full
        out = []
        for key, parts in joined.items():
            data = b"".join(parts[i] for i in sorted(parts))
            try:
                raw = zlib.decompress(data, -zlib.MAX_WBITS)
            except zlib.error:
                continue  # a part is missing
            out.append((key[0], key[1], meta[key], raw))
        return out

    def full_count(self) -> int:
        return sum(1 for b in self.batches() if b[2])

    def strings(self, since: int = 0) -> list[str]:
        """Every string value in every event (timestamps and ids are numbers), from the
        `since`-th part received on."""
        found: list[str] = []

        def walk(value: Any) -> None:
            if isinstance(value, str):
                found.append(value)
            elif isinstance(value, list):
                for v in value:
                    walk(v)
            elif isinstance(value, dict):
                for k, v in value.items():
                    found.append(str(k))
                    walk(v)

        for *_, raw in self.batches(since):
            walk(orjson.loads(raw))
        return found


def stored_bytes(server: Server) -> list[bytes]:
    """What the server keeps: the database file(s) and every stored chunk, inflated."""
    data_dir = server.settings.data_dir
    blobs = [p.read_bytes() for p in data_dir.glob("*.db*")]
    for chunk in data_dir.glob("recordings/*/cobrowse/*.cb"):
        blobs.append(chunk.read_bytes())
        for _, payload in read_records(chunk):
            blobs.append(zlib.decompress(payload, -zlib.MAX_WBITS))
    return blobs


def same_after_masking(shopper: str, agent: str) -> bool:
    """Equal, where the mirror may show `*` for any visible character."""
    return len(shopper) == len(agent) and all(
        a == s or (a == "*" and not s.isspace()) for s, a in zip(shopper, agent, strict=True))


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 10.0,
                     what: str = "condition") -> None:
    """Polls a condition that spans two browsers (one page's expect() cannot)."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


def mirror(agent: Page) -> FrameLocator:
    return agent.frame_locator(MIRROR_IFRAME)


async def mirror_text(agent: Page) -> str:
    text: str = await agent.evaluate(
        f"() => {{ const d = document.querySelector('{MIRROR_IFRAME}')?.contentDocument;"
        f" return d && d.body ? ({TEXT_OF})(d.body) : ''; }}")
    return text


async def shopper_text(shopper: Page) -> str:
    return await shopper.evaluate(f"() => ({TEXT_OF})(document.body)")  # type: ignore[no-any-return]


async def mirrors_shopper(shopper: Page, agent: Page, timeout: float = 10.0) -> None:
    last: list[str] = ["", ""]

    async def check() -> bool:
        last[:] = [await shopper_text(shopper), await mirror_text(agent)]
        return same_after_masking(*last)

    try:
        await eventually(check, timeout, "the mirror to match the shopper's page")
    except AssertionError:
        raise AssertionError(f"mirror differs:\nshopper: {last[0][:600]}\nagent:   "
                             f"{last[1][:600]}") from None


async def shopper_page(new_context: ContextFactory, server: Server, path: str
                       ) -> tuple[Page, list[str]]:
    context = await new_context(reduced_motion="reduce")
    await serve_bundle(context, server)
    page = await context.new_page()
    errors = watch_errors(page)
    await page.goto(server.url + path)
    await expect(page.locator("[data-testid=aisle-launcher]")).to_be_visible()
    return page, errors


async def chat_and_share(new_context: ContextFactory, server: Server, shopper: Page,
                         agent_record: Agent, name: str = "Dana", told: bool = True) -> Page:
    """The shopper starts a chat, the agent accepts it in the console and asks to see the
    page; the shopper is asked (and `told` the session is recorded, as on the demo site).
    Returns the agent's console page."""
    agent, _ = await open_console(new_context, server, agent_record)
    await shopper.locator("[data-testid=aisle-launcher]").click()
    await start_chat(shopper, topic="order", name=name, message="Can you help me check out?")
    await accept_offer(agent, name)
    await agent.get_by_test_id("cobrowse-toggle").click()  # opens the view and asks
    consent = shopper.get_by_test_id("cobrowse-consent")
    await expect(consent).to_contain_text(f"{agent_record.login.title()} would like to see")
    if told:  # the demo site records co-browsing: the shopper is told before agreeing
        await expect(consent).to_contain_text("The session is recorded")
    return agent


async def client_shares(new_context: ContextFactory, server: Server, agent_record: Agent,
                        name: str) -> tuple[Page, Any, dict[str, Any]]:
    """A scripted shopper (a python client with a real visitor token) chats, the agent accepts
    in the console and asks to see the page, the client allows. Returns the console page, the
    client and the conversation; the client's batches are its own to write."""
    agent, _ = await open_console(new_context, server, agent_record)
    visitor, _ = await server.visitor()
    conv = await visitor.call("start_conversation", {"topic": "order", "client_id": "x1",
                                                     "fields": {"name": name},
                                                     "message": "hello"})
    await accept_offer(agent, name)
    await agent.get_by_test_id("cobrowse-toggle").click()  # opens the view and asks
    await visitor.wait_for("cobrowse_requested")
    await visitor.call("answer_cobrowse", {"conversation_id": conv["id"], "allow": True})
    await expect(agent.get_by_test_id("cobrowse-live")).to_be_visible()
    await visitor.wait_for("snapshot_requested")
    return agent, visitor, conv


def deflate(events: list[dict[str, Any]]) -> bytes:
    """A batch as the widget sends it: rrweb events, JSON, raw deflate."""
    c = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return c.compress(orjson.dumps(events)) + c.flush()

