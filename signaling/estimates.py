"""Queue positions and estimated waits, from the live queue, the agents' capacity and the team's
recent handling times (the formula is in routing.py and docs/routing.md)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from . import routing
from .ids import now_ms
from .live import LiveState
from .protocol.common import QueueInfo
from .routing import AgentSlot, QueueEntry
from .settings import Settings
from .store import Store


class Estimates:
    def __init__(self, store: Store, live: LiveState, settings: Settings) -> None:
        self._store = store
        self._live = live
        self._settings = settings
        self._aht: dict[str, float] = {}

    async def handle_time(self, team: str) -> float:
        if team not in self._aht:
            samples = await self._store.conversations.recent_handle_times(
                team, self._settings.handle_time_window)
            self._aht[team] = routing.average_handle_time(samples,
                                                          self._settings.default_handle_time_s)
        return self._aht[team]

    def forget_team(self, team: str) -> None:
        """A conversation of the team ended: its handling times changed."""
        self._aht.pop(team, None)

    def away(self, queue: Sequence[QueueEntry]) -> set[str]:
        """Those who hold up no one in line: gone a few seconds, not between two pages (whose
        shoppers behind would be told they moved up, then back)."""
        return routing.away(queue, now_ms(), self._settings.visitor_away_after_s)

    async def queue_info(self, conversation_id: str, team: str,
                         slots: list[AgentSlot]) -> QueueInfo | None:
        queue = await self._live.queue()
        for cid, position in routing.queue_positions(queue, team, slots, self.away(queue)):
            if cid == conversation_id:
                wait = routing.estimated_wait_s(position, routing.team_capacity(slots, team),
                                                await self.handle_time(team))
                return QueueInfo(position=position, estimated_wait_s=wait)
        return None

    async def team_queue(self, team: str, slots: list[AgentSlot], queue: Sequence[QueueEntry],
                         away: Collection[str]) -> list[tuple[str, QueueInfo]]:
        capacity = routing.team_capacity(slots, team)
        aht = await self.handle_time(team)
        result = []
        for cid, position in routing.queue_positions(queue, team, slots, away):
            wait = routing.estimated_wait_s(position, capacity, aht)
            result.append((cid, QueueInfo(position=position, estimated_wait_s=wait)))
        return result
