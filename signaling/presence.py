"""Who is here: agents' and visitors' sockets coming and going, the agents' chosen status, the
grace periods after a dropped connection, and telling visitors which teams can answer."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from . import routing
from .dispatcher import Dispatcher
from .errors import InvalidPayload
from .estimates import Estimates
from .ids import now_ms
from .live import AgentPresence, LiveState
from .notifier import Notifier, agent_room, conversation_room, site_room
from .protocol import notifications as n
from .protocol.common import Actor, AgentInfo, Availability, TeamAvailability
from .settings import Settings
from .store import Store
from .store.agents import AgentRecord
from .store.sites import SiteRecord
from .time_log import AgentTimeLog
from .timers import Timers
from .views import Views, agent_info, site_config

log = logging.getLogger(__name__)

OPEN = ("queued", "offered", "active")


def site_teams(site: SiteRecord) -> list[str]:
    teams: list[str] = []
    for topic in site.settings.get("topics", []):
        if topic["team"] not in teams:
            teams.append(topic["team"])
    return teams


class Presence:
    def __init__(self, settings: Settings, store: Store, live: LiveState, dispatcher: Dispatcher,
                 notifier: Notifier, views: Views, estimates: Estimates, timers: Timers,
                 time_log: AgentTimeLog) -> None:
        self._settings = settings
        self._store = store
        self._live = live
        self._dispatcher = dispatcher
        self._notifier = notifier
        self._views = views
        self._estimates = estimates
        self._timers = timers
        self._time_log = time_log
        self._sent_availability: dict[str, Availability] = {}

    # ---- agents ---------------------------------------------------------------------------

    async def agent_connected(self, agent: AgentRecord, sid: str) -> None:
        count = await self._live.agent_connected(agent.id, sid)
        if count > 1:
            return
        await self._live.set_agent_status(agent.id, agent.status, now_ms())
        await self._time_log.changed(agent.id)
        if self._timers.cancel(f"agent_grace:{agent.id}"):
            await self._tell_visitors(agent.id, online=True)
        await self._dispatcher.route()

    async def agent_disconnected(self, agent_id: str, sid: str) -> None:
        if await self._live.agent_disconnected(agent_id, sid, now_ms()) > 0:
            return
        await self._time_log.changed(agent_id)
        await self._dispatcher.withdraw_offers(agent_id, "agent_disconnected")
        await self._tell_visitors(agent_id, online=False)
        self._schedule_agent_grace(agent_id)

    def _schedule_agent_grace(self, agent_id: str) -> None:
        self._timers.schedule(f"agent_grace:{agent_id}", self._settings.agent_grace_s,
                              lambda: self._agent_gone(agent_id))

    async def _agent_gone(self, agent_id: str) -> None:
        if (await self._live.agent(agent_id)).connections:
            return
        await self._dispatcher.requeue_agent_conversations(agent_id)

    async def agent_disabled(self, agent_id: str) -> None:
        """A disabled agent will not come back: offers go to others, and once their sockets
        are closed their conversations go back to the queue without the grace period."""
        await self._live.set_agent_status(agent_id, "offline", now_ms())
        await self._time_log.changed(agent_id)
        await self._dispatcher.withdraw_offers(agent_id, "agent_away")
        if (await self._live.agent(agent_id)).connections == 0:
            self._timers.cancel(f"agent_grace:{agent_id}")
            await self._dispatcher.requeue_agent_conversations(agent_id, disabled=True)

    async def missed_offers(self, agent_id: str, missed: int) -> None:
        """An agent let `missed` offers in a row go unanswered: at the setting's count they
        are set away, so that shoppers are offered to someone at their desk, and told why."""
        limit = self._settings.away_after_missed_offers
        if limit <= 0 or missed < limit:
            return
        record = await self._store.agents.get(agent_id)
        if record is None or (await self._live.agent(agent_id)).status != "online":
            return
        log.info("agent %s set away after %d missed offers", agent_id, missed)
        await self.set_status(record, "away")
        await self._notifier.agents(agent_room(agent_id), "set_away", n.SetAway(missed=missed))

    async def set_status(self, agent: AgentRecord, status: str, *,
                         hand_back: bool = False) -> AgentInfo:
        if hand_back and status == "online":
            raise InvalidPayload("hand_back goes with away or offline")
        self._dispatcher.answering(agent.id)
        await self._store.agents.update(agent.id, status=status)
        await self._live.set_agent_status(agent.id, status, now_ms())
        await self._time_log.changed(agent.id)
        if status != "online":
            await self._dispatcher.withdraw_offers(agent.id, "agent_away")
            if hand_back:
                await self._dispatcher.requeue_agent_conversations(agent.id, disabled=True)
        else:
            await self._dispatcher.route()
        record = await self._store.agents.get(agent.id) or agent
        info = agent_info(record, await self._live.agent(agent.id))
        await self._notifier.agents(agent_room(agent.id), "agent_updated",
                                    n.AgentUpdated(agent=info))
        return info

    async def reroute(self) -> None:
        """An agent's capacity or teams changed: conversations waiting may be offered now."""
        await self._dispatcher.route()

    async def _tell_visitors(self, agent_id: str, *, online: bool) -> None:
        for conv in await self._store.conversations.find(status=["active"], agent_id=agent_id):
            await self._notifier.visitors(conversation_room(conv.id), "presence_changed",
                                          n.PresenceChanged(conversation_id=conv.id,
                                                            side="agent", online=online))

    # ---- visitors -------------------------------------------------------------------------

    async def visitor_connected(self, visitor_id: str, sid: str) -> None:
        if await self._live.visitor_connected(visitor_id, sid) > 1:
            return
        # Their first tab: agents of their open conversations (messages left included, which an
        # agent may be answering) see them back.
        waiting = False
        for conv in await self._store.conversations.find(status=(*OPEN, "offline"),
                                                         visitor_id=visitor_id):
            self._timers.cancel(f"visitor_grace:{conv.id}")
            self._timers.cancel(f"visitor_away:{conv.id}")
            await self._live.mark_gone(conv.id, None)
            waiting = waiting or conv.status == "queued"
            await self._notifier.agents(conversation_room(conv.id), "presence_changed",
                                        n.PresenceChanged(conversation_id=conv.id,
                                                          side="visitor", online=True))
        if waiting:  # not offered while they were away: now it may be
            await self._dispatcher.route()

    async def visitor_disconnected(self, visitor_id: str, sid: str) -> None:
        if await self._live.visitor_disconnected(visitor_id, sid) > 0:
            return
        left = now_ms()
        for conv in await self._store.conversations.find(status=(*OPEN, "offline"),
                                                         visitor_id=visitor_id):
            if conv.status != "offline":  # a message left waits for its answer, not for them
                self._start_visitor_grace(conv.id, left_at=left)
            if conv.status in ("queued", "offered"):
                # Away once gone a few seconds (not between two pages): passed over, and
                # those behind them move up.
                await self._live.mark_gone(conv.id, left)
                self._timers.schedule(f"visitor_away:{conv.id}",
                                      self._settings.visitor_away_after_s,
                                      self._dispatcher.route)
            await self._notifier.agents(conversation_room(conv.id), "presence_changed",
                                        n.PresenceChanged(conversation_id=conv.id,
                                                          side="visitor", online=False))

    def _start_visitor_grace(self, conversation_id: str, *, left_at: int | None = None) -> None:
        self._timers.schedule(f"visitor_grace:{conversation_id}", self._settings.visitor_grace_s,
                              lambda: self._visitor_gone(conversation_id, left_at))

    async def _visitor_gone(self, conversation_id: str, left_at: int | None) -> None:
        conv = await self._store.conversations.get(conversation_id)
        if conv is None or conv.status not in OPEN:
            return
        if await self._live.visitor_connections(conv.visitor_id):
            return
        await self._dispatcher.end(conversation_id, "visitor_left", Actor(kind="system"),
                                   left_at=left_at)

    # ---- start-up -------------------------------------------------------------------------

    async def recover(self) -> None:
        """Nobody is connected after a restart: everyone gets their grace period."""
        now = now_ms()
        for record in await self._store.agents.all():
            await self._live.set_agent_status(record.id, record.status, now)
            await self._live.mark_disconnected(record.id, now)
        await self._dispatcher.recover()
        for conv in await self._store.conversations.find(status=["active"], limit=100_000):
            if conv.agent_id and not self._timers.pending(f"agent_grace:{conv.agent_id}"):
                self._schedule_agent_grace(conv.agent_id)
        for conv in await self._store.conversations.find(status=OPEN, limit=100_000):
            self._start_visitor_grace(conv.id)
        # Offline decisions wait until the grace periods have run out.
        self._timers.schedule("recover:route", self._settings.agent_grace_s,
                              self._dispatcher.route)

    # ---- availability ---------------------------------------------------------------------

    async def availability(self, site: SiteRecord) -> Availability:
        now = datetime.now(UTC)
        open_now = routing.is_open(site.business_hours, site.timezone, now)
        opening = None if open_now else routing.next_opening(site.business_hours, site.timezone,
                                                              now)
        slots = await self._views.slots()
        waiting = await self._dispatcher.waiting()
        away = self._estimates.away(waiting)
        teams = []
        for team in site_teams(site):
            if not open_now:
                teams.append(TeamAvailability(
                    team=team, available=False, reason="outside_hours",
                    opens_at=int(opening.timestamp() * 1000) if opening else None))
            elif not await self._views.present_in_team(team):
                teams.append(TeamAvailability(team=team, available=False, reason="no_agents"))
            else:
                ahead = routing.line_length(waiting, team, slots, away)
                wait = 0
                if ahead or routing.team_free(slots, team) == 0:
                    wait = routing.estimated_wait_s(
                        ahead + 1, routing.team_capacity(slots, team),
                        await self._estimates.handle_time(team)) or 0
                teams.append(TeamAvailability(team=team, available=True, estimated_wait_s=wait))
        return Availability(teams=teams)

    async def publish_availability(self) -> None:
        """Tell each site's visitors when what their teams can do changed."""
        for site in await self._store.sites.all():
            now = await self.availability(site)
            before = self._sent_availability.get(site.id)
            if before is None or _shown(now) != _shown(before):
                self._sent_availability[site.id] = now
                await self._notifier.visitors(site_room(site.id), "availability_changed",
                                              n.AvailabilityChanged(availability=now))

    async def site_changed(self, site: SiteRecord) -> None:
        """A site's settings changed: its open widgets get its new topics, look and
        availability at once (a topic renamed under an open form could not be started)."""
        now = await self.availability(site)
        self._sent_availability[site.id] = now
        await self._notifier.visitors(site_room(site.id), "availability_changed",
                                      n.AvailabilityChanged(availability=now,
                                                            site=site_config(site)))

    async def watch_hours(self) -> None:
        """Business hours open and close with no event to announce it: look every minute."""
        await self.publish_availability()
        self._timers.schedule("availability:hours", 60, self.watch_hours)

    async def agents_presence(self) -> dict[str, AgentPresence]:
        return await self._live.agents()

    async def visitor_online(self, visitor_id: str) -> bool:
        return await self._live.visitor_connections(visitor_id) > 0


def _wait_shown(seconds: int | None) -> int | None:
    """A wait as shoppers read it ("available now", "under a minute", "about 3 minutes",
    "about 2 hours"): changes within one of those are not worth telling every page of a site."""
    if seconds is None or seconds <= 0:
        return seconds
    if seconds < 60:
        return 1
    minutes = round(seconds / 60)
    return minutes * 60 if minutes < 60 else round(minutes / 60) * 3600


def _shown(availability: Availability
           ) -> list[tuple[str, bool, str | None, int | None, int | None]]:
    return [(t.team, t.available, t.reason, _wait_shown(t.estimated_wait_s), t.opens_at)
            for t in availability.teams]
