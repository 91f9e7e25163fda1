"""Agents and teams: logins, password hashes, skills (teams), capacity, role, chosen status."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from ..errors import Conflict
from ..ids import AgentId, new_agent_id, now_ms
from ..protocol.common import AgentStatus, Role
from .schema import agent_teams, agents, teams

if TYPE_CHECKING:
    from .store import Store


@dataclass(frozen=True)
class AgentRecord:
    id: AgentId
    login: str
    password_hash: str
    display_name: str
    photo: str | None
    role: Role
    max_concurrent: int
    status: AgentStatus
    teams: tuple[str, ...]
    disabled: bool = False
    # Agent tokens carry this; a token of an older version is no longer accepted.
    token_version: int = 0

    @property
    def is_supervisor(self) -> bool:
        return self.role in ("supervisor", "admin")

    @property
    def is_reviewer(self) -> bool:
        """May review, annotate and score any recording."""
        return self.role in ("supervisor", "admin", "trainer")


# Agents are also changed by `aisle agents set` from another process: what this process
# remembers is re-read after this long.
CACHE_TTL_S = 2.0


class AgentRepo:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._cache: dict[str, tuple[float, AgentRecord]] = {}
        # Raised when an agent is changed here: a read that began before the change must not
        # put what it read back into the cache (a just-disabled account would pass for 2 s).
        self._generation: dict[str, int] = {}

    async def _load(self, conn: AsyncConnection,
                    where: sa.ColumnElement[bool] | None) -> list[AgentRecord]:
        query = agents.select().order_by(agents.c.created_at, agents.c.id)
        if where is not None:
            query = query.where(where)
        rows = (await conn.execute(query)).all()
        if not rows:
            return []
        ids = [r.id for r in rows]
        memberships: dict[str, list[str]] = {i: [] for i in ids}
        for agent_id, team in (
            await conn.execute(
                sa.select(agent_teams.c.agent_id, agent_teams.c.team)
                .where(agent_teams.c.agent_id.in_(ids))
                .order_by(agent_teams.c.team)
            )
        ).all():
            memberships[agent_id].append(team)
        return [
            AgentRecord(
                id=AgentId(r.id), login=r.login, password_hash=r.password_hash,
                display_name=r.display_name, photo=r.photo, role=cast(Role, r.role),
                max_concurrent=r.max_concurrent, status=cast(AgentStatus, r.status),
                teams=tuple(memberships[r.id]), disabled=bool(r.disabled),
                token_version=r.token_version,
            )
            for r in rows
        ]

    async def get(self, agent_id: str) -> AgentRecord | None:
        cached = self._cache.get(agent_id)
        if cached is not None and time.monotonic() - cached[0] < CACHE_TTL_S:
            return cached[1]
        generation = self._generation.get(agent_id, 0)
        async with self._store.read() as conn:
            found = await self._load(conn, agents.c.id == agent_id)
        if not found:
            return None
        if self._generation.get(agent_id, 0) == generation:
            self._cache[agent_id] = (time.monotonic(), found[0])
        return found[0]

    def _forget(self, agent_id: str) -> None:
        self._cache.pop(agent_id, None)
        self._generation[agent_id] = self._generation.get(agent_id, 0) + 1

    @asynccontextmanager
    async def _changing(self, agent_id: str) -> AsyncIterator[None]:
        """Around a change: what was cached, or is being read, before or during it is dropped."""
        self._forget(agent_id)
        try:
            yield
        finally:
            self._forget(agent_id)

    async def get_by_login(self, login: str) -> AgentRecord | None:
        async with self._store.read() as conn:
            found = await self._load(conn, agents.c.login == login)
        return found[0] if found else None

    async def all(self) -> list[AgentRecord]:
        async with self._store.read() as conn:
            return await self._load(conn, None)

    async def create(self, *, login: str, password_hash: str, display_name: str, role: str,
                     max_concurrent: int, teams_: list[str]) -> AgentRecord:
        agent_id = new_agent_id()
        async with self._store.write() as conn:
            await conn.execute(
                agents.insert().values(
                    id=agent_id, login=login, password_hash=password_hash,
                    display_name=display_name, role=role, max_concurrent=max_concurrent,
                    status="offline", created_at=now_ms(),
                )
            )
            await self._set_teams(conn, agent_id, teams_)
        found = await self.get(agent_id)
        if found is None:
            raise RuntimeError("agent vanished after insert")
        return found

    async def update(self, agent_id: str, **values: Any) -> None:
        async with self._changing(agent_id), self._store.write() as conn:
            await conn.execute(agents.update().where(agents.c.id == agent_id).values(**values))

    async def end_sessions(self, agent_id: str) -> None:
        """Every token issued to the agent so far stops being accepted."""
        async with self._changing(agent_id), self._store.write() as conn:
            await conn.execute(agents.update().where(agents.c.id == agent_id)
                               .values(token_version=agents.c.token_version + 1))

    async def set_teams(self, agent_id: str, teams_: list[str]) -> None:
        async with self._changing(agent_id), self._store.write() as conn:
            await self._set_teams(conn, agent_id, teams_)

    async def _set_teams(self, conn: AsyncConnection, agent_id: str,
                         teams_: list[str]) -> None:
        known = set((await conn.execute(sa.select(teams.c.name))).scalars())
        unknown = sorted(set(teams_) - known)
        if unknown:
            raise ValueError(f"unknown teams: {', '.join(unknown)}")
        await conn.execute(agent_teams.delete().where(agent_teams.c.agent_id == agent_id))
        if teams_:
            await conn.execute(
                agent_teams.insert(), [{"agent_id": agent_id, "team": t} for t in set(teams_)]
            )

    async def create_team(self, name: str) -> None:
        """Team names are unique ignoring case, like logins: "Support" beside "support" would
        split one team's queue in two that read the same. Raises Conflict."""
        async with self._store.write() as conn:
            existing = (await conn.execute(sa.select(teams.c.name))).scalars()
            same = next((t for t in existing if t.casefold() == name.casefold()), None)
            if same is not None:
                raise Conflict(f"the team {same!r} exists already")
            await conn.execute(teams.insert().values(name=name, created_at=now_ms()))

    async def list_teams(self) -> list[str]:
        async with self._store.read() as conn:
            return list((await conn.execute(sa.select(teams.c.name).order_by(teams.c.name)))
                        .scalars())
