"""The `aisle` command: serve (with the demo seeded on an empty data dir), migrate, and the
agents / teams / sites commands, run as a user would run them."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
import socketio

from signaling.seed import seed_demo
from signaling.store import Store
from signaling.store.database import create_engine, migrate
from tests.integration.remote import ready

AISLE = [sys.executable, "-m", "signaling.cli"]


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*AISLE, *args, "--data-dir", str(data)], capture_output=True,
                          text=True, timeout=60, check=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _downgrade(db: Path, revision: str) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{db}")
    try:
        await migrate(engine, revision, downgrade=True)
    finally:
        await engine.dispose()


def test_management_commands(tmp_path: Path) -> None:
    assert run(tmp_path, "migrate").stdout.strip() == "schema is up to date"
    assert run(tmp_path, "teams", "add", "returns").returncode == 0
    assert run(tmp_path, "teams", "add", "returns").returncode == 1  # exists
    listed_teams = run(tmp_path, "teams", "list")
    assert listed_teams.stdout.split() == ["returns"]
    assert listed_teams.stderr == ""  # no log lines around what was asked
    added = run(tmp_path, "agents", "add", "kim", "--name", "Kim", "--teams", "returns",
                "--max-concurrent", "5")
    assert added.returncode == 0
    assert re.search(r"with password \S{12,}", added.stdout)
    bad = run(tmp_path, "agents", "add", "lee", "--teams", "nope")
    assert bad.returncode == 1 and "unknown teams: nope" in bad.stderr
    # The Team page's rules, here as there: each refusal says why, nothing is written.
    for args, reason in [
        (["agents", "add", "KIM"], "the login 'KIM' is taken"),  # unique ignoring case
        (["agents", "add", "lee", "--max-concurrent", "0"], "max_concurrent"),
        (["agents", "add", "lee lee"], "login"),
        (["agents", "set", "kim", "--max-concurrent", "0"], "max_concurrent"),
        (["teams", "add", ""], "name"),
        (["teams", "add", "Customer Care"], "name"),  # a topic could not name it
    ]:
        refused = run(tmp_path, *args)
        assert refused.returncode == 1 and reason in refused.stderr, (args, refused.stderr)
    assert run(tmp_path, "teams", "list").stdout.split() == ["returns"]
    lone = run(tmp_path, "agents", "add", "lee")
    assert lone.returncode == 0 and "lee is in no team" in lone.stderr
    assert run(tmp_path, "agents", "set", "kim", "--role", "supervisor",
               "--max-concurrent", "2").returncode == 0
    listed = run(tmp_path, "agents", "list").stdout
    assert re.search(r"kim\s+supervisor\s+returns\s+max 2\s+Kim$", listed, re.M)
    assert re.search(r"lee\s+agent\s+max 3\s+lee$", listed, re.M)
    assert run(tmp_path, "agents", "set", "kim", "--disable").returncode == 0
    assert re.search(r"Kim  \(disabled\)$", run(tmp_path, "agents", "list").stdout, re.M)
    assert run(tmp_path, "agents", "set", "kim", "--disable", "--enable").returncode == 2
    assert run(tmp_path, "agents", "set", "kim", "--enable").returncode == 0
    assert "disabled" not in run(tmp_path, "agents", "list").stdout
    # An older schema is upgraded by `aisle migrate` only, never under a running server.
    asyncio.run(_downgrade(tmp_path / "aisle.db", "0005"))
    old = run(tmp_path, "agents", "list")
    assert old.returncode == 1 and "run `aisle migrate`" in old.stderr
    assert run(tmp_path, "migrate").returncode == 0
    assert "kim" in run(tmp_path, "agents", "list").stdout  # and nothing was lost
    site = run(tmp_path, "sites", "add", "Shop", "--origin", "https://shop.example",
               "--topic", "ret:Returns:returns", "--key", "shop-key")
    assert site.returncode == 0 and 'data-site="shop-key"' in site.stdout
    # The embed tag names where `aisle serve` would listen with the same settings, and says
    # how to name the public address when that is not it.
    assert '<script src="http://127.0.0.1:8080/aisle.js"' in site.stdout
    assert "set AISLE_PUBLIC_URL" in site.stderr
    public = subprocess.run(
        [*AISLE, "sites", "add", "Shop 2", "--origin", "https://two.example",
         "--data-dir", str(tmp_path)], capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "AISLE_PUBLIC_URL": "https://help.shop.example"})
    assert '<script src="https://help.shop.example/aisle.js"' in public.stdout, public.stderr
    assert "AISLE_PUBLIC_URL" not in public.stderr
    assert "topic 'ret' (Returns) goes to team returns" in site.stdout
    closed = run(tmp_path, "sites", "set", "shop-key", "--hours", "{}")
    assert closed.returncode == 0 and "these hours never open" in closed.stderr
    assert "shop-key" in run(tmp_path, "sites", "list").stdout
    assert run(tmp_path, "sites", "add", "X", "--origin", "https://x",
               "--topic", "a:b:missing").returncode == 1


async def test_serve_seeds_the_demo_prints_logins_and_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "AISLE_LOG_JSON": "false"}
    command = [*AISLE, "serve", "--data-dir", str(tmp_path), "--port", str(port)]
    # A long-running server we stop with a signal; the test awaits its health over HTTP.
    proc = subprocess.Popen(command, stdout=subprocess.PIPE,  # noqa: ASYNC220
                            stderr=subprocess.PIPE, text=True, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        await ready(url, proc)
        async with aiohttp.ClientSession() as http:
            async with http.post(url + "/api/v1/visitor-sessions", json={"site_key": "demo"},
                                 headers={"Origin": url}) as resp:
                session = await resp.json()
            assert [t["team"] for t in session["availability"]["teams"]] == [
                "sales", "support", "billing"]
            # The widget wears the demo store's name and colour.
            assert session["site"]["name"] == "Harbour Goods"
            assert session["site"]["theme"]["color"] == "#0f766e"
            logins = (tmp_path / "demo-logins.txt").read_text().split()
            agent_password = logins[logins.index("agent") + 2]
            async with http.post(url + "/api/v1/login",
                                 json={"login": "agent", "password": agent_password}) as resp:
                assert resp.status == 200
            # The demo admin can set up the stores (the Sites page's API).
            async with http.post(url + "/api/v1/login", json={
                    "login": "admin", "password": logins[logins.index("admin") + 2]}) as resp:
                admin_token = (await resp.json())["token"]
            async with http.get(url + "/api/v1/sites",
                                headers={"Authorization": f"Bearer {admin_token}"}) as resp:
                assert resp.status == 200
                assert [s["key"] for s in (await resp.json())["sites"]] == ["demo"]
            # Scoring works from the first minute: every team has a scorecard.
            for team in ("sales", "support", "billing"):
                async with http.get(url + f"/api/v1/teams/{team}/scorecard",
                                    headers={"Authorization": f"Bearer {admin_token}"}) as resp:
                    assert len((await resp.json())["criteria"]) == 5
        # A shopper's page is connected when the server is stopped: its socket is closed at
        # once ("going away": a client reconnects straight away), not left to time out (20 s).
        widget = socketio.AsyncClient(reconnection=False)
        gone = asyncio.Event()
        widget.on("disconnect", lambda *_: gone.set(), namespace="/visitor")
        await widget.connect(url, namespaces=["/visitor"], transports=["websocket"],
                             auth={"token": session["token"]}, headers={"Origin": url})
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(gone.wait(), 5)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert f"Aisle is running on {url}" in out
    assert re.search(r"agent\s+login: agent\s+password: \S+", out)
    assert re.search(r"supervisor\s+login: supervisor\s+password: \S+", out)
    assert re.search(r"admin\s+login: admin\s+password: \S+", out)
    assert "live state: in memory" in err


def test_site_settings_are_checked_then_written(tmp_path: Path) -> None:
    assert run(tmp_path, "teams", "add", "support").returncode == 0
    assert run(tmp_path, "sites", "add", "Shop", "--origin", "https://shop.example",
               "--key", "shop").returncode == 0
    rules = tmp_path / "rules.json"
    rules.write_text('{"rules": [{"match": "*/account*", "mask_all_text": true,'
                     ' "block": [".balance"]}]}')
    changed = run(tmp_path, "sites", "set", "shop", "--cobrowse", f"@{rules}",
                  "--recording", '{"calls": false, "retention_days": 30}',
                  "--theme", '{"color": "#0f766e"}', "--timezone", "Europe/Paris",
                  "--hours", '{"mon": ["09:00-17:00"]}', "--name", "Shop & Co",
                  "--origin", "https://shop.example/", "--origin", "https://www.shop.example",
                  "--disable")
    assert changed.returncode == 0, changed.stderr
    shown = json.loads(run(tmp_path, "sites", "show", "shop").stdout)
    assert shown["name"] == "Shop & Co"
    assert shown["origins"] == ["https://shop.example", "https://www.shop.example"]
    assert shown["timezone"] == "Europe/Paris" and shown["hours"] == {"mon": ["09:00-17:00"]}
    assert shown["topics"] == [{"id": "help", "label": "I have a question", "team": "support"}]
    assert shown["cobrowse"]["rules"] == [{"match": "*/account*", "mask_all_text": True,
                                           "mask": [], "block": [".balance"], "unmask": []}]
    assert shown["recording"]["calls"] is False and shown["recording"]["retention_days"] == 30
    assert shown["recording"]["cobrowse"] is True  # defaults filled in
    assert shown["theme"]["color"] == "#0f766e"
    assert shown["enabled"] is False
    assert "(chat off)" in run(tmp_path, "sites", "list").stdout

    # Refused, each with a reason, and nothing written.
    for flags, reason in [
        (["--cobrowse", '{"rules": [{"match": "*", "hide": ["x"]}]}'], "rules.0.hide"),
        (["--cobrowse", "{not json"], "--cobrowse"),
        (["--cobrowse", f"@{tmp_path / 'missing.json'}"], "cannot read"),
        (["--recording", '{"retention_days": 0}'], "retention_days"),
        (["--recording", '{"calls": "no"}'], "calls"),
        (["--theme", '{"color": "teal"}'], "color"),
        (["--timezone", "Mars/Olympus"], "unknown time zone"),
        (["--hours", '{"someday": []}'], "bad hours"),
        # The rules of the Sites page's REST calls (site_settings.py), here as there.
        (["--hours", '{"mon": ["09:00-12:00", "11:00-13:00"]}'], "the spans overlap"),
        (["--hours", '{"mon": [9]}'], "bad hours"),
        (["--origin", "shop.example"], "bad origin"),
        (["--origin", "https://shop.example/path"], "bad origin"),
        (["--topic", "a:b:nosuchteam"], "bad topic"),
        (["--topic", "a b:Label:support"], "bad topic"),
        ([], "nothing to change"),
    ]:
        refused = run(tmp_path, "sites", "set", "shop", *flags)
        assert refused.returncode == 1 and reason in refused.stderr, (flags, refused.stderr)
    assert json.loads(run(tmp_path, "sites", "show", "shop").stdout) == shown
    missing = run(tmp_path, "sites", "set", "nope", "--name", "x")
    assert missing.returncode == 1 and "no site with key 'nope'" in missing.stderr
    assert run(tmp_path, "sites", "add", "Again", "--origin", "https://a.example",
               "--key", "shop").returncode == 1  # the key is taken


def test_teams_passwords_and_an_unreachable_database(tmp_path: Path) -> None:
    """Teams are unique ignoring case, as logins are; a chosen password has 8 characters at
    least; a database that cannot be reached is one line on stderr, not a traceback."""
    assert run(tmp_path, "teams", "add", "support").returncode == 0
    for name in ("Support", "SUPPORT"):
        again = run(tmp_path, "teams", "add", name)
        assert again.returncode == 1 and "the team 'support' exists already" in again.stderr
    assert run(tmp_path, "teams", "list").stdout.split() == ["support"]
    for password in ("a", "seven77"):
        short = run(tmp_path, "agents", "add", "eve4", "--password", password)
        assert short.returncode == 1 and "at least 8 characters" in short.stderr
    assert "eve4" not in run(tmp_path, "agents", "list").stdout
    assert run(tmp_path, "agents", "add", "eve4", "--password", "x" * 201).returncode == 1
    assert run(tmp_path, "agents", "add", "eve4", "--password", "eight888").returncode == 0
    short = run(tmp_path, "agents", "set", "eve4", "--password", "short", "--name", "Eve")
    assert short.returncode == 1 and "at least 8 characters" in short.stderr
    assert re.search(r"^eve4 .* eve4$", run(tmp_path, "agents", "list").stdout, re.M)  # unchanged
    assert run(tmp_path, "agents", "set", "eve4", "--password", "longer-pass").returncode == 0

    url = f"postgresql+asyncpg://aisle:s3cret@127.0.0.1:{free_port()}/aisle"
    for args in (["migrate"], ["agents", "list"]):
        down = run(tmp_path, *args, "--database-url", url)
        assert down.returncode == 1
        assert "Traceback" not in down.stderr and "s3cret" not in down.stderr
        said = [line for line in down.stderr.splitlines() if " INFO " not in line]
        assert len(said) == 1 and said[0].startswith(
            "cannot open the database postgresql+asyncpg://aisle:***@127.0.0.1:"), down.stderr
        assert "Connect call failed" in said[0]


async def test_the_demo_comes_with_canned_responses_and_scorecards(tmp_path: Path) -> None:
    """Typing `/` in the console and scoring a conversation work on the first start: each
    team shares a canned response, the demo agent has a greeting of their own, every team has
    a scorecard. A second start seeds nothing."""
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'aisle.db'}")
    try:
        assert await seed_demo(store, []) is not None
        agent = await store.agents.get_by_login("agent")
        assert agent is not None
        visible = await store.canned.visible_to(agent.id, agent.teams)
        assert [(c.shortcut, c.scope) for c in visible] == [
            ("hi", "personal"), ("refund", "team"), ("sizes", "team"), ("track", "team")]
        for team in ("sales", "support", "billing"):
            assert [c["id"] for c in await store.review.criteria(team)] == [
                "greeting", "understanding", "answer", "tone", "close"]
        assert await seed_demo(store, []) is None
    finally:
        await store.close()
