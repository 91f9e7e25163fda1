"""Queue positions and estimated waits, from the live queue, the agents' capacity and the team's
recent handling times (the formula is in routing.py and docs/routing.md)."""

from __future__ import annotations

from collections.abc import Sequence

from . import routing
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

    async def away(self, queue: Sequence[QueueEntry]) -> set[str]:
        """Waiting conversations whose shopper has no page open (in their grace period): the
        agents pass them over, and they hold up no one behind them."""
        away = set()
        for entry in queue:
            if entry.offered_to is None:
                conv = await self._store.conversations.get(entry.conversation_id)
                if conv is not None and not await self._live.visitor_connections(
                        conv.visitor_id):
                    away.add(entry.conversation_id)
        return away

    async def queue_info(self, conversation_id: str, team: str,
                         slots: list[AgentSlot]) -> QueueInfo | None:
        queue = await self._live.queue()
        for cid, position in routing.queue_positions(queue, team, slots,
                                                     await self.away(queue)):
            if cid == conversation_id:
                wait = routing.estimated_wait_s(position, routing.team_capacity(slots, team),
                                                await self.handle_time(team))
                return QueueInfo(position=position, estimated_wait_s=wait)
        return None

    async def team_queue(self, team: str, slots: list[AgentSlot]) -> list[tuple[str, QueueInfo]]:
        queue = await self._live.queue()
        capacity = routing.team_capacity(slots, team)
        aht = await self.handle_time(team)
        result = []
        for cid, position in routing.queue_positions(queue, team, slots,
                                                     await self.away(queue)):
            wait = routing.estimated_wait_s(position, capacity, aht)
            result.append((cid, QueueInfo(position=position, estimated_wait_s=wait)))
        return result
