"""Managing sites over REST (/api/v1/sites, the Sites page's calls): only admins; every value
checked by the rules `aisle sites` uses, a refused change leaving the site as it was; and a
change reaching shoppers: open widgets hear of new hours and teams at once, new pages get the
new topics, and the recording policy and console CSP caches let go of the old values."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from signaling.store.sites import SiteRecord
from tests.conftest import ServerFactory
from tests.integration.flows import send, start
from tests.integration.harness import AckError, Server
from tests.integration.test_accounts import rest
from tests.integration.test_cobrowse_server import FULL, batch, sharing
from tests.integration.test_console_csp import directive

ALWAYS_CLOSED: dict[str, list[str]] = {}


async def demo(server: Server) -> SiteRecord:
    site = await server.aisle.store.sites.get_by_key("demo")
    assert site is not None
    return site


async def test_an_admin_adds_a_site_and_changes_everything_on_it(server: Server) -> None:
    admin = await server.add_agent("root", role="admin", teams=())
    listed = await rest(server, "GET", "/api/v1/sites", admin.token)
    assert [s["key"] for s in listed["sites"]] == ["demo"]
    assert listed["teams"] == ["billing", "sales", "support"]
    assert listed["timezones"][0] == "UTC" and "Europe/Paris" in listed["timezones"]
    assert not {"Factory", "localtime", "EST5EDT"} & set(listed["timezones"])  # no places
    assert listed["sites"][0]["recording"]["pause_urls"] == ["*/checkout*", "*/payment*"]

    created = await rest(server, "POST", "/api/v1/sites", admin.token, {
        "name": " Harbour Goods ", "origins": ["https://Shop.example/", "self"]}, expect=201)
    key = created["key"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}", key)
    assert created["name"] == "Harbour Goods"
    assert created["origins"] == ["https://shop.example", "self"]
    assert created["topics"] == [{"id": "help", "label": "I have a question", "team": "support"}]
    assert created["hours"] is None and created["timezone"] == "UTC"
    assert created["embed"] == (f'<script src="{server.url}/aisle.js" data-site="{key}" '
                                "async></script>")
    assert await rest(server, "GET", f"/api/v1/sites/{key}", admin.token) == created

    changes: dict[str, Any] = {
        "name": "Harbour Goods & Co",
        "origins": ["self", "https://www.shop.example"],
        "topics": [{"id": "order", "label": "My order", "team": "support"},
                   {"id": "refund", "label": "A refund", "team": "billing"}],
        "hours": {"mon": ["13:00-17:30", "9:00-12:00"], "sat": []},
        "timezone": "Europe/Paris",
        "theme": {"color": "#0f766e", "position": "left", "greeting": "Hello!"},
        "cobrowse": {"rules": [{"match": "*/account*", "mask": [".balance"]}],
                     "asset_origins": ["https://cdn.shop.example"]},
        "recording": {"calls": False, "notice": "consent", "pause_urls": ["*/pay*"],
                      "retention_days": 30, "agents_review_own": True},
    }
    changed = await rest(server, "PATCH", f"/api/v1/sites/{key}", admin.token, changes)
    assert changed["hours"] == {"mon": ["09:00-12:00", "13:00-17:30"], "sat": []}  # in order
    assert changed["recording"] == {**changes["recording"], "cobrowse": True}
    assert changed["cobrowse"]["rules"] == [{"match": "*/account*", "mask_all_text": None,
                                             "mask": [".balance"], "block": [], "unmask": []}]
    assert {k: changed[k] for k in ("name", "origins", "topics", "timezone", "theme")} == {
        k: changes[k] for k in ("name", "origins", "topics", "timezone", "theme")}
    record = await server.aisle.store.sites.get_by_key(key)
    assert record is not None and record.business_hours == changed["hours"]
    assert record.settings["recording"]["retention_days"] == 30

    # What the widget of a page on that site is given.
    session = await server.visitor_session(site_key=key)
    assert session["site"]["name"] == "Harbour Goods & Co"
    assert [t["label"] for t in session["site"]["topics"]] == ["My order", "A refund"]
    assert session["site"]["theme"]["color"] == "#0f766e"
    assert session["site"]["recording"] == {"cobrowse": True, "calls": False, "mode": "consent"}

    # Only what is given changes; `hours: null` is open around the clock.
    again = await rest(server, "PATCH", f"/api/v1/sites/{key}", admin.token, {"hours": None})
    assert again["hours"] is None and again["timezone"] == "Europe/Paris"
    assert again["topics"] == changed["topics"]
    listed = await rest(server, "GET", "/api/v1/sites", admin.token)
    assert [s["name"] for s in listed["sites"]] == ["Test store", "Harbour Goods & Co"]


async def test_only_admins_manage_sites(server: Server) -> None:
    for role in ("agent", "trainer", "supervisor"):
        someone = await server.add_agent(f"a-{role}", role=role)
        for method, path, body in (
                ("GET", "/api/v1/sites", None),
                ("GET", "/api/v1/sites/demo", None),
                ("POST", "/api/v1/sites", {"name": "X", "origins": ["https://x.example"]}),
                ("PATCH", "/api/v1/sites/demo", {"name": "Mine now"}),
                ("PATCH", "/api/v1/sites/demo", {"hours": "not even valid"})):
            refused = await rest(server, method, path, someone.token, body, expect=403)
            assert refused["error"] == {"code": "forbidden", "message": "only admins manage sites"}
    async with server.http.get(server.url + "/api/v1/sites") as resp:
        assert resp.status == 401
    visitor = await server.visitor_session()
    await rest(server, "GET", "/api/v1/sites", visitor["token"], expect=401)
    assert [s.name for s in await server.aisle.store.sites.all()] == ["Test store"]


BAD_CHANGES: list[tuple[dict[str, Any], str, str]] = [
    # (the change, the field named, words of the message)
    ({"timezone": "Mars/Olympus"}, "timezone", "unknown time zone 'Mars/Olympus'"),
    ({"timezone": ""}, "timezone", "unknown time zone"),
    ({"hours": {"mon": ["17:00-09:00"]}}, "hours", "'17:00-09:00' is not a time span"),
    ({"hours": {"mon": ["09:00-25:00"]}}, "hours", "is not a time span"),
    ({"hours": {"mon": ["09:75-10:00"]}}, "hours", "is not a time span"),
    ({"hours": {"mon": ["9-17"]}}, "hours", "is not a time span"),
    ({"hours": {"mon": ["09:00-12:00", "11:00-13:00"]}}, "hours", "mon: the spans overlap"),
    ({"hours": {"someday": ["09:00-17:00"]}}, "hours", "bad day 'someday'"),
    ({"topics": [{"id": "x", "label": "X", "team": "nosuchteam"}]}, "topics",
     "there is no team 'nosuchteam'"),
    ({"topics": [{"id": "x", "label": "X", "team": "sales"},
                 {"id": "x", "label": "Y", "team": "support"}]}, "topics",
     "topic ids must differ: x is used twice"),
    ({"topics": [{"id": "x", "label": "  ", "team": "sales"}]}, "topics", "label is blank"),
    ({"topics": []}, "topics", "at least one topic"),
    ({"origins": ["shop.example"]}, "origins", "bad origin 'shop.example'"),
    ({"origins": ["https://shop.example/path"]}, "origins", "bad origin"),
    ({"origins": ["ftp://shop.example"]}, "origins", "bad origin"),
    ({"origins": ["https://shop.example; script-src *"]}, "origins", "bad origin"),
    ({"origins": []}, "origins", "at least one allowed origin"),
    ({"name": "   "}, "name", "1 to 80 characters"),
    ({"name": "Shop\u202e"}, "name", "invisible characters"),
]

# Refused by the schema before any rule (wrong types, unknown fields, sizes).
BAD_BODIES: list[dict[str, Any]] = [
    {"hours": "always"},
    {"hours": {"mon": "09:00-17:00"}},
    {"topics": "order"},
    {"topics": [{"id": "has space", "label": "X", "team": "sales"}]},
    {"topics": [{"id": "x", "label": "X"}]},
    {"name": 5},
    {"origins": "https://shop.example"},
    {"theme": {"color": "teal"}},
    {"recording": {"retention_days": 0}},
    {"recording": {"calls": "no"}},
    {"cobrowse": {"rules": [{"match": "*", "hide": ["x"]}]}},
    {"key": "mine"},
    {"nonsense": True},
    {"origins": ["https://a.example"] * 51},
]


async def test_bad_values_are_refused_with_a_reason_and_nothing_changes(
        server: Server) -> None:
    admin = await server.add_agent("root", role="admin", teams=())
    before = await rest(server, "GET", "/api/v1/sites/demo", admin.token)
    stored = await demo(server)
    for change, field, words in BAD_CHANGES:
        # Beside a good value: nothing of a refused change is written.
        body = {"name": "Renamed", **change}
        error = (await rest(server, "PATCH", "/api/v1/sites/demo", admin.token, body,
                            expect=400))["error"]
        assert error["code"] == "invalid_payload", change
        assert words in error["message"] and error["details"] == {"field": field}, (change, error)
    for body in BAD_BODIES:
        error = (await rest(server, "PATCH", "/api/v1/sites/demo", admin.token,
                            {"name": "Renamed", **body}, expect=400))["error"]
        assert error["code"] == "invalid_payload" and error["details"]["errors"], body
    big = {"name": "Renamed", "cobrowse": {"rules": [{"match": "*", "mask": ["x" * 200] * 400}]}}
    too_large = await rest(server, "PATCH", "/api/v1/sites/demo", admin.token, big, expect=413)
    assert too_large["error"]["code"] == "too_large"
    headers = {"Authorization": f"Bearer {admin.token}"}

    async def chunked() -> AsyncIterator[bytes]:  # no Content-Length to refuse it by
        yield b'{"name": "'
        for _ in range(20):
            yield b"x" * 10_000
        yield b'"}'

    async with server.http.patch(server.url + "/api/v1/sites/demo", data=chunked(),
                                 headers=headers) as resp:
        assert resp.status == 413 and (await resp.json())["error"]["code"] == "too_large"
    async with server.http.patch(server.url + "/api/v1/sites/demo", data=b"{not json",
                                 headers={**headers, "Content-Type": "application/json"}) as resp:
        assert resp.status == 400 and (await resp.json())["error"]["code"] == "invalid_payload"
    missing = await rest(server, "PATCH", "/api/v1/sites/nope", admin.token, {"name": "X"},
                         expect=404)
    assert missing["error"]["code"] == "not_found"
    await rest(server, "GET", "/api/v1/sites/" + "x" * 300, admin.token, expect=404)

    # A new site is checked the same way, and a refused one is not created.
    for change, field, _ in BAD_CHANGES:
        error = (await rest(server, "POST", "/api/v1/sites", admin.token, {
            "name": "New", "origins": ["https://new.example"], **change}, expect=400))["error"]
        assert error["details"] == {"field": field}, change
    for body in ({"name": "New"}, {"origins": ["https://new.example"]}):
        error = (await rest(server, "POST", "/api/v1/sites", admin.token, body,
                            expect=400))["error"]
        assert error["code"] == "invalid_payload"

    assert await rest(server, "GET", "/api/v1/sites/demo", admin.token) == before
    assert await demo(server) == stored
    assert [s.key for s in await server.aisle.store.sites.all()] == ["demo"]


async def test_new_hours_and_topics_reach_open_widgets_and_new_pages(
        make_server: ServerFactory) -> None:
    # No routing pass after start-up (it comes after the agents' grace period) to tell the
    # widgets in the change's stead.
    server = await make_server(agent_grace_s=60.0)
    admin = await server.add_agent("root", role="admin", teams=())
    await server.agent_client(await server.add_agent("sam", teams=("support",)))
    widget, session = await server.visitor()
    open_teams = {t["team"]: t["available"] for t in session["availability"]["teams"]}
    assert open_teams == {"sales": False, "support": True, "billing": False}

    # Closed now: the open widget is told at once, and asks the same.
    await rest(server, "PATCH", "/api/v1/sites/demo", admin.token, {"hours": ALWAYS_CLOSED})
    pushed = await widget.wait_for("availability_changed")
    assert {t["reason"] for t in pushed["availability"]["teams"]} == {"outside_hours"}
    assert (await widget.call("get_availability"))["teams"] == pushed["availability"]["teams"]
    conv = await start(widget, topic="order", message="Are you there?")
    assert conv["status"] == "offline" and conv["offline_reason"] == "outside_hours"

    # Open again with one topic to a new team: told again; a new page shows the new topic.
    await rest(server, "PATCH", "/api/v1/sites/demo", admin.token, {
        "hours": None, "topics": [{"id": "returns", "label": "Sending it back",
                                   "team": "support"},
                                  {"id": "big", "label": "A big order", "team": "sales"}]})
    reopened = await widget.wait_for("availability_changed", count=2)
    assert [(t["team"], t["available"]) for t in reopened["availability"]["teams"]] == [
        ("support", True), ("sales", False)]
    # The open page gets the new topics too (one renamed under its form could not start).
    assert [t["id"] for t in reopened["site"]["topics"]] == ["returns", "big"]
    fresh = await server.visitor_session()
    assert [t["id"] for t in fresh["site"]["topics"]] == ["returns", "big"]
    assert fresh["availability"] == reopened["availability"]


async def test_a_recording_policy_and_origins_changed_apply_at_once(server: Server) -> None:
    admin = await server.add_agent("root", role="admin", teams=())
    widget, _, conv = await sharing(server)
    checkout = [{"type": 4, "timestamp": 1, "data": {"href": "http://shop/checkout",
                                                     "width": 1280, "height": 800}}, FULL[1]]
    assert (await batch(widget, conv, 0, checkout, full=True))["recorded"] is False
    # The site now records its checkout: the very next batch is stored, not a few seconds on.
    await rest(server, "PATCH", "/api/v1/sites/demo", admin.token,
               {"recording": {"pause_urls": []}})
    assert (await batch(widget, conv, 1, checkout, full=True))["recorded"] is True

    async def served_img_src() -> list[str]:
        async with server.http.get(server.url + "/agent/") as resp:
            return directive(resp.headers["Content-Security-Policy"], "img-src")

    assert "https://shop.example" not in await served_img_src()
    await rest(server, "PATCH", "/api/v1/sites/demo", admin.token,
               {"origins": ["self", "https://shop.example"]})
    assert "https://shop.example" in await served_img_src()


async def test_a_site_turned_off_starts_nothing_new_and_lets_open_chats_finish(
        server: Server) -> None:
    admin = await server.add_agent("root", role="admin", teams=())
    console = await server.agent_client(await server.add_agent(teams=("support",)))
    widget, chatting = await server.visitor()                # a chat going on
    conv = await start(widget)
    await console.wait_for("offer_received")
    await console.call("accept_offer", {"conversation_id": conv["id"]})
    idle, _ = await server.visitor()                         # a page open, no chat
    returning = await server.visitor_session()               # a shopper coming back, no chat

    site = await rest(server, "PATCH", "/api/v1/sites/demo", admin.token, {"enabled": False})
    assert site["enabled"] is False
    pushed = await idle.wait_for("availability_changed")
    assert pushed["site"]["enabled"] is False
    with pytest.raises(AckError) as err:
        await start(idle, topic="order")
    assert err.value.code == "site_disabled"
    for visitor_key in (None, returning["visitor_key"]):
        body = {"site_key": "demo", **({"visitor_key": visitor_key} if visitor_key else {})}
        refused = await server.post("/api/v1/visitor-sessions", body,
                                    headers={"Origin": server.origin}, expect=403)
        assert refused["error"]["code"] == "site_disabled"

    # The chat that was going on goes on, from a new page too.
    again = await server.visitor_session(visitor_key=chatting["visitor_key"])
    assert again["conversation"]["id"] == conv["id"]
    seq = await send(widget, conv["id"], "still there?")
    await console.wait_for("message_created", lambda e: e["seq"] == seq)

    # Not a boolean: refused, and the site stays off. Back on: new pages get a widget again.
    bad = await rest(server, "PATCH", "/api/v1/sites/demo", admin.token, {"enabled": None},
                     expect=400)
    assert bad["error"]["details"]["field"] == "enabled"
    assert (await rest(server, "GET", "/api/v1/sites/demo", admin.token))["enabled"] is False
    await rest(server, "PATCH", "/api/v1/sites/demo", admin.token, {"enabled": True})
    assert (await server.visitor_session())["site"]["enabled"] is True
