"""The `aisle` command: serve (with the demo seeded on an empty data dir), migrate, and the
agents / teams / sites commands, run as a user would run them."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp

AISLE = [sys.executable, "-m", "signaling.cli"]


def run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*AISLE, *args, "--data-dir", str(data)], capture_output=True,
                          text=True, timeout=60, check=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_management_commands(tmp_path: Path) -> None:
    assert run(tmp_path, "migrate").stdout.strip() == "schema is up to date"
    assert run(tmp_path, "teams", "add", "returns").returncode == 0
    assert run(tmp_path, "teams", "add", "returns").returncode == 1  # exists
    assert run(tmp_path, "teams", "list").stdout.split() == ["returns"]
    added = run(tmp_path, "agents", "add", "kim", "--name", "Kim", "--teams", "returns",
                "--max-concurrent", "5")
    assert added.returncode == 0
    assert re.search(r"with password \S{12,}", added.stdout)
    bad = run(tmp_path, "agents", "add", "lee", "--teams", "nope")
    assert bad.returncode == 1 and "unknown teams: nope" in bad.stderr
    assert run(tmp_path, "agents", "set", "kim", "--role", "supervisor",
               "--max-concurrent", "2").returncode == 0
    listed = run(tmp_path, "agents", "list").stdout
    assert re.search(r"kim\s+supervisor\s+returns\s+max 2\s+Kim", listed)
    site = run(tmp_path, "sites", "add", "Shop", "--origin", "https://shop.example",
               "--topic", "ret:Returns:returns", "--key", "shop-key")
    assert site.returncode == 0 and 'data-site="shop-key"' in site.stdout
    assert "shop-key" in run(tmp_path, "sites", "list").stdout
    assert run(tmp_path, "sites", "add", "X", "--origin", "https://x",
               "--topic", "a:b:missing").returncode == 1


async def _wait_healthy(url: str, proc: subprocess.Popen[str]) -> None:
    async with aiohttp.ClientSession() as http:
        for _ in range(200):
            if proc.poll() is not None:
                raise AssertionError(f"server exited: {proc.stderr.read() if proc.stderr else ''}")
            try:
                async with http.get(url + "/readyz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)  # polling a process we do not control; bounded
    raise AssertionError("server did not become ready")


async def test_serve_seeds_the_demo_prints_logins_and_stops_cleanly(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "AISLE_LOG_JSON": "false"}
    command = [*AISLE, "serve", "--data-dir", str(tmp_path), "--port", str(port)]
    # A long-running server we stop with a signal; the test awaits its health over HTTP.
    proc = subprocess.Popen(command, stdout=subprocess.PIPE,  # noqa: ASYNC220
                            stderr=subprocess.PIPE, text=True, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        await _wait_healthy(url, proc)
        async with aiohttp.ClientSession() as http:
            async with http.post(url + "/api/v1/visitor-sessions", json={"site_key": "demo"},
                                 headers={"Origin": url}) as resp:
                session = await resp.json()
            assert [t["team"] for t in session["availability"]["teams"]] == [
                "sales", "support", "billing"]
            logins = (tmp_path / "demo-logins.txt").read_text().split()
            agent_password = logins[logins.index("agent") + 2]
            async with http.post(url + "/api/v1/login",
                                 json={"login": "agent", "password": agent_password}) as resp:
                assert resp.status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert f"Aisle is running on {url}" in out
    assert re.search(r"agent\s+login: agent\s+password: \S+", out)
    assert re.search(r"supervisor\s+login: supervisor\s+password: \S+", out)
    assert "live state: in memory" in err
