"""The console's and review player's Content-Security-Policy: scripts only from Aisle; images,
fonts and stylesheets also from the sites' origins and asset origins (so the co-browse mirror
shows a real store's pictures), and nothing malformed in a site's settings reaches the header."""

from __future__ import annotations

from pathlib import Path

from signaling.http.csp import ConsoleCsp, policy, store_origins
from signaling.ids import SiteId
from signaling.store import Store
from signaling.store.sites import SiteRecord
from tests.integration.harness import start_server


def site(origins: list[str], assets: object = None) -> SiteRecord:
    settings = {} if assets is None else {"cobrowse": {"asset_origins": assets}}
    return SiteRecord(SiteId("sit_x"), "k", "n", origins, None, "UTC", settings)


def directive(csp: str, name: str) -> list[str]:
    for part in csp.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    raise AssertionError(f"no {name} in {csp}")


def test_origins_are_collected_once_and_only_when_well_formed() -> None:
    sites = [
        site(["self", "https://Shop.example/", "http://127.0.0.1:8000"],
             ["https://cdn.shop.example", "http://[::1]:9000"]),
        site(["https://shop.example"], [
            "https://evil.example; script-src *",     # would add a directive
            "https://x.example 'unsafe-eval'",        # would add a keyword
            "javascript:alert(1)", "*", "https://a.example/path", "data:", 42, None]),
        site(["https://other.example"], "https://not-a-list.example"),
    ]
    assert store_origins(sites) == [
        "https://shop.example", "http://127.0.0.1:8000", "https://cdn.shop.example",
        "http://[::1]:9000", "https://other.example"]
    csp = policy(store_origins(sites))
    assert directive(csp, "script-src") == ["'self'"]
    assert directive(csp, "default-src") == ["'self'"]
    assert directive(csp, "img-src") == ["'self'", "data:", "blob:", "https://shop.example",
                                         "http://127.0.0.1:8000", "https://cdn.shop.example",
                                         "http://[::1]:9000", "https://other.example"]
    assert "https://cdn.shop.example" in directive(csp, "font-src")
    assert "https://cdn.shop.example" in directive(csp, "style-src")
    assert "evil" not in csp and "unsafe-eval" not in csp and "javascript" not in csp


async def test_served_policy_follows_the_sites_within_seconds(tmp_path: Path) -> None:
    server = await start_server(tmp_path / "data")
    try:
        store: Store = server.aisle.store
        demo = await store.sites.get_by_key("demo")
        assert demo is not None
        await store.sites.update(demo.id, allowed_origins=["self", "https://shop.example"])
        async with server.http.get(server.url + "/agent/") as resp:
            assert resp.status == 200
            served = resp.headers["Content-Security-Policy"]
        assert directive(served, "script-src") == ["'self'"]
        assert "https://shop.example" in directive(served, "img-src")
        async with server.http.get(server.url + "/review/") as resp:
            assert resp.headers["Content-Security-Policy"] == served

        now = [100.0]
        csp = ConsoleCsp(store, clock=lambda: now[0])
        before = await csp.value()
        await store.sites.update(demo.id, settings={
            **demo.settings, "cobrowse": {"rules": [], "asset_origins": ["https://cdn.example"]}})
        assert await csp.value() == before  # cached for a few seconds
        now[0] += 6
        assert "https://cdn.example" in directive(await csp.value(), "img-src")
    finally:
        await server.close()
