"""A real Aisle server on a free loopback port, and python-socketio clients that talk to it:
cheap to start, so each test gets its own server, data dir and settings."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import socketio
from aiohttp import web

from signaling.app import AISLE, Aisle, create_app
from signaling.auth import hash_password
from signaling.seed import DEMO_TOPICS, TEAMS
from signaling.settings import Settings

TIMEOUT = 10.0
_ids = itertools.count(1)


class AckError(Exception):
    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.code = error.get("code")
        self.error = error


@dataclass
class Client:
    """A Socket.IO client that records every event it receives."""

    sio: socketio.AsyncClient
    namespace: str
    token: str | None = None
    received: list[tuple[str, Any]] = field(default_factory=list)
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def _record(self, event: str, data: Any = None) -> None:
        async with self.changed:
            self.received.append((event, data))
            self.changed.notify_all()

    async def ack(self, event: str, payload: Any = None, timeout: float = TIMEOUT) -> Any:
        """The raw ack."""
        if payload is None:
            return await self.sio.call(event, namespace=self.namespace, timeout=timeout)
        return await self.sio.call(event, payload, namespace=self.namespace, timeout=timeout)

    async def call(self, event: str, payload: Any = None) -> Any:
        """The ack's data; raises AckError on `{ok: false}`."""
        ack = await self.ack(event, payload)
        if not ack.get("ok"):
            raise AckError(ack["error"])
        return ack["data"]

    def events(self, name: str | None = None,
               where: Callable[[Any], bool] | None = None) -> list[Any]:
        return [d for e, d in self.received
                if (name is None or e == name) and (where is None or where(d))]

    async def wait_for(self, name: str, where: Callable[[Any], bool] | None = None,
                       timeout: float = TIMEOUT, count: int = 1) -> Any:
        """The `count`-th received event with this name matching `where` (waits for it)."""

        def found() -> bool:
            return len(self.events(name, where)) >= count

        async with self.changed:
            try:
                await asyncio.wait_for(self.changed.wait_for(found), timeout)
            except TimeoutError:
                seen = [e for e, _ in self.received]
                raise AssertionError(f"no {name!r} within {timeout}s; got {seen}") from None
        return self.events(name, where)[count - 1]

    async def wait_until(self, check: Callable[[], bool], timeout: float = TIMEOUT) -> None:
        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(check), timeout)

    def clear(self) -> None:
        self.received.clear()

    async def close(self) -> None:
        await self.sio.disconnect()


async def until(check: Callable[[], bool], timeout: float = TIMEOUT, what: str = "") -> None:
    """Waits for a condition of the server's state that no client hears about (a timer)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"not within {timeout}s: {what or check}")
        await asyncio.sleep(0.01)


@dataclass
class Agent:
    id: str
    login: str
    password: str
    token: str


@dataclass
class Server:
    url: str
    aisle: Aisle
    runner: web.AppRunner
    http: aiohttp.ClientSession
    clients: list[Client] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        return self.aisle.settings

    @property
    def origin(self) -> str:
        return self.url

    async def add_team(self, name: str) -> None:
        await self.aisle.store.agents.create_team(name)

    async def add_agent(self, login: str | None = None, *, teams: tuple[str, ...] = ("support",),
                        role: str = "agent", max_concurrent: int = 3,
                        status: str = "online") -> Agent:
        login = login or f"agent{next(_ids)}"
        password = f"pw-{login}"
        record = await self.aisle.store.agents.create(
            login=login, password_hash=hash_password(password), display_name=login.title(),
            role=role, max_concurrent=max_concurrent, teams_=list(teams))
        await self.aisle.store.agents.update(record.id, status=status)
        token = (await self.post("/api/v1/login", {"login": login, "password": password}))[
            "token"]
        return Agent(record.id, login, password, token)

    async def post(self, path: str, body: Any, *, headers: dict[str, str] | None = None,
                   expect: int = 200) -> Any:
        async with self.http.post(self.url + path, json=body, headers=headers) as resp:
            data = await resp.json()
            if resp.status != expect:
                raise AssertionError(f"{path}: {resp.status} {data}")
            return data

    async def visitor_session(self, site_key: str = "demo", visitor_key: str | None = None,
                              origin: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"site_key": site_key}
        if visitor_key:
            body["visitor_key"] = visitor_key
        return await self.post("/api/v1/visitor-sessions", body,  # type: ignore[no-any-return]
                               headers={"Origin": origin or self.origin})

    async def connect(self, namespace: str, token: str | None,
                      headers: dict[str, str] | None = None,
                      transports: list[str] | None = None) -> Client:
        sio = socketio.AsyncClient(reconnection=False)
        client = Client(sio, namespace, token)

        async def catch_all(event: str, data: Any = None) -> None:
            await client._record(event, data)

        sio.on("*", catch_all, namespace=namespace)
        await sio.connect(self.url, namespaces=[namespace],
                          transports=transports or ["websocket"],
                          auth={"token": token} if token is not None else None,
                          headers=headers or {}, wait_timeout=TIMEOUT)
        self.clients.append(client)
        return client

    async def agent_client(self, agent: Agent) -> Client:
        return await self.connect("/agent", agent.token)

    async def visitor(self, **session: Any) -> tuple[Client, dict[str, Any]]:
        data = await self.visitor_session(**session)
        client = await self.connect("/visitor", data["token"],
                                    headers={"Origin": session.get("origin") or self.origin})
        return client, data

    async def close(self) -> None:
        for client in self.clients:
            if client.sio.connected:
                await client.sio.disconnect()
        await self.http.close()
        await self.runner.cleanup()


FAST = dict(offer_timeout_s=5.0, decline_cooldown_s=30.0, agent_grace_s=5.0,
            visitor_grace_s=5.0, seed_demo=False,
            # Tests whose clients are slow to answer an offer on a loaded machine are not about
            # agents who left their desk (test_routing_flows sets it where it is).
            away_after_missed_offers=0)


async def start_server(data_dir: Path, **overrides: Any) -> Server:
    settings = Settings(data_dir=data_dir, port=0, **{**FAST, **overrides})
    app = await create_app(settings)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    aisle = app[AISLE]
    url = f"http://127.0.0.1:{port}"
    # A data dir used before (a restart) has them already.
    known = set(await aisle.store.agents.list_teams())
    for team in TEAMS:
        if team not in known:
            await aisle.store.agents.create_team(team)
    if await aisle.store.sites.get_by_key("demo") is None:
        await aisle.store.sites.create(
            key="demo", name="Test store", allowed_origins=["self"],
            settings={"topics": DEMO_TOPICS})
    return Server(url, aisle, runner, aiohttp.ClientSession())
