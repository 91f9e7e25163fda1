"""Conversation requests from both sides: start, messages, notes, reads, typing, history,
resume, leave, rate, end, transfer, observe and join. Rights are checked here (access.py);
routing decisions are the dispatcher's."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from . import access, routing
from .auth import Principal
from .dispatcher import SYSTEM, Dispatcher, agent_actor
from .errors import (
    Conflict,
    InvalidPayload,
    LimitReached,
    NotFound,
    SiteDisabled,
    Unauthorized,
    Unavailable,
)
from .ids import new_conversation_id
from .journal import Journal
from .notifier import AGENT_NS, VISITOR_NS, Notifier, agent_room, conversation_room, visitor_room
from .presence import Presence
from .protocol import events as ev
from .protocol import notifications as n
from .protocol import requests as r
from .protocol.common import Actor, Conversation, VisitorConversation
from .protocol.events import LogEvent
from .settings import Settings
from .store import Store
from .store.agents import AgentRecord
from .store.conversations import NewEvent
from .views import Views, agent_card

OPEN_FOR_VISITOR = ("queued", "offered", "active", "offline")


class Conversations:
    def __init__(self, settings: Settings, store: Store, journal: Journal,
                 dispatcher: Dispatcher, presence: Presence, notifier: Notifier,
                 views: Views) -> None:
        self._settings = settings
        self._store = store
        self._journal = journal
        self._dispatcher = dispatcher
        self._presence = presence
        self._notifier = notifier
        self._views = views
        # Told of each agent's message (answers by email: reply_mail.py).
        self.on_agent_message: list[Callable[[Conversation], Awaitable[None]]] = []

    async def get(self, conversation_id: str) -> Conversation:
        conv = await self._store.conversations.get(conversation_id)
        if conv is None:
            raise NotFound("no such conversation")
        return conv

    # ---- visitors -------------------------------------------------------------------------

    async def visitor_actor(self, principal: Principal) -> Actor:
        profile = await self._store.visitors.get(principal.id)
        if profile is None:  # erased while their page was open
            raise Unauthorized("this visitor no longer exists")
        return Actor(kind="visitor", id=principal.id, name=profile.name)

    async def open_for_visitor(self, principal: Principal) -> Conversation | None:
        """The conversation a returning visitor continues: an open one, else their last one if
        it holds an agent's answer they have not read (an offline message answered, or a reply
        sent after they closed the page and the conversation ended)."""
        found = await self._store.conversations.find(visitor_id=principal.id,
                                                     status=OPEN_FOR_VISITOR, newest_first=True)
        if found:
            return found[0]
        recent = await self._store.conversations.find(visitor_id=principal.id, status=["ended"],
                                                      newest_first=True, limit=1)
        if recent and recent[0].assigned_at:
            unread = await self._store.conversations.events_after(
                recent[0].id, recent[0].visitor_read_seq, agent_view=False)
            if any(e.type == "message_created" and e.actor.kind == "agent" for e in unread):
                return recent[0]
        return None

    async def start(self, principal: Principal, req: r.StartConversation) -> VisitorConversation:
        retried = await self._store.conversations.find_started(principal.id, req.client_id)
        if retried is not None:
            return await self._views.visitor_conversation(retried)
        site = await self._store.sites.get(principal.site_id or "")
        if site is None:
            raise NotFound("the site no longer exists")
        if not site.enabled:
            raise SiteDisabled("chat is turned off for this site")
        topic = next((t for t in site.settings.get("topics", []) if t["id"] == req.topic), None)
        if topic is None:
            raise NotFound(f"no topic {req.topic!r}")
        team = topic["team"]
        open_now = await self._store.conversations.find(visitor_id=principal.id,
                                                        status=OPEN_FOR_VISITOR)
        if len(open_now) >= self._settings.max_open_conversations_per_visitor:
            raise LimitReached("finish your open conversation first",
                               conversation_id=open_now[0].id)

        reason = None
        if not routing.is_open(site.business_hours, site.timezone, datetime.now(UTC)):
            reason = "outside_hours"
        elif not await self._views.present_in_team(team):
            reason = "no_agents"
        if reason is not None and req.message is None:
            raise Unavailable("nobody can answer right now: leave a message", reason=reason)

        if req.fields.name or req.fields.email:
            values = {k: v for k, v in (("name", req.fields.name), ("email", req.fields.email))
                      if v}
            await self._store.visitors.update(principal.id, **values)
        actor = await self.visitor_actor(principal)
        conversation_id = new_conversation_id()
        batch = [NewEvent("conversation_started", ev.StartedData(
            topic=req.topic, topic_label=site.topic_label(req.topic), team=team,
            visitor_id=principal.id, site_id=site.id,
            fields=req.fields, page_url=req.page_url).model_dump(), actor, req.client_id)]
        if reason is not None:
            batch.append(NewEvent("conversation_offline", {"reason": reason}, SYSTEM))
        if req.message is not None:
            batch.append(NewEvent("message_created", {"client_id": f"{req.client_id}:first",
                                                      "text": req.message}, actor,
                                  f"{req.client_id}:first"))
        # Every tab of the visitor joins the room first, so the first events arrive live too.
        await self._notifier.enter(visitor_room(principal.id), conversation_room(conversation_id),
                                   VISITOR_NS)
        appended = await self._journal.append(conversation_id, batch)
        if reason is None:
            await self._dispatcher.enqueue_new(appended.state)
        else:
            await self._dispatcher.inbox_changed(team)
            await self._dispatcher.route()  # the dashboard changes too
        conv = await self.get(conversation_id)
        return await self._views.visitor_conversation(conv)

    async def visitor_send(self, principal: Principal, req: r.SendMessage) -> r.Sent:
        conv = await self.get(req.conversation_id)
        access.check_visitor(principal, conv)
        if conv.status == "ended":
            raise Conflict("the conversation has ended")
        appended = await self._journal.append(conv.id, [NewEvent(
            "message_created", {"client_id": req.client_id, "text": req.text},
            await self.visitor_actor(principal), req.client_id)])
        offered_to = appended.state.offered_agent_id
        if appended.state.status == "offered" and offered_to:
            # The agent deciding on the offer reads what the shopper says now ("Hello?
            # Anyone?"), not only what they opened with. Not the chat path: offers are rare.
            [summary] = await self._store.conversations.summaries([appended.state])
            await self._notifier.agents(agent_room(offered_to), "offer_updated",
                                        n.OfferUpdated(conversation_id=conv.id, summary=summary))
        return r.Sent(seq=appended.events[0].seq)

    async def visitor_leave(self, principal: Principal, conversation_id: str) -> None:
        conv = await self.get(conversation_id)
        access.check_visitor(principal, conv)
        # Ending a message left took it out of the store's inbox, unanswered. One that holds
        # nothing from the shopper (a chat started without a word that fell back to a message)
        # may end: there is nothing to answer, and it would keep them from starting another.
        if conv.status == "offline" and any(
                e.actor.kind == "visitor" for e in await self._store.conversations.events_of_types(
                    conv.id, ["message_created"])):
            raise Conflict("a message left stays with the store until they answer it")
        await self._dispatcher.end(conv.id, "visitor_ended", await self.visitor_actor(principal))

    async def rate(self, principal: Principal, req: r.RateConversation) -> None:
        conv = await self.get(req.conversation_id)
        access.check_visitor(principal, conv)
        if conv.status != "ended":
            raise Conflict("a conversation can be rated once it has ended")
        if conv.rating is not None:
            raise Conflict("this conversation has been rated already")
        await self._journal.append(conv.id, [NewEvent(
            "conversation_rated", {"rating": req.rating, "comment": req.comment},
            await self.visitor_actor(principal))])

    async def visitor_typing(self, principal: Principal, req: r.Typing) -> None:
        conv = await self.get(req.conversation_id)
        access.check_visitor(principal, conv)
        await self._notifier.agents(conversation_room(conv.id), "typing_changed",
                                    n.TypingChanged(conversation_id=conv.id, side="visitor",
                                                    typing=req.typing))

    async def visitor_events(self, principal: Principal, conversation_id: str, *,
                             after_seq: int) -> tuple[VisitorConversation, list[LogEvent]]:
        conv = await self.get(conversation_id)
        access.check_visitor(principal, conv)
        events = await self._store.conversations.events_after(conv.id, after_seq,
                                                              agent_view=False)
        return await self._views.visitor_conversation(conv), events

    async def visitor_history(self, principal: Principal, req: r.GetHistory) -> r.History:
        conv = await self.get(req.conversation_id)
        access.check_visitor(principal, conv)
        events, more = await self._store.conversations.events_before(
            conv.id, req.before_seq, agent_view=False, limit=req.limit)
        return r.History(events=events, has_more=more)

    async def mark_read(self, conv: Conversation, side: str, up_to_seq: int,
                        actor: Actor) -> None:
        if up_to_seq > conv.last_seq:
            raise InvalidPayload("up_to_seq is beyond the end of the conversation")
        current = conv.visitor_read_seq if side == "visitor" else conv.agent_read_seq
        if up_to_seq <= current:
            return
        await self._journal.append(conv.id, [NewEvent(
            "messages_read", {"side": side, "up_to_seq": up_to_seq}, actor)])

    async def visitor_read(self, principal: Principal, req: r.MarkRead) -> None:
        conv = await self.get(req.conversation_id)
        access.check_visitor(principal, conv)
        await self.mark_read(conv, "visitor", req.up_to_seq, await self.visitor_actor(principal))

    # ---- agents ---------------------------------------------------------------------------

    async def readable(self, agent: AgentRecord, conversation_id: str) -> Conversation:
        return (await self._readable(agent, conversation_id))[0]

    async def _readable(self, agent: AgentRecord,
                        conversation_id: str) -> tuple[Conversation, bool]:
        """The conversation, and whether the agent reads it whole (internal notes included).
        An agent serving a shopper reads the shopper's earlier conversations for context; one
        of another team, as the shopper saw it: that team's internal notes are its own."""
        conv = await self.get(conversation_id)
        if access.can_read(agent, conv):
            return conv, True
        if not await self._serves_visitor(agent, conv.visitor_id):
            access.check(False)
        return conv, conv.team in agent.teams

    async def _serves_visitor(self, agent: AgentRecord, visitor_id: str) -> bool:
        """An agent serving a visitor may read that visitor's earlier conversations."""
        for conv in await self._store.conversations.find(visitor_id=visitor_id,
                                                         status=OPEN_FOR_VISITOR):
            if access.can_read(agent, conv):
                return True
        return False

    async def agent_send(self, agent: AgentRecord, req: r.SendMessage, *,
                         note: bool = False) -> r.Sent:
        conv = await self.get(req.conversation_id)
        access.check(access.can_write(agent, conv), "you cannot write in this conversation")
        batch = []
        if conv.status == "offline" and conv.agent_id != agent.id:
            # Answering an offline message makes it yours.
            batch.append(NewEvent("agent_joined", ev.AgentJoinedData(
                agent=agent_card(agent), role="assignee").model_dump(), agent_actor(agent)))
        batch.append(NewEvent("note_created" if note else "message_created",
                              {"client_id": req.client_id, "text": req.text},
                              agent_actor(agent), req.client_id))
        if batch[0].type == "agent_joined":
            await self._notifier.enter(agent_room(agent.id), conversation_room(conv.id), AGENT_NS)
        appended = await self._journal.append(conv.id, batch)
        if batch[0].type == "agent_joined":
            await self._dispatcher.inbox_changed(conv.team)
        if not note and appended.created:
            for hook in self.on_agent_message:
                await hook(appended.state)
        return r.Sent(seq=appended.events[-1].seq)

    async def agent_typing(self, agent: AgentRecord, req: r.Typing, sid: str) -> None:
        conv = await self.get(req.conversation_id)
        access.check(access.can_write(agent, conv), "you cannot write in this conversation")
        payload = n.TypingChanged(conversation_id=conv.id, side="agent", typing=req.typing,
                                  name=agent.display_name, agent_id=agent.id)
        await self._notifier.visitors(conversation_room(conv.id), "typing_changed", payload)
        await self._notifier.agents(conversation_room(conv.id), "typing_changed", payload,
                                    skip_sid=sid)

    async def agent_read(self, agent: AgentRecord, req: r.MarkRead) -> None:
        conv = await self.readable(agent, req.conversation_id)
        if conv.agent_id != agent.id and not access.joined_as_supervisor(agent, conv):
            return  # observers' reads are not the conversation's reads
        await self.mark_read(conv, "agent", req.up_to_seq, agent_actor(agent))

    async def agent_events(self, agent: AgentRecord, conversation_id: str, *,
                           after_seq: int) -> tuple[Conversation, list[LogEvent]]:
        conv, whole = await self._readable(agent, conversation_id)
        return conv, await self._store.conversations.events_after(conv.id, after_seq,
                                                                  agent_view=whole)

    async def agent_history(self, agent: AgentRecord, req: r.GetHistory) -> r.History:
        conv, whole = await self._readable(agent, req.conversation_id)
        events, more = await self._store.conversations.events_before(
            conv.id, req.before_seq, agent_view=whole, limit=req.limit)
        return r.History(events=events, has_more=more)

    async def agent_end(self, agent: AgentRecord, conversation_id: str) -> Conversation:
        conv = await self.get(conversation_id)
        access.check(access.can_manage(agent, conv), "you cannot end this conversation")
        reason = "closed_offline" if conv.status == "offline" else "agent_ended"
        return await self._dispatcher.end(conv.id, reason, agent_actor(agent))

    async def transfer(self, agent: AgentRecord, req: r.Transfer) -> Conversation:
        conv = await self.get(req.conversation_id)
        access.check(access.can_manage(agent, conv), "you cannot transfer this conversation")
        return await self._dispatcher.transfer(agent, conv.id, to_agent_id=req.to_agent_id,
                                               to_team=req.to_team, note=req.note)

    async def observe(self, agent: AgentRecord, conversation_id: str
                      ) -> tuple[Conversation, list[LogEvent]]:
        access.check(agent.is_supervisor, "only supervisors observe conversations")
        conv = await self.get(conversation_id)
        if conv.agent_id != agent.id and not access.is_participant(agent, conv) \
                and conv.status != "ended":
            await self._journal.append(conv.id, [NewEvent(
                "participant_added", {"agent_id": agent.id, "role": "observer"},
                agent_actor(agent))])
        await self._notifier.enter(agent_room(agent.id), conversation_room(conv.id), AGENT_NS)
        return await self.agent_events(agent, conv.id, after_seq=0)

    async def join(self, agent: AgentRecord, conversation_id: str) -> Conversation:
        access.check(agent.is_supervisor, "only supervisors join conversations")
        conv = await self.get(conversation_id)
        if conv.status != "active":
            raise Conflict("only an active conversation can be joined")
        if conv.agent_id == agent.id or access.joined_as_supervisor(agent, conv):
            return conv
        appended = await self._journal.append(conv.id, [NewEvent(
            "agent_joined", ev.AgentJoinedData(agent=agent_card(agent),
                                               role="supervisor").model_dump(),
            agent_actor(agent))])
        await self._notifier.enter(agent_room(agent.id), conversation_room(conv.id), AGENT_NS)
        return appended.state

    async def leave(self, agent: AgentRecord, conversation_id: str) -> None:
        conv = await self.get(conversation_id)
        if conv.agent_id == agent.id and conv.status == "active":
            raise Conflict("transfer or end the conversation instead")
        role = next((p.role for p in conv.participants if p.agent_id == agent.id), None)
        if role == "observer":
            await self._journal.append(conv.id, [NewEvent(
                "participant_removed", {"agent_id": agent.id, "role": "observer"},
                agent_actor(agent))])
        elif role == "supervisor":
            await self._journal.append(conv.id, [NewEvent(
                "agent_left", {"agent_id": agent.id, "reason": "left"}, agent_actor(agent))])
        await self._notifier.leave(agent_room(agent.id), conversation_room(conv.id), AGENT_NS)
