"""A hostile "shopper" (a python client with a real visitor token) forges co-browse batches into
a conversation whose agent has the live view open in the console: dozens of script-carrying
payloads in a full snapshot and in later mutations, plus malformed batches. Not one script
runs in the console (the mirror is sandboxed without scripts), the view keeps working, and
another conversation is not affected."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Dialog, expect

from tests.e2e.cobrowse_helpers import client_shares, deflate, mirror
from tests.e2e.conftest import ContextFactory
from tests.integration.harness import AckError, Server, start_server

pytestmark = pytest.mark.browser

# Every payload tries to bump the console's counter (or open a dialog).
JS = "parent.__xss=(parent.__xss||0)+1;top.__xss=(top.__xss||0)+1;alert(1)"
_ids = itertools.count(10)


@pytest.fixture
async def e2e_server(tmp_path: Path) -> AsyncIterator[Server]:
    server = await start_server(tmp_path / "data", offer_timeout_s=30.0, visitor_grace_s=60.0,
                                errors_before_disconnect=1000)
    yield server
    await server.close()


def el(tag: str, attrs: dict[str, Any] | None = None, *children: dict[str, Any],
       svg: bool = False, **extra: Any) -> dict[str, Any]:
    node = {"type": 2, "tagName": tag, "attributes": attrs or {}, "childNodes": list(children),
            "id": next(_ids), **extra}
    if svg:
        node["isSVG"] = True
    return node


def text(value: str) -> dict[str, Any]:
    return {"type": 3, "textContent": value, "id": next(_ids)}


def corpus() -> list[dict[str, Any]]:
    js_url = f"javascript:{JS}"
    html = f"<script>{JS}</script><img src=x onerror=\"{JS}\">"
    return [
        el("script", {}, text(JS)),
        el("script", {"src": "data:text/javascript," + JS}),
        el("img", {"src": "x", "onerror": JS}),
        el("img", {"src": js_url}),
        el("img", {"srcset": js_url + " 1x"}),
        el("img", {"src": "x", "rr_dataURL": js_url}),
        el("canvas", {"rr_dataURL": "data:text/html," + html}),
        el("svg", {"onload": JS}, svg=True),
        el("svg", {}, el("script", {}, text(JS), svg=True), svg=True),
        el("svg", {}, el("animate", {"onbegin": JS, "attributeName": "x", "dur": "1s"}, svg=True),
           svg=True),
        el("svg", {}, el("set", {"attributeName": "onload", "to": JS}, svg=True), svg=True),
        el("svg", {}, el("a", {"xlink:href": js_url, "href": js_url}, text("svg link"), svg=True),
           svg=True),
        el("iframe", {"srcdoc": html}),
        el("iframe", {"src": js_url}),
        el("iframe", {"src": "data:text/html," + html}),
        el("iframe", {"src": "/agent/"}),
        el("object", {"data": js_url}),
        el("object", {"type": "text/html", "data": "data:text/html," + html}),
        el("embed", {"src": js_url}),
        el("a", {"href": js_url}, text("a link")),
        el("form", {"action": js_url}, el("button", {"formaction": js_url, "autofocus": ""},
                                           text("go"))),
        el("input", {"autofocus": "", "onfocus": JS}),
        el("details", {"open": "", "ontoggle": JS}, el("summary", {}, text("s"))),
        el("video", {"src": "x", "onerror": JS}),
        el("audio", {"src": "x", "onerror": JS}),
        el("marquee", {"onstart": JS}, text("m")),
        el("div", {"style": f"background:url('{js_url}')", "onmouseover": JS}, text("styled")),
        el("style", {"_cssText": f"body{{background:url(\"{js_url}\")}} @import '{js_url}';"}),
        el("link", {"rel": "stylesheet", "href": js_url}),
        el("link", {"rel": "import", "href": "data:text/html," + html}),
        el("textarea", {"value": "</textarea>" + html}),
        el("noscript", {}, text(html)),
        el("p", {}, text(html)),
        el("math", {"href": js_url}, text("math")),
        el("div", {"isShadowHost": True}, el("script", {}, text(JS), isShadow=True)),
        el("body", {"onload": JS}),
    ]


def document(*body: dict[str, Any]) -> dict[str, Any]:
    refresh = el("meta", {"http-equiv": "refresh", "content": f"0;url=javascript:{JS}"})
    head = el("head", {}, refresh, el("base", {"href": "javascript:" + JS + "//"}))
    return {"type": 0, "id": 1, "childNodes": [
        {"type": 1, "name": "html", "publicId": "", "systemId": "", "id": 2},
        el("html", {"onload": JS}, head, el("body", {"onload": JS}, *body)),
    ]}


async def test_forged_batches_run_no_script_in_the_console(
        e2e_server: Server, new_context: ContextFactory) -> None:
    server = e2e_server
    alex = await server.add_agent("alex", teams=("support",))
    agent, visitor, conv = await client_shares(new_context, server, alex, "Mallory")
    await agent.add_init_script("window.__xss = 0;")
    await agent.evaluate("() => { window.__xss = 0; }")
    dialogs: list[str] = []
    async def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        await dialog.dismiss()

    agent.on("dialog", on_dialog)

    def batch(no: int, events: list[dict[str, Any]], full: bool = False,
              data: bytes | None = None) -> dict[str, Any]:
        return {"conversation_id": conv["id"], "session_id": "evil", "batch_no": no,
                "full": full, "data": deflate(events) if data is None else data}

    payloads = corpus()
    meta = {"type": 4, "timestamp": 1, "data": {"href": "javascript:" + JS, "width": 1024,
                                               "height": 700}}
    full: dict[str, Any] = {"type": 2, "timestamp": 2, "data": {"node": document(*payloads),
                                               "initialOffset": {"top": 0, "left": 0}}}
    await visitor.call("cobrowse_batch", batch(0, [meta, full], full=True))
    await expect(agent.get_by_test_id("cobrowse-live")).to_have_attribute("data-live", "live")
    body_id = full["data"]["node"]["childNodes"][1]["childNodes"][1]["id"]
    # The forged page is really there (so its payloads were really tried).
    await expect(mirror(agent).locator("html > body").first).to_contain_text("styled")
    await expect(mirror(agent).locator("p").first).to_contain_text("<script>")

    # Later mutations: new script-carrying nodes, handler attributes, srcdoc set afterwards.
    img_id = payloads[2]["id"]
    frame_id = payloads[12]["id"]
    # One mutation per node: rrweb drops a whole mutation when one add fails.
    mutations = [{"type": 3, "timestamp": 3, "data": {
        "source": 0, "texts": [], "removes": [], "attributes": [],
        "adds": [{"parentId": body_id, "nextId": None, "node": node}]}} for node in corpus()]
    mutations.append({"type": 3, "timestamp": 3, "data": {
        "source": 0, "texts": [{"id": payloads[-4]["childNodes"][0]["id"], "value": JS}],
        "removes": [], "adds": [],
        "attributes": [{"id": img_id, "attributes": {"onerror": JS, "src": "y"}},
                       {"id": frame_id, "attributes": {"srcdoc": f"<script>{JS}</script>"}},
                       {"id": body_id, "attributes": {"onclick": JS}}]}})
    weird = [{"type": 3, "timestamp": 4, "data": {"source": 2, "type": 1, "id": img_id}},
             {"type": 3, "timestamp": 5, "data": {"source": 5, "id": 999999, "text": JS}},
             {"type": 3, "timestamp": 6, "data": {"source": 0}},
             {"type": 5, "timestamp": 7, "data": {"tag": "aisle:leaving", "payload": JS}},
             {"type": 6, "timestamp": 8, "data": {"plugin": "rrweb/console@1", "payload": JS}}]
    await visitor.call("cobrowse_batch", batch(1, mutations))
    await visitor.call("cobrowse_batch", batch(2, weird))
    # The mutations were applied too: handler attributes are in the mirror, inert.
    await expect(mirror(agent).locator("html > body > *")).to_have_count(2 * len(payloads))
    await expect(mirror(agent).locator("img[onerror]").first).to_be_attached()
    # Malformed ones are refused by the server and never reach the console.
    for data, code in [(b"not deflate", "invalid_payload"),
                       (deflate({"x": 1}), "invalid_payload"),  # type: ignore[arg-type]
                       (deflate([{"type": 42, "timestamp": 1}]), "invalid_payload")]:
        with pytest.raises(AckError) as err:
            await visitor.call("cobrowse_batch", batch(3, [], data=data))
        assert err.value.code == code

    # The view still works: a fresh, honest snapshot replaces the forged page.
    honest = document(el("h1", {}, text("Still standing")))
    await visitor.call("cobrowse_batch", batch(3, [
        {**meta, "data": {"href": "https://shop.example/", "width": 800, "height": 600}},
        {"type": 2, "timestamp": 9, "data": {"node": honest,
                                             "initialOffset": {"top": 0, "left": 0}}}],
        full=True))
    await expect(mirror(agent).locator("h1")).to_have_text("Still standing")
    await expect(agent.get_by_test_id("cobrowse-viewport")).to_have_text("800 × 600")
    assert await agent.evaluate("() => window.__xss") == 0
    assert dialogs == []
    sandbox = await agent.locator("[data-testid=cobrowse-mirror] iframe").get_attribute("sandbox")
    assert sandbox == "allow-same-origin"
    # The corpus: each payload twice (snapshot, mutation), handler attributes, odd events.
    assert len(payloads) >= 35
