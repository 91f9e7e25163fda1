"""Agents' time signed in: stretches of "online" or "away" (see `agent_availability` in
schema.py), written as they start and end, read back for reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from .schema import agent_availability

if TYPE_CHECKING:
    from .store import Store

t = agent_availability.c


@dataclass(frozen=True)
class Stretch:
    agent_id: str
    state: str  # online / away
    started_at: int
    ended_at: int | None  # None: still going


class AvailabilityRepo:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def begin(self, agent_id: str, state: str, at: int) -> int:
        async with self._store.write() as conn:
            result = await conn.execute(agent_availability.insert().values(
                agent_id=agent_id, state=state, started_at=at, ended_at=None, checked_at=at))
        key = result.inserted_primary_key
        assert key is not None
        return int(key[0])

    async def end(self, row_id: int, at: int) -> None:
        async with self._store.write() as conn:
            await conn.execute(agent_availability.update()
                               .where(t.id == row_id, t.ended_at.is_(None))
                               .values(ended_at=at))

    async def checked(self, row_ids: Sequence[int], at: int) -> None:
        """The server is alive at `at`: these open stretches lasted at least until then."""
        async with self._store.write() as conn:
            await conn.execute(agent_availability.update()
                               .where(t.id.in_(list(row_ids)), t.ended_at.is_(None))
                               .values(checked_at=at))

    async def end_unfinished(self) -> int:
        """At start-up nobody is signed in: stretches left open by a server that stopped
        without closing them (a crash, a kill) end when it was last known alive."""
        async with self._store.write() as conn:
            result = await conn.execute(agent_availability.update()
                                        .where(t.ended_at.is_(None))
                                        .values(ended_at=t.checked_at))
        return int(result.rowcount or 0)

    async def overlapping(self, start_ms: int, end_ms: int) -> list[Stretch]:
        query = (sa.select(t.agent_id, t.state, t.started_at, t.ended_at)
                 .where(t.started_at < end_ms,
                        sa.or_(t.ended_at.is_(None), t.ended_at > start_ms))
                 .order_by(t.agent_id, t.started_at))
        async with self._store.read() as conn:
            return [Stretch(*row) for row in (await conn.execute(query)).all()]
