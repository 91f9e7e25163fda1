"""The front ends, built by esbuild into signaling/static: the widget at /aisle.js, the agent
console at /agent, the demo store at /demo, and a landing page at /."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from .csp import ConsoleCsp

STATIC = Path(__file__).resolve().parent.parent / "static"

def _missing(what: str) -> web.Response:
    return web.Response(
        status=503, content_type="text/plain",
        text=f"{what} is not built: run `make build` (or `make serve`, which builds it).\n")


def _inside(base: Path, tail: str) -> Path | None:
    """The file `tail` names under `base`, or None: outside it, not a file, or a name no file
    can have (a NUL byte, too long)."""
    try:
        root = base.resolve()
        target = (base / tail).resolve()
        return target if root in target.parents and target.is_file() else None
    except (OSError, ValueError):
        return None


def routes(public_url: str, csp: ConsoleCsp) -> list[web.RouteDef]:
    def script(name: str, what: str) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """A script stores load from their pages (any origin)."""

        async def serve(_: web.Request) -> web.StreamResponse:
            path = STATIC / name
            if not path.is_file():
                return _missing(what)
            return web.FileResponse(path, headers={
                "Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"})

        return serve

    def single_page_app(folder: str, what: str
                        ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """A front end whose unknown paths are its own client-side routes."""

        async def serve(request: web.Request) -> web.StreamResponse:
            tail = request.match_info.get("tail", "")
            base = STATIC / folder
            target = _inside(base, tail) if tail else None
            if target is None:
                target = base / "index.html"
            if not target.is_file():
                return _missing(what)
            return web.FileResponse(target, headers={
                "Content-Security-Policy": await csp.value(), "Cache-Control": "no-cache",
                "X-Content-Type-Options": "nosniff"})

        return serve

    console = single_page_app("agent", "The agent console")
    review = single_page_app("review", "The review player")

    async def demo(request: web.Request) -> web.StreamResponse:
        tail = request.match_info.get("tail", "") or "index.html"
        base = STATIC / "demo"
        target = _inside(base, tail) or _inside(base, f"{tail.rstrip('/')}/index.html")
        if target is None:
            if not base.is_dir():
                return _missing("The demo store")
            raise web.HTTPNotFound()
        return web.FileResponse(target, headers={"Cache-Control": "no-cache"})

    async def landing(_: web.Request) -> web.Response:
        url = html.escape(public_url)
        return web.Response(content_type="text/html", text=f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Aisle</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem}}
a{{color:#4f46e5}}</style></head><body>
<h1>Aisle is running</h1>
<p>Open the <a href="/demo/">demo store</a> in one window (you are the shopper) and the
<a href="/agent/">agent console</a> in another (you are the agent). Supervisors and trainers
replay recorded conversations in the <a href="/review/">review player</a>.</p>
<p>Embed the widget on a store: <code>&lt;script src="{url}/aisle.js" data-site="SITE_KEY"
async&gt;&lt;/script&gt;</code></p>
</body></html>""")

    async def agent_redirect(_: web.Request) -> web.Response:
        raise web.HTTPFound("/agent/")

    async def review_redirect(_: web.Request) -> web.Response:
        raise web.HTTPFound("/review/")

    async def demo_redirect(_: web.Request) -> web.Response:
        raise web.HTTPFound("/demo/")

    return [
        web.get("/", landing),
        web.get("/aisle.js", script("aisle.js", "The widget (aisle.js)")),
        # Loaded by the widget only when co-browsing starts (rrweb's recorder is large).
        web.get("/aisle-cobrowse.js", script("aisle-cobrowse.js",
                                             "The co-browse bundle (aisle-cobrowse.js)")),
        # Loaded by the widget only when the page takes part in a call (the WebRTC engine).
        web.get("/aisle-call.js", script("aisle-call.js", "The call bundle (aisle-call.js)")),
        web.get("/agent", agent_redirect),
        web.get("/agent/", console),
        web.get("/agent/{tail:.+}", console),
        web.get("/review", review_redirect),
        web.get("/review/", review),
        web.get("/review/{tail:.+}", review),
        web.get("/demo", demo_redirect),
        web.get("/demo/", demo),
        web.get("/demo/{tail:.+}", demo),
    ]
