"""A server running as its own process (so a test can SIGKILL it): started on a data dir, waited
for, and seen through the harness's Server (agents added through its database, everything else
over HTTP and Socket.IO)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import aiohttp

from signaling.auth import hash_password
from signaling.settings import Settings
from signaling.store import Store
from tests.integration.harness import Agent, Server


def serve(data: Path, port: int, **extra_env: str) -> subprocess.Popen[bytes]:
    """`aisle serve` on the data dir; its stderr is a pipe, read only when it fails to start:
    keep its logging quiet (`AISLE_LOG_LEVEL`) when it will run long."""
    env = {**os.environ, "AISLE_MEDIA_HOST_ADDRESSES": "127.0.0.1", "AISLE_SEED_DEMO": "false",
           "AISLE_LOG_JSON": "false", **extra_env}
    return subprocess.Popen([sys.executable, "-m", "signaling.cli", "serve", "--data-dir",
                             str(data), "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


async def ready(url: str, proc: subprocess.Popen[Any]) -> None:
    """Until the server answers /readyz (or fails: then its stderr says why)."""
    async with aiohttp.ClientSession() as http:
        for _ in range(400):
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            try:
                async with http.get(url + "/readyz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)  # a process we do not control; bounded
    raise AssertionError("server did not start")


class RemoteServer(Server):
    """The harness's view of a server running as its own process: agents are added through
    its database, everything else goes over HTTP and Socket.IO."""

    store: Store

    async def add_agent(self, login: str | None = None, *, teams: tuple[str, ...] = ("support",),
                        role: str = "agent", max_concurrent: int = 3,
                        status: str = "online") -> Agent:
        login = login or "agent-remote"
        record = await self.store.agents.create(
            login=login, password_hash=hash_password(f"pw-{login}"),
            display_name=login.title(), role=role, max_concurrent=max_concurrent,
            teams_=list(teams))
        await self.store.agents.update(record.id, status=status)
        token = (await self.post("/api/v1/login", {"login": login,
                                                  "password": f"pw-{login}"}))["token"]
        return Agent(record.id, login, f"pw-{login}", token)

    async def close(self) -> None:
        for client in self.clients:
            if client.sio.connected:
                await client.sio.disconnect()
        await self.http.close()
        await self.store.close()


async def attach(url: str, data: Path) -> RemoteServer:
    remote = RemoteServer(url, None, None, aiohttp.ClientSession())  # type: ignore[arg-type]
    remote.store = await Store.open(Settings(data_dir=data).resolved_database_url)
    return remote
