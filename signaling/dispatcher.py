"""Routing in motion: the queue, offers and their timeouts, accept, decline, transfer, end.
Every decision runs under the live state's routing lock; `routing.py` makes the choices and this
module applies them to the log, the live state and the agents' screens."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from . import routing
from .errors import Conflict, Forbidden, NotFound
from .estimates import Estimates
from .ids import now_ms
from .journal import Journal
from .live import LiveState
from .logs import conversation_context
from .notifier import AGENT_NS, Notifier, agent_room, conversation_room, team_room
from .protocol import events as ev
from .protocol import notifications as n
from .protocol.common import Actor, Conversation, QueueInfo
from .routing import AgentSlot, QueueEntry
from .settings import Settings
from .store import Store
from .store.agents import AgentRecord
from .store.conversations import NewEvent
from .timers import Timers
from .views import Views, agent_card

log = logging.getLogger(__name__)

SYSTEM = Actor(kind="system")


AfterDrain = Callable[[], Awaitable[None]]


def agent_actor(record: AgentRecord) -> Actor:
    return Actor(kind="agent", id=record.id, name=record.display_name)


def _stop_cobrowse(conv: Conversation) -> list[NewEvent]:
    """Co-browsing was consented to one agent: it ends when the conversation changes hands."""
    if conv.cobrowse == "off":
        return []
    return [NewEvent("cobrowse_ended", {"by": "system", "reason": "agent_left"}, SYSTEM)]


def _stop_call(conv: Conversation, reason: str) -> list[NewEvent]:
    """A call ends with its conversation, or when the agent in it leaves."""
    if conv.call == "off" or conv.call_id is None:
        return []
    return [NewEvent("call_ended", {"call_id": conv.call_id, "reason": reason}, SYSTEM)]


def offer_timer(conversation_id: str) -> str:
    return f"offer:{conversation_id}"


class Dispatcher:
    def __init__(self, settings: Settings, store: Store, live: LiveState, journal: Journal,
                 notifier: Notifier, views: Views, estimates: Estimates, timers: Timers) -> None:
        self._settings = settings
        self._store = store
        self._live = live
        self._journal = journal
        self._notifier = notifier
        self._views = views
        self._estimates = estimates
        self._timers = timers
        # What visitors and teams were last told, so that only changes go out.
        self._sent_queue_info: dict[str, QueueInfo] = {}
        self._sent_team_queue: dict[str, tuple[tuple[str, str, str | None], ...]] = {}
        # Called after every routing pass (the dashboard and availability listen).
        self.after_drain: list[AfterDrain] = []
        # Called when a conversation ends or leaves its agent (co-browsing drops its streams).
        self.on_release: list[Callable[[str], Awaitable[None] | None]] = []
        # Called after a conversation ended (the recording's manifest is written).
        self.on_end: list[Callable[[str], Awaitable[None]]] = []
        # (agent id, how many offers in a row they let go unanswered), after each one.
        self.on_missed: list[Callable[[str, int], Awaitable[None]]] = []
        self._missed: dict[str, int] = {}

    # ---- entry points ---------------------------------------------------------------------

    async def route(self) -> None:
        async with self._live.routing_lock():
            await self._drain()

    async def enqueue_new(self, conv: Conversation) -> None:
        async with self._live.routing_lock():
            await self._enqueue(conv, conv.team, conv.queued_at or now_ms())
            await self._drain()

    async def accept(self, agent: AgentRecord, conversation_id: str) -> Conversation:
        async with self._live.routing_lock():
            conv = await self._get(conversation_id)
            if conv.status != "offered" or conv.offered_agent_id != agent.id:
                raise Conflict("this conversation is no longer offered to you")
            self._timers.cancel(offer_timer(conv.id))
            self.answering(agent.id)
            return await self._assign(agent, conv)

    async def take(self, agent: AgentRecord, conversation_id: str) -> Conversation:
        """An agent takes a waiting chat of their team from the line themselves: one they
        declined by mistake (the cooldown would keep it from them), or someone to serve first."""
        async with self._live.routing_lock():
            conv = await self._get(conversation_id)
            if conv.team not in agent.teams:
                raise Forbidden("this conversation is waiting for another team")
            if conv.status == "offered" and conv.offered_agent_id == agent.id:
                self._timers.cancel(offer_timer(conv.id))
            elif conv.status == "offered":
                raise Conflict("this conversation is being offered to a colleague")
            elif conv.status != "queued":
                raise Conflict("this conversation is no longer waiting")
            else:
                load = (await self._store.conversations.loads()).get(agent.id, 0)
                if load >= agent.max_concurrent:
                    limit = agent.max_concurrent
                    raise Conflict(f"you are serving your limit of {limit} "
                                   f"chat{'' if limit == 1 else 's'}")
            self.answering(agent.id)
            return await self._assign(agent, conv)

    async def _assign(self, agent: AgentRecord, conv: Conversation) -> Conversation:
        """The agent joins as the conversation's assignee (lock held)."""
        # The agent's sockets join first, so agent_joined reaches them live too.
        await self._notifier.enter(agent_room(agent.id), conversation_room(conv.id), AGENT_NS)
        appended = await self._journal.append(conv.id, [NewEvent(
            "agent_joined",
            ev.AgentJoinedData(agent=agent_card(agent), role="assignee").model_dump(),
            agent_actor(agent))])
        await self._live.forget(conv.id)
        self._sent_queue_info.pop(conv.id, None)
        # The agent's other consoles stop showing the offer.
        await self._notifier.agents(agent_room(agent.id), "offer_withdrawn",
                                    n.OfferWithdrawn(conversation_id=conv.id,
                                                     reason="accepted"))
        await self._drain()
        return appended.state

    async def decline(self, agent: AgentRecord, conversation_id: str) -> None:
        async with self._live.routing_lock():
            conv = await self._get(conversation_id)
            if conv.status != "offered" or conv.offered_agent_id != agent.id:
                raise Conflict("this conversation is no longer offered to you")
            self._timers.cancel(offer_timer(conv.id))
            self.answering(agent.id)
            await self._journal.append(conv.id, [NewEvent(
                "offer_declined", ev.OfferEndedData(agent_id=agent.id).model_dump(),
                agent_actor(agent))])
            await self._cool(conv.id, agent.id)
            await self._notifier.agents(agent_room(agent.id), "offer_withdrawn",
                                        n.OfferWithdrawn(conversation_id=conv.id,
                                                         reason="declined"))
            await self._drain()

    async def transfer(self, actor: AgentRecord, conversation_id: str, *, to_agent_id: str | None,
                       to_team: str | None, note: str) -> Conversation:
        async with self._live.routing_lock():
            conv = await self._get(conversation_id)
            if conv.status != "active":
                raise Conflict("only an active conversation can be transferred")
            slots = await self._views.slots()
            if to_team is not None and to_team not in await self._store.agents.list_teams():
                raise NotFound(f"no team {to_team!r}")
            if to_team is not None and not await self._views.present_in_team(
                    to_team, besides=conv.agent_id):
                # Handed to nobody, the shopper on the page would be told to leave a message.
                raise Conflict(f"nobody of the {to_team} team is available now: choose another "
                               "team or a colleague")
            if to_agent_id is not None:
                target = next((s for s in slots if s.agent_id == to_agent_id), None)
                if target is None:
                    raise NotFound("no such agent")
                if to_agent_id == conv.agent_id:
                    raise Conflict("the conversation is already theirs")
                if not target.available or target.free == 0:
                    raise Conflict("that agent is not available to take it now")
            team = to_team or conv.team
            previous = conv.agent_id
            transferred = ev.TransferredData(from_agent_id=previous, to_agent_id=to_agent_id,
                                             to_team=to_team, note=note)
            batch = [*_stop_cobrowse(conv), *_stop_call(conv, "left"),
                     NewEvent("conversation_transferred",
                                                     transferred.model_dump(),
                                                     agent_actor(actor))]
            if previous is not None:
                batch.append(NewEvent("agent_left", ev.AgentLeftData(
                    agent_id=previous, reason="transfer").model_dump(), SYSTEM))
            batch.append(NewEvent("conversation_queued", ev.QueuedData(
                team=team, reason="transfer", front=True).model_dump(), SYSTEM))
            appended = await self._journal.append(conv.id, batch)
            await self._released(conv.id)
            if previous is not None:
                await self._notifier.leave(agent_room(previous), conversation_room(conv.id),
                                           AGENT_NS)
            await self._live.forget(conv.id)
            await self._enqueue(conv, team, now_ms(), front=True)
            if previous is not None:
                # Handed on: not straight back to the agent who handed it on.
                await self._cool(conv.id, previous)
            if to_agent_id is not None:
                await self._offer(conv.id, to_agent_id)
            await self._drain()
            return await self._store.conversations.get(conv.id) or appended.state

    async def end(self, conversation_id: str, reason: str, actor: Actor, *,
                  left_at: int | None = None) -> Conversation:
        async with self._live.routing_lock():
            conv = await self._get(conversation_id)
            if conv.status == "ended":
                raise Conflict("the conversation has already ended")
            self._timers.cancel(offer_timer(conv.id))
            self._timers.cancel(f"visitor_grace:{conv.id}")
            appended = await self._journal.append(conv.id, [
                *_stop_call(conv, "conversation_ended"),
                NewEvent("conversation_ended", ev.EndedData(reason=reason,  # type: ignore[arg-type]
                                                            left_at=left_at).model_dump(),
                         actor)])
            await self._released(conv.id)
            await self._live.forget(conv.id)
            self._sent_queue_info.pop(conv.id, None)
            if conv.status == "offline":
                await self.inbox_changed(conv.team)
            self._estimates.forget_team(conv.team)
            if conv.status == "offered" and conv.offered_agent_id:
                await self._notifier.agents(agent_room(conv.offered_agent_id), "offer_withdrawn",
                                            n.OfferWithdrawn(conversation_id=conv.id,
                                                             reason="ended"))
            await self._drain()
        for hook in self.on_end:
            await hook(conversation_id)
        room = conversation_room(conversation_id)
        self._timers.schedule(f"ended_room:{conversation_id}", self._settings.ended_room_s,
                              lambda: self._notifier.close(room, AGENT_NS))
        return appended.state

    async def withdraw_offers(self, agent_id: str, reason: str) -> None:
        """The agent went away or lost connection: their pending offers go to someone else."""
        async with self._live.routing_lock():
            for conv in await self._store.conversations.offered_to(agent_id):
                await self._withdraw(conv, reason)
            await self._drain()

    async def requeue_agent_conversations(self, agent_id: str, *,
                                          disabled: bool = False) -> None:
        """The agent's grace period ran out, or they are no longer available (their account
        was disabled, they handed their chats back going offline): their conversations go back
        to the front."""
        async with self._live.routing_lock():
            for conv in await self._store.conversations.find(status=["active"],
                                                            agent_id=agent_id):
                with conversation_context(conv.id):
                    await self._journal.append(conv.id, [
                        *_stop_cobrowse(conv), *_stop_call(conv, "left"),
                        NewEvent("agent_left", ev.AgentLeftData(
                            agent_id=agent_id,
                            reason="unavailable" if disabled else "disconnected").model_dump(),
                            SYSTEM),
                        NewEvent("conversation_queued", ev.QueuedData(
                            team=conv.team,
                            reason="agent_unavailable" if disabled else "agent_disconnected",
                            front=True).model_dump(), SYSTEM),
                    ])
                    await self._released(conv.id)
                    # (Sockets still open when they handed it back.)
                    await self._notifier.leave(agent_room(agent_id), conversation_room(conv.id),
                                               AGENT_NS)
                    await self._enqueue(conv, conv.team, now_ms(), front=True)
                    log.info("agent %s is not available: conversation requeued", agent_id)
            await self._drain()

    async def recover(self) -> None:
        """After a restart: waiting conversations back in line, pending offers withdrawn."""
        async with self._live.routing_lock():
            for conv in await self._store.conversations.find(status=["queued", "offered"],
                                                            limit=100_000):
                if conv.status == "offered" and conv.offered_agent_id:
                    await self._journal.append(conv.id, [NewEvent(
                        "offer_expired", ev.OfferExpiredData(
                            agent_id=conv.offered_agent_id,
                            reason="agent_disconnected").model_dump(), SYSTEM)])
                await self._enqueue(conv, conv.team, conv.queued_at or conv.created_at)

    async def _enqueue(self, conv: Conversation, team: str, enqueued_ms: int, *,
                       front: bool = False) -> None:
        """In line; a shopper with no page open now (a restart, a hand-back while they were
        away) counts as gone from now on."""
        gone = None if await self._live.visitor_connections(conv.visitor_id) else now_ms()
        await self._live.enqueue(QueueEntry(conv.id, team, enqueued_ms, front=front,
                                            gone_since=gone))

    # ---- the routing pass (lock held) -----------------------------------------------------

    async def _drain(self) -> None:
        now = now_ms()
        slots = await self._refresh_loads(now)
        queue = await self._live.queue()
        for team in sorted({e.team for e in queue}):
            if not await self._views.present_in_team(team):
                for entry in [e for e in queue if e.team == team and e.offered_to is None]:
                    await self._go_offline(entry.conversation_id)
        queue = await self._live.queue()
        # No offer for a chat whose shopper has no page open now, even between two pages:
        # it waits for the next one (positions wait a few seconds longer, see `Estimates`).
        offers = routing.plan_offers(queue, slots, await self._live.cooling(), now,
                                     routing.away(queue, now, after_s=0))
        for conversation_id, agent_id in offers:
            await self._offer(conversation_id, agent_id)
        if offers:
            slots = await self._refresh_loads(now)
        await self._publish_queues(slots)
        for hook in self.after_drain:
            await hook()

    async def _refresh_loads(self, now: int) -> list[AgentSlot]:
        loads = await self._store.conversations.loads()
        for agent_id in set(loads) | set(await self._live.agents()):
            await self._live.set_agent_load(agent_id, loads.get(agent_id, 0), now)
        return await self._views.slots()

    async def _offer(self, conversation_id: str, agent_id: str) -> None:
        timeout = self._settings.offer_timeout_s
        expires = now_ms() + int(timeout * 1000)
        with conversation_context(conversation_id):
            appended = await self._journal.append(conversation_id, [NewEvent(
                "conversation_offered",
                ev.OfferedData(agent_id=agent_id, expires_at=expires).model_dump(), SYSTEM)])
            await self._live.mark_offered(conversation_id, agent_id)
            [summary] = await self._store.conversations.summaries([appended.state])
            await self._notifier.agents(agent_room(agent_id), "offer_received", n.OfferReceived(
                conversation=appended.state, summary=summary, expires_at=expires,
                transfer_note=await self._transfer_note(conversation_id)))
            self._timers.schedule(offer_timer(conversation_id), timeout,
                                  lambda: self._offer_timed_out(conversation_id, agent_id))
            log.info("offered to %s", agent_id)

    async def _transfer_note(self, conversation_id: str) -> str | None:
        """What the last agent to transfer the conversation wrote for the next one, while it is
        on its way to them: once someone took it since, a chat back in the queue (its agent
        disabled, disconnected) is no handover, and the note is not said again."""
        for event in reversed(await self._store.conversations.events_of_types(
                conversation_id, ["conversation_transferred", "agent_joined"])):
            data = event.data
            if isinstance(data, ev.TransferredData):
                return data.note or None
            if isinstance(data, ev.AgentJoinedData) and data.role == "assignee":
                return None
        return None

    async def _offer_timed_out(self, conversation_id: str, agent_id: str) -> None:
        missed = 0
        async with self._live.routing_lock():
            conv = await self._store.conversations.get(conversation_id)
            if conv and conv.status == "offered" and conv.offered_agent_id == agent_id:
                await self._withdraw(conv, "timeout")
                missed = self._missed[agent_id] = self._missed.get(agent_id, 0) + 1
            await self._drain()
        if missed:
            for hook in self.on_missed:
                await hook(agent_id, missed)

    def answering(self, agent_id: str) -> None:
        """The agent answered (took a chat, declined one, or chose a status): their run of
        missed offers is over."""
        self._missed.pop(agent_id, None)

    async def _withdraw(self, conv: Conversation, reason: str) -> None:
        agent_id = conv.offered_agent_id
        if agent_id is None:
            return
        self._timers.cancel(offer_timer(conv.id))
        await self._journal.append(conv.id, [NewEvent(
            "offer_expired", {"agent_id": agent_id, "reason": reason}, SYSTEM)])
        if reason == "timeout":  # they missed it: the next agent first
            await self._cool(conv.id, agent_id)
        else:  # they dropped or went away: offered again as soon as they are back
            await self._live.mark_offered(conv.id, None)
        await self._notifier.agents(agent_room(agent_id), "offer_withdrawn",
                                    n.OfferWithdrawn.model_validate(
                                        {"conversation_id": conv.id, "reason": reason}))

    async def _cool(self, conversation_id: str, agent_id: str) -> None:
        await self._live.mark_offered(conversation_id, None)
        await self._live.cool(conversation_id, agent_id,
                              now_ms() + int(self._settings.decline_cooldown_s * 1000))
        # Come back when the cooldown ends: the agent may be the only one who can answer.
        self._timers.schedule(f"cooldown:{conversation_id}:{agent_id}",
                              self._settings.decline_cooldown_s, self.route)

    async def _go_offline(self, conversation_id: str) -> None:
        with conversation_context(conversation_id):
            appended = await self._journal.append(conversation_id, [NewEvent(
                "conversation_offline", ev.OfflineData(reason="no_agents").model_dump(),
                SYSTEM)])
            await self._live.forget(conversation_id)
            self._sent_queue_info.pop(conversation_id, None)
            await self.inbox_changed(appended.state.team)
            log.info("nobody of the team is online: kept as an offline message")

    async def _publish_queues(self, slots: list[AgentSlot]) -> None:
        queue = await self._live.queue()
        away = self._estimates.away(queue)
        for team in sorted({e.team for e in queue} | {t for s in slots for t in s.teams}):
            positions = await self._estimates.team_queue(team, slots, queue, away)
            for conversation_id, info in positions:
                if self._sent_queue_info.get(conversation_id) != info:
                    self._sent_queue_info[conversation_id] = info
                    await self._notifier.visitors(
                        conversation_room(conversation_id), "queue_updated",
                        n.QueueUpdated(conversation_id=conversation_id, queue=info))
            states = [c for c in [await self._store.conversations.get(cid) for cid, _ in positions]
                      if c is not None]
            # Who waits, and whether each is on offer: an offer that ran out changes the second
            # but not the first.
            sent = tuple((c.id, c.status, c.offered_agent_id) for c in states)
            if self._sent_team_queue.get(team, ()) == sent:
                continue
            self._sent_team_queue[team] = sent
            await self._notifier.agents(team_room(team), "team_queue_updated", n.TeamQueueUpdated(
                team=team, waiting=await self._store.conversations.summaries(states)))

    async def inbox_changed(self, team: str) -> None:
        """An offline message arrived, was answered or closed: the team's inboxes refresh."""
        await self._notifier.agents(team_room(team), "offline_inbox_changed",
                                    n.OfflineInboxChanged(team=team))

    async def _released(self, conversation_id: str) -> None:
        for hook in self.on_release:
            result = hook(conversation_id)
            if result is not None:
                await result

    async def _get(self, conversation_id: str) -> Conversation:
        conv = await self._store.conversations.get(conversation_id)
        if conv is None:
            raise NotFound("no such conversation")
        return conv

    async def waiting(self, team: str | None = None) -> Sequence[QueueEntry]:
        return [e for e in await self._live.queue() if team is None or e.team == team]
