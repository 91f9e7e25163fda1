"""Writes down each agent's time signed in, for the occupancy figures of reports: a stretch
starts when the agent's state changes to online or away while a console is connected, and ends
at the next change, or when their last console goes. Presence tells it every change; it keeps
the open stretch of each agent so that a change that changes nothing writes nothing."""

from __future__ import annotations

import asyncio
import logging

from .ids import now_ms
from .live import AgentPresence
from .store import Store
from .timers import Timers

log = logging.getLogger(__name__)

CHECK_S = 60.0
_CHECK = "time_log:checked"


def signed_in_state(presence: AgentPresence) -> str | None:
    """online / away while a console is connected; None when signed out or offline."""
    if presence.connections <= 0 or presence.status not in ("online", "away"):
        return None
    return presence.status


class AgentTimeLog:
    def __init__(self, store: Store, timers: Timers, check_s: float = CHECK_S) -> None:
        self._store = store
        self._timers = timers
        self._check_s = check_s
        # agent id → (state, id of the open row)
        self._open: dict[str, tuple[str, int]] = {}
        # Changes are written in the order they happened (a connect and a status change of
        # the same agent can arrive together).
        self._lock = asyncio.Lock()

    def state_of(self, agent_id: str) -> str | None:
        """online / away while a stretch is open (and written); None otherwise."""
        current = self._open.get(agent_id)
        return current[0] if current else None

    async def recover(self) -> None:
        ended = await self._store.availability.end_unfinished()
        if ended:
            log.info("closed %d agents' time left open by the last run", ended)
        self._timers.schedule(_CHECK, self._check_s, self._check)

    async def changed(self, agent_id: str, presence: AgentPresence) -> None:
        state = signed_in_state(presence)
        async with self._lock:
            current = self._open.get(agent_id)
            if (current[0] if current else None) == state:
                return
            at = now_ms()
            if current is not None:
                await self._store.availability.end(current[1], at)
                del self._open[agent_id]
            if state is not None:
                self._open[agent_id] = (state, await self._store.availability.begin(
                    agent_id, state, at))

    async def close(self) -> None:
        """Shutting down: everyone's stretch ends now."""
        self._timers.cancel(_CHECK)
        async with self._lock:
            at = now_ms()
            for _, row_id in self._open.values():
                await self._store.availability.end(row_id, at)
            self._open.clear()

    async def _check(self) -> None:
        try:
            if self._open:
                await self._store.availability.checked(now_ms())
        finally:
            self._timers.schedule(_CHECK, self._check_s, self._check)
