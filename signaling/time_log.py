"""Writes down each agent's time signed in, for the occupancy figures of reports: a stretch
starts when the agent's state changes to online or away while a console is connected, and ends
at the next change, or when their last console goes. Presence tells it of every change; it
reads the agent's presence itself, under its lock, so that changes are written in the order
they took effect, and keeps each agent's open stretch so that a change that changes nothing
writes nothing."""

from __future__ import annotations

import asyncio
import logging

from .ids import now_ms
from .live import AgentPresence, LiveState
from .store import Store
from .timers import Timers

log = logging.getLogger(__name__)

CHECK_S = 60.0
_CHECK = "time_log:checked"


def signed_in_state(presence: AgentPresence) -> str | None:
    """online while taking chats with a console connected; away while connected and taking
    none, also as "offline" (an agent who signs off but keeps their chats to finish them: that
    time is busy, as away); None once no console is connected."""
    if presence.connections <= 0:
        return None
    return "online" if presence.status == "online" else "away"


class AgentTimeLog:
    def __init__(self, store: Store, live: LiveState, timers: Timers,
                 check_s: float = CHECK_S) -> None:
        self._store = store
        self._live = live
        self._timers = timers
        self._check_s = check_s
        # agent id → (state, id of the open row)
        self._open: dict[str, tuple[str, int]] = {}
        self._lock = asyncio.Lock()
        self._closed = False

    def state_of(self, agent_id: str) -> str | None:
        """online / away while a stretch is open (and written); None otherwise."""
        current = self._open.get(agent_id)
        return current[0] if current else None

    async def recover(self) -> None:
        ended = await self._store.availability.end_unfinished()
        if ended:
            log.info("closed %d agents' time left open by the last run", ended)
        self._timers.schedule(_CHECK, self._check_s, self._check)

    async def changed(self, agent_id: str) -> None:
        """The agent's status or connections changed. A failure to write is logged, not
        raised: the figures miss a stretch, the agent still signs in."""
        try:
            async with self._lock:
                state = signed_in_state(await self._live.agent(agent_id))
                current = self._open.get(agent_id)
                if (current[0] if current else None) == state or self._closed:
                    return
                at = now_ms()
                if current is not None:
                    await self._store.availability.end(current[1], at)
                    del self._open[agent_id]
                if state is not None:
                    self._open[agent_id] = (state, await self._store.availability.begin(
                        agent_id, state, at))
        except Exception:
            log.exception("could not write agent %s's time signed in", agent_id)

    async def close(self) -> None:
        """Shutting down: everyone's stretch ends now."""
        self._closed = True
        self._timers.cancel(_CHECK)
        async with self._lock:
            at = now_ms()
            for _, row_id in self._open.values():
                await self._store.availability.end(row_id, at)
            self._open.clear()

    async def _check(self) -> None:
        try:
            rows = [row_id for _, row_id in self._open.values()]
            if rows:
                await self._store.availability.checked(rows, now_ms())
        finally:
            if not self._closed:
                self._timers.schedule(_CHECK, self._check_s, self._check)
