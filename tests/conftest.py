"""Shared fixtures: a fresh Aisle server per test (see tests/integration/harness.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.integration.harness import Server, start_server

ServerFactory = Callable[..., Awaitable[Server]]


@pytest.fixture
async def make_server(tmp_path: Path) -> AsyncIterator[ServerFactory]:
    servers: list[Server] = []

    async def make(**overrides: Any) -> Server:
        server = await start_server(tmp_path / f"data{len(servers)}", **overrides)
        servers.append(server)
        return server

    yield make
    for server in servers:
        await server.close()


@pytest.fixture
async def server(make_server: ServerFactory) -> Server:
    return await make_server()
