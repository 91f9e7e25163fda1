"""The supervisors' live picture (queues with waiting times, agents with status and load, open
conversations), pushed to the `supervisors` room at most a few times a second."""

from __future__ import annotations

import asyncio
import logging

from . import routing
from .ids import now_ms
from .live import LiveState
from .notifier import SUPERVISORS, Notifier
from .protocol import notifications as n
from .protocol import requests as r
from .store import Store
from .views import Views, agent_info

log = logging.getLogger(__name__)

PUBLISH_INTERVAL_S = 0.25


class DashboardPublisher:
    def __init__(self, store: Store, live: LiveState, notifier: Notifier, views: Views) -> None:
        self._store = store
        self._live = live
        self._notifier = notifier
        self._views = views
        # The one pending publish; held so it can be cancelled on close.
        self._task: asyncio.Task[None] | None = None

    async def build(self) -> r.Dashboard:
        now = now_ms()
        agents = await self._views.agents()
        slots = [slot for _, slot in agents]
        presence = await self._live.agents()
        queue = await self._live.queue()
        teams = await self._store.agents.list_teams()
        queues = []
        for team in teams:
            entries = sorted((e for e in queue if e.team == team), key=lambda e: e.order)
            states = [c for c in [await self._store.conversations.get(e.conversation_id)
                                  for e in entries] if c is not None]
            waiting = await self._store.conversations.summaries(states)
            longest = max(((now - (c.queued_at or c.created_at)) // 1000 for c in states),
                          default=0)
            queues.append(r.TeamQueue(
                team=team, waiting=waiting, longest_wait_s=longest,
                online_agents=sum(1 for s in slots if s.available and team in s.teams),
                capacity=routing.team_capacity(slots, team)))
        active = await self._store.conversations.find(status=["active", "offered"])
        return r.Dashboard(
            queues=queues,
            agents=[agent_info(record, presence.get(record.id)) for record, _ in agents],
            active_conversations=await self._store.conversations.summaries(active),
        )

    def touch(self) -> None:
        """Something changed: publish soon (changes in a burst go out once)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._publish_soon(), name="dashboard")

    async def touched(self) -> None:
        self.touch()

    async def _publish_soon(self) -> None:
        await asyncio.sleep(PUBLISH_INTERVAL_S)
        if not self._notifier.sids(SUPERVISORS, "/agent"):
            return
        try:
            dashboard = await self.build()
        except Exception:
            log.exception("dashboard build failed")
            return
        await self._notifier.agents(SUPERVISORS, "dashboard_updated",
                                    n.DashboardUpdated(dashboard=dashboard))

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
