"""Co-browsing relay: a scripted shopper (headless Chromium, the real widget recording real pages:
the demo checkout and a generated 10,000-node page) shares with an agent whose console shows the
live view, through Aisle; in the same run every batch the page sends also goes through a bare
aiohttp WebSocket relay (the floor) to a second live view in the agent's browser. Measured:
emit → applied at the agent (p50/p95, both paths), bytes on the wire against raw rrweb JSON,
Aisle's CPU per MB relayed (its own process), and full-snapshot delivery on the 10k page.

Run from the repository root: `python -m bench.cobrowse [--quick]`. The last line is one JSON
object; it never asserts a speed."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

ROOT = Path(__file__).resolve().parents[1]
AGENT, PASSWORD = "alex", "pw-alex"
TICK = 0.001


# ---- the Aisle server, in its own process (so its CPU is its own) -------------------------

async def serve(data_dir: str, origin: str) -> None:
    from signaling.auth import hash_password
    from tests.integration.harness import start_server

    server = await start_server(Path(data_dir), offer_timeout_s=60.0, visitor_grace_s=120.0,
                                stream_events_per_second=10_000.0, stream_events_burst=10_000)
    record = await server.aisle.store.agents.create(
        login=AGENT, password_hash=hash_password(PASSWORD), display_name="Alex", role="agent",
        max_concurrent=10, teams_=["support"])
    await server.aisle.store.agents.update(record.id, status="online")
    site = await server.aisle.store.sites.get_by_key("demo")
    assert site is not None
    await server.aisle.store.sites.update(site.id, allowed_origins=["self", origin])
    print(server.url, flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await server.close()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---- the floor relay, the generated page, the floor view ---------------------------------

def big_page(aisle: str, nodes: int = 10_000) -> str:
    rows = []
    per_row = 5  # li, span, b, text, text
    for i in range(nodes // per_row):
        rows.append(f'<li class="r{i % 7}"><span>Item {i}</span> <b>£{i % 97}.{i % 10}9</b></li>')
    return (f"<!doctype html><html><head><meta charset=utf-8><title>Big catalogue</title>"
            f"<style>li{{padding:2px 8px}} .r3{{background:#eef}}</style>"
            f'<script src="{aisle}/aisle.js" data-site="demo" async></script></head>'
            f"<body><h1>Big catalogue</h1><input id=q placeholder=Search><ul>{''.join(rows)}</ul>"
            f"</body></html>")


class Floor:
    """A bare aiohttp WebSocket relay: what the shopper sends goes to every agent socket."""

    def __init__(self, aisle: str, script: Path) -> None:
        self.aisle = aisle
        self.script = script
        self.agents: set[web.WebSocketResponse] = set()
        self.url = ""
        self.runner: web.AppRunner | None = None

    async def echo(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=16_000_000, compress=False)
        try:
            await ws.prepare(request)
        except ConnectionResetError:  # a page that left while connecting (a reload)
            return ws
        agent = request.query.get("role") == "agent"
        if agent:
            self.agents.add(ws)
        async for msg in ws:
            if msg.type == WSMsgType.BINARY and not agent:
                for peer in list(self.agents):
                    await peer.send_bytes(msg.data)
        self.agents.discard(ws)
        return ws

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/echo", self.echo)
        async def floor_html(_: web.Request) -> web.StreamResponse:
            return web.Response(
                content_type="text/html", text='<!doctype html><html><body style="margin:0">'
                '<div id="mirror"></div><script src="/floor.js"></script></body></html>')

        async def floor_js(_: web.Request) -> web.StreamResponse:
            return web.FileResponse(self.script)

        async def big_html(_: web.Request) -> web.StreamResponse:
            return web.Response(content_type="text/html", text=big_page(self.aisle))

        app.router.add_get("/floor.html", floor_html)
        app.router.add_get("/floor.js", floor_js)
        app.router.add_get("/store/big.html", big_html)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]


# The shopper's page sends every binary frame (a batch) to the floor relay too.
DUPLICATE = """(() => {
  const floor = new WebSocket(%r); floor.binaryType = "arraybuffer";
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const binary = typeof data !== "string";
    if (this !== floor && binary && floor.readyState === 1) send.call(floor, data);
    return send.call(this, data);
  };
})();"""
COLLECT = """document.addEventListener("aisle-cobrowse-applied", (e) =>
  (window.__applied ||= []).push([e.detail.sentAt, e.detail.at, e.detail.type]));"""


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = round(p / 100 * (len(ordered) - 1))
    return ordered[min(len(ordered) - 1, index)]


async def scenario(name: str, browser: Any, aisle: str, floor: Floor, console: Any,
                   floor_browser: Any, pid: int, path: str, actions: Any, snapshots: int
                   ) -> dict[str, Any]:
    from playwright.async_api import expect

    ctx = await browser.new_context(viewport={"width": 1280, "height": 800})
    bundle = ROOT / "signaling" / "static" / "aisle-cobrowse.js"
    await ctx.route("**/aisle-cobrowse.js", lambda r: r.fulfill(
        status=200, content_type="text/javascript", body=bundle.read_bytes()))
    await ctx.add_init_script(DUPLICATE % (floor.url.replace("http", "ws") + "/echo?role=shopper"))
    shopper = await ctx.new_page()
    wire = {"bytes": 0}

    def on_ws(ws: Any) -> None:
        if "socket.io" in ws.url:
            ws.on("framesent", lambda p: wire.__setitem__(
                "bytes", wire["bytes"] + len(p if isinstance(p, bytes) else p.encode())))

    shopper.on("websocket", on_ws)
    # Its own browser: a page behind another one in the same window gets its frames throttled.
    floor_ctx = await floor_browser.new_context(viewport={"width": 1600, "height": 1000})
    floor_page = await floor_ctx.new_page()
    await floor_page.goto(floor.url + "/floor.html")
    await floor_page.wait_for_selector("body[data-ready]", state="attached")
    await shopper.goto(path if path.startswith("http") else aisle + path)
    await shopper.locator("[data-testid=aisle-launcher]").click()
    await shopper.locator("input[name=topic][value=order]").check()
    await shopper.locator("#aisle-name").fill(name)
    await shopper.locator("#aisle-message").fill("Help me please")
    await shopper.locator("[data-testid=aisle-prechat] button[type=submit]").click()
    card = console.locator(".offer-card", has_text=name)
    await card.get_by_role("button", name="Accept").click()
    await console.locator("[role=tab]", has_text=name).click()
    await console.get_by_test_id("cobrowse-toggle").click()  # opens the view and asks
    await shopper.get_by_test_id("cobrowse-allow").click()
    await expect(console.get_by_test_id("cobrowse-live")).to_have_attribute("data-live", "live")
    await console.evaluate("() => { window.__applied = []; }")
    await floor_page.evaluate("() => { window.__applied.length = 0; window.__bytes.raw = 0; }")
    wire["bytes"] = 0
    cpu0 = cpu_seconds(pid)
    await actions(shopper)
    full_ms: list[float] = []
    for _ in range(snapshots):  # the agent's tab leaves and returns: a fresh full snapshot
        await console.evaluate("""() => {
          const set = (v) => { Object.defineProperty(document, 'visibilityState',
            {configurable: true, get: () => v});
            document.dispatchEvent(new Event('visibilitychange')); };
          set('hidden'); set('visible'); }""")
        await console.wait_for_function(
            "() => (window.__applied||[]).some(a => a[2] === 2 && !a.seen)")
        full_ms += await console.evaluate(
            "() => window.__applied.filter(a => a[2] === 2 && !a.seen).map(a => { a.seen = true;"
            " return a[1] - a[0]; })")
    await asyncio.sleep(0.5)  # let the last batches land on both paths
    cpu = cpu_seconds(pid) - cpu0
    aisle_lat = [a[1] - a[0] for a in await console.evaluate("() => window.__applied") if a[2] != 2]
    floor_raw = await floor_page.evaluate("() => window.__applied")
    floor_lat = [a[1] - a[0] for a in floor_raw if a[2] != 2]
    raw = int(await floor_page.evaluate("() => window.__bytes.raw"))
    await floor_ctx.close()
    await ctx.close()
    return {"name": name, "aisle": aisle_lat, "floor": floor_lat, "wire": wire["bytes"],
            "raw": raw, "cpu_s": cpu, "full_ms": full_ms}


async def demo_actions(shopper: Any, rounds: int) -> None:
    for i in range(rounds):
        for y in range(100, 600, 25):
            await shopper.mouse.move(200 + y, y)
        await shopper.locator("#full-name").fill("")
        await shopper.locator("#full-name").press_sequentially(f"Dana {i}", delay=20)
        await shopper.locator("#address-line1").press_sequentially("1 Quay St", delay=20)
        await shopper.mouse.wheel(0, 400)
        await shopper.locator("#delivery-express").check()
        await shopper.locator("#delivery-standard").check()
        await shopper.mouse.wheel(0, -400)


async def big_actions(shopper: Any, rounds: int) -> None:
    for i in range(rounds):
        for y in range(100, 700, 30):
            await shopper.mouse.move(300, y)
        await shopper.locator("#q").press_sequentially(f"mug {i}", delay=20)
        await shopper.mouse.wheel(0, 1500)
        await shopper.evaluate("() => document.querySelectorAll('li')[40].classList.toggle('r3')")
        await shopper.mouse.wheel(0, -1500)


def build(floor_js: Path) -> None:
    """The front ends (aisle.js, aisle-cobrowse.js, the console) and the floor view."""
    subprocess.run(["node", "scripts/build_js.mjs"], cwd=ROOT, check=True)
    subprocess.run(["npx", "--no-install", "esbuild", "bench/cobrowse_floor.ts", "--bundle",
                    "--minify", f"--outfile={floor_js}", "--log-level=warning"], cwd=ROOT,
                   check=True)


async def run(quick: bool) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    tmp = Path(tempfile.mkdtemp(prefix="aisle-bench-cobrowse-"))
    floor_js = tmp / "floor.js"
    await asyncio.to_thread(build, floor_js)
    floor = Floor("", floor_js)
    await floor.start()
    # Started once; its pipes are read off the loop.
    command = [sys.executable, "-m", "bench.cobrowse", "--serve", str(tmp / "data"), floor.url]
    proc = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE,  # noqa: ASYNC220
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdin is not None
    aisle = (await asyncio.to_thread(proc.stdout.readline)).strip()
    floor.aisle = aisle
    rounds = 2 if quick else 6
    results = []
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                               args=CHROMIUM_ARGS)
            agent_browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                     args=CHROMIUM_ARGS)
            floor_browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                     args=CHROMIUM_ARGS)
            actx = await agent_browser.new_context(viewport={"width": 1600, "height": 1000})
            await actx.add_init_script(COLLECT)
            console = await actx.new_page()
            await console.goto(aisle + "/agent/")
            await console.fill("#login-name", AGENT)
            await console.fill("#login-password", PASSWORD)
            await console.click("button[type=submit]")
            await console.get_by_test_id("connection").filter(has_text="Connected").wait_for()
            results.append(await scenario(
                "Demo", browser, aisle, floor, console, floor_browser, proc.pid,
                "/demo/checkout.html",
                lambda p: demo_actions(p, rounds), 0))
            results.append(await scenario(
                "Big", browser, aisle, floor, console, floor_browser, proc.pid,
                floor.url + "/store/big.html",
                lambda p: big_actions(p, rounds), 2 if quick else 5))
            await browser.close()
            await agent_browser.close()
            await floor_browser.close()
    finally:
        proc.stdin.close()
        proc.wait(timeout=20)
        if floor.runner:
            await floor.runner.cleanup()
    return summarize(results)


def summarize(results: list[dict[str, Any]]) -> dict[str, Any]:
    aisle = [v for r in results for v in r["aisle"]]
    floor = [v for r in results for v in r["floor"]]
    wire = sum(r["wire"] for r in results)
    raw = sum(r["raw"] for r in results)
    cpu = sum(r["cpu_s"] for r in results)
    full = [v for r in results for v in r["full_ms"]]
    print(f"{'path':<26}{'events':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for label, values in (("Aisle (server + console)", aisle), ("floor (bare WS relay)", floor)):
        print(f"{label:<26}{len(values):>8}{pct(values, 50):>9.1f}{pct(values, 95):>9.1f}")
    for r in results:
        print(f"  {r['name']:<8} Aisle p95 {pct(r['aisle'], 95):6.1f} ms, floor p95 "
              f"{pct(r['floor'], 95):6.1f} ms, wire {r['wire'] / 1e3:8.1f} kB, raw rrweb "
              f"{r['raw'] / 1e3:8.1f} kB, server CPU {r['cpu_s'] * 1e3:6.0f} ms")
    print(f"full snapshot of the 10k-node page, emit → applied: "
          f"{', '.join(f'{v:.0f}' for v in full)} ms")
    mb = wire / 1e6
    return {
        "p50_ms": round(pct(aisle, 50), 1), "p95_ms": round(pct(aisle, 95), 1),
        "p95_vs_floor": round(pct(aisle, 95) / max(pct(floor, 95), TICK), 2),
        "wire_vs_raw": round(wire / raw, 3) if raw else None,
        "server_cpu_ms_per_mb": round(cpu * 1e3 / mb, 1) if mb else None,
        "snapshot_10k_ms": round(statistics.median(full), 1) if full else None,
        "events": len(aisle), "floor_p95_ms": round(pct(floor, 95), 1),
        "wire_bytes": wire, "raw_bytes": raw,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument("--serve", nargs=2, metavar=("DATA_DIR", "ORIGIN"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(*args.serve))
        return
    figures = asyncio.run(run(args.quick))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
