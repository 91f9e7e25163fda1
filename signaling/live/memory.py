"""Single-node live state, in memory. Rebuilt from the durable store at start-up."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

from ..routing import QueueEntry
from .protocol import AgentPresence


class MemoryLiveState:
    name = "memory"

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._agent_sids: dict[str, set[str]] = defaultdict(set)
        self._agent_status: dict[str, str] = {}
        self._agent_load: dict[str, int] = {}
        self._idle_since: dict[str, int] = {}
        self._disconnected_at: dict[str, int] = {}
        self._visitor_sids: dict[str, set[str]] = defaultdict(set)
        self._queue: dict[str, QueueEntry] = {}
        self._cooling: dict[str, dict[str, int]] = defaultdict(dict)

    @asynccontextmanager
    async def routing_lock(self) -> AsyncIterator[None]:
        async with self._lock:
            yield

    async def agent_connected(self, agent_id: str, sid: str) -> int:
        self._agent_sids[agent_id].add(sid)
        self._disconnected_at.pop(agent_id, None)
        return len(self._agent_sids[agent_id])

    async def agent_disconnected(self, agent_id: str, sid: str, now_ms: int) -> int:
        sids = self._agent_sids[agent_id]
        sids.discard(sid)
        if not sids:
            del self._agent_sids[agent_id]
            self._disconnected_at[agent_id] = now_ms
        return len(sids)

    async def mark_disconnected(self, agent_id: str, now_ms: int) -> None:
        """At start-up nobody is connected: treat agents as just gone, so grace applies."""
        if not self._agent_sids.get(agent_id):
            self._disconnected_at[agent_id] = now_ms

    async def set_agent_status(self, agent_id: str, status: str, now_ms: int) -> None:
        if self._agent_status.get(agent_id) != status and status == "online":
            self._idle_since[agent_id] = now_ms
        self._agent_status[agent_id] = status

    async def set_agent_load(self, agent_id: str, load: int, now_ms: int) -> None:
        if load < self._agent_load.get(agent_id, 0):
            self._idle_since[agent_id] = now_ms
        self._agent_load[agent_id] = load

    def _presence(self, agent_id: str) -> AgentPresence:
        return AgentPresence(
            status=self._agent_status.get(agent_id, "offline"),
            connections=len(self._agent_sids.get(agent_id, ())),
            load=self._agent_load.get(agent_id, 0),
            idle_since_ms=self._idle_since.get(agent_id, 0),
            disconnected_at_ms=self._disconnected_at.get(agent_id),
        )

    async def agent(self, agent_id: str) -> AgentPresence:
        return self._presence(agent_id)

    async def agents(self) -> dict[str, AgentPresence]:
        ids = set(self._agent_status) | set(self._agent_sids) | set(self._agent_load)
        return {agent_id: self._presence(agent_id) for agent_id in ids}

    async def visitor_connected(self, visitor_id: str, sid: str) -> int:
        self._visitor_sids[visitor_id].add(sid)
        return len(self._visitor_sids[visitor_id])

    async def visitor_disconnected(self, visitor_id: str, sid: str) -> int:
        sids = self._visitor_sids[visitor_id]
        sids.discard(sid)
        if not sids:
            del self._visitor_sids[visitor_id]
        return len(sids)

    async def visitor_connections(self, visitor_id: str) -> int:
        return len(self._visitor_sids.get(visitor_id, ()))

    async def enqueue(self, entry: QueueEntry) -> None:
        self._queue[entry.conversation_id] = entry

    async def mark_offered(self, conversation_id: str, agent_id: str | None) -> None:
        entry = self._queue.get(conversation_id)
        if entry is not None:
            self._queue[conversation_id] = replace(entry, offered_to=agent_id)

    async def mark_gone(self, conversation_id: str, since_ms: int | None) -> None:
        entry = self._queue.get(conversation_id)
        if entry is not None:
            self._queue[conversation_id] = replace(entry, gone_since=since_ms)

    async def queue(self) -> list[QueueEntry]:
        return sorted(self._queue.values(), key=lambda e: e.order)

    async def cool(self, conversation_id: str, agent_id: str, until_ms: int) -> None:
        self._cooling[conversation_id][agent_id] = until_ms

    async def cooling(self) -> dict[str, dict[str, int]]:
        return {cid: dict(agents) for cid, agents in self._cooling.items()}

    async def forget(self, conversation_id: str) -> None:
        self._cooling.pop(conversation_id, None)
        self._queue.pop(conversation_id, None)
