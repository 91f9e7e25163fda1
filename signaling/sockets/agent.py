"""The /agent namespace: the agent console and the supervisors' dashboard."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

import socketio

from .. import access
from ..accounts import check_session
from ..auth import Tokens
from ..conversations import Conversations
from ..dashboard import DashboardPublisher
from ..dispatcher import Dispatcher
from ..errors import AisleError, Forbidden, InvalidPayload, NotFound, Unauthorized
from ..notifier import AGENT_NS, SUPERVISORS, agent_room, conversation_room, team_room, wire
from ..presence import Presence
from ..protocol import notifications as n
from ..protocol import requests as r
from ..protocol.base import Empty
from ..protocol.common import AgentInfo, Conversation
from ..protocol.registry import AGENT_REQUESTS
from ..settings import Settings
from ..store import Store, search
from ..store.agents import AgentRecord
from ..views import agent_info, site_config
from .namespace import Namespace, Session, connection_lost
from .server import AisleServer

log = logging.getLogger(__name__)


@dataclass
class AgentSession(Session):
    # As of the handshake (or the last resync): a change of role closes the socket, a change
    # of teams moves it between team rooms (sockets/sessions.py).
    role: str = ""
    teams: frozenset[str] = frozenset()


def own_origin(environ: dict[str, Any]) -> str:
    scheme = environ.get("HTTP_X_FORWARDED_PROTO") or environ.get("wsgi.url_scheme", "http")
    return f"{scheme}://{environ.get('HTTP_HOST', '')}"


async def team_rooms_of(store: Store, record: AgentRecord) -> frozenset[str]:
    """The teams whose queues the agent's sockets follow: supervisors all, agents their own."""
    return frozenset(await store.agents.list_teams() if record.is_supervisor else record.teams)


async def current_agent(store: Store, session: Session) -> AgentRecord:
    """Read fresh on every request: teams, role and status changes apply at once, and a
    disabled account or an ended session is refused."""
    return check_session(session.principal, await store.agents.get(session.principal.id))


def install(sio: AisleServer, *, settings: Settings, tokens: Tokens, store: Store,
            conversations: Conversations, dispatcher: Dispatcher, presence: Presence,
            dashboard: DashboardPublisher) -> Namespace[AgentSession]:
    ns: Namespace[AgentSession] = Namespace(sio, AGENT_NS, AGENT_REQUESTS)

    async def me(s: AgentSession) -> AgentRecord:
        return await current_agent(store, s)

    async def connect(sid: str, environ: dict[str, Any], auth: Any) -> None:
        try:
            principal = tokens.verify(auth.get("token") if isinstance(auth, dict) else None)
            if principal.kind != "agent":
                raise Unauthorized("not an agent token")
            origin = environ.get("HTTP_ORIGIN")
            if origin is not None and origin not in (own_origin(environ),
                                                     *settings.agent_origins):
                raise Unauthorized("the console must be opened from Aisle's own origin")
            record = check_session(principal, await store.agents.get(principal.id))
        except AisleError as exc:
            raise socketio.exceptions.ConnectionRefusedError(exc.message, exc.to_wire()) from None
        # Supervisors watch every team's queue; agents their own teams'.
        teams = await team_rooms_of(store, record)
        ns.sessions[sid] = AgentSession(sid, principal, role=record.role, teams=teams)
        await sio.enter_room(sid, agent_room(record.id), namespace=AGENT_NS)
        for team in teams:
            await sio.enter_room(sid, team_room(team), namespace=AGENT_NS)
        if record.is_supervisor:
            await sio.enter_room(sid, SUPERVISORS, namespace=AGENT_NS)
        for conv in await conversations_of(record):
            await sio.enter_room(sid, conversation_room(conv.id), namespace=AGENT_NS)
        await presence.agent_connected(record, sid)

    async def conversations_of(record: AgentRecord) -> list[Conversation]:
        held = await store.conversations.find(status=["active", "offline"], agent_id=record.id)
        if record.is_supervisor:
            for conv in await store.conversations.find(status=["active"]):
                if access.is_participant(record, conv) and conv not in held:
                    held.append(conv)
        return held

    async def disconnect(sid: str, reason: Any = None, *_: Any) -> None:
        session = ns.sessions.pop(sid, None)
        sio.guard.forget(sid)
        lost = connection_lost(reason)
        for hook in ns.on_disconnect:
            await hook(sid, lost)
        if session is not None:
            await presence.agent_disconnected(session.principal.id, sid)

    @ns.handler("set_status")
    async def set_status(s: AgentSession, req: r.SetStatus) -> AgentInfo:
        return await presence.set_status(await me(s), req.status, hand_back=req.hand_back)

    @ns.handler("update_profile")
    async def update_profile(s: AgentSession, req: r.UpdateProfile) -> AgentInfo:
        await me(s)  # a disabled account or an ended session changes nothing
        await store.agents.update(s.principal.id, display_name=req.display_name)
        record = await me(s)
        dashboard.touch()
        return agent_info(record, None)

    @ns.handler("get_queue")
    async def get_queue(s: AgentSession, _: Empty) -> r.QueueSnapshot:
        record = await me(s)
        entries = [e for e in await dispatcher.waiting()
                   if record.is_supervisor or e.team in record.teams]
        states = [c for c in [await store.conversations.get(e.conversation_id) for e in entries]
                  if c is not None]
        return r.QueueSnapshot(conversations=await store.conversations.summaries(states))

    @ns.handler("list_conversations")
    async def list_conversations(s: AgentSession, _: Empty) -> r.MyConversations:
        record = await me(s)
        return r.MyConversations(conversations=await conversations_of(record),
                                 offers=await store.conversations.offered_to(record.id))

    @ns.handler("get_conversation")
    async def get_conversation(s: AgentSession, req: r.ConversationRef) -> Conversation:
        return await conversations.readable(await me(s), req.conversation_id)

    @ns.handler("accept_offer")
    async def accept_offer(s: AgentSession, req: r.ConversationRef) -> Conversation:
        return await dispatcher.accept(await me(s), req.conversation_id)

    @ns.handler("take_conversation")
    async def take_conversation(s: AgentSession, req: r.ConversationRef) -> Conversation:
        return await dispatcher.take(await me(s), req.conversation_id)

    @ns.handler("decline_offer")
    async def decline_offer(s: AgentSession, req: r.ConversationRef) -> None:
        await dispatcher.decline(await me(s), req.conversation_id)

    @ns.handler("send_message")
    async def send_message(s: AgentSession, req: r.SendMessage) -> r.Sent:
        return await conversations.agent_send(await me(s), req)

    @ns.handler("send_note")
    async def send_note(s: AgentSession, req: r.SendNote) -> r.Sent:
        return await conversations.agent_send(await me(s), req, note=True)

    @ns.handler("typing")
    async def typing(s: AgentSession, req: r.Typing) -> None:
        await conversations.agent_typing(await me(s), req, s.sid)

    @ns.handler("mark_read")
    async def mark_read(s: AgentSession, req: r.MarkRead) -> None:
        await conversations.agent_read(await me(s), req)

    @ns.handler("refresh_token")
    async def refresh_token(s: AgentSession, _: Empty) -> r.Token:
        await me(s)
        token, expires = tokens.refresh(s.principal)
        # The socket now holds the new token: its next refresh is checked against that.
        s.principal = replace(s.principal, expires_at=expires)
        return r.Token(token=token, expires_at=expires)

    @ns.handler("get_history")
    async def get_history(s: AgentSession, req: r.GetHistory) -> r.History:
        return await conversations.agent_history(await me(s), req)

    @ns.handler("resume")
    async def resume(s: AgentSession, req: r.Resume) -> r.AgentResumed:
        agent = await me(s)
        conv, events = await conversations.agent_events(agent, req.conversation_id,
                                                        after_seq=req.after_seq)
        if conv.status == "offline" and access.can_write(agent, conv):
            # A message left, opened from the team's inbox: this console follows it live (the
            # shopper's presence, a new message) while someone may answer it.
            await sio.enter_room(s.sid, conversation_room(conv.id), namespace=AGENT_NS)
        return r.AgentResumed(conversation=conv, events=events,
                              visitor_online=await presence.visitor_online(conv.visitor_id))

    @ns.handler("transfer")
    async def transfer(s: AgentSession, req: r.Transfer) -> Conversation:
        return await conversations.transfer(await me(s), req)

    @ns.handler("end_conversation")
    async def end_conversation(s: AgentSession, req: r.ConversationRef) -> Conversation:
        return await conversations.agent_end(await me(s), req.conversation_id)

    @ns.handler("get_visitor")
    async def get_visitor(s: AgentSession, req: r.GetVisitor) -> r.VisitorDetails:
        record = await me(s)
        history = await store.conversations.find(visitor_id=req.visitor_id, newest_first=True,
                                                 limit=50)
        if not history:
            raise NotFound("no such visitor")
        if not any(access.can_read(record, c) for c in history):
            raise Forbidden("you are not serving this visitor")
        visitor = await store.visitors.get(req.visitor_id)
        if visitor is None:
            raise NotFound("no such visitor")
        return r.VisitorDetails(visitor=visitor,
                                conversations=await store.conversations.summaries(history),
                                online=await presence.visitor_online(req.visitor_id))

    @ns.handler("list_offline")
    async def list_offline(s: AgentSession, req: r.ListOffline) -> r.Inbox:
        record = await me(s)
        found = await store.conversations.find(status=["offline"], newest_first=True)
        mine = [c for c in found if record.is_supervisor or c.team in record.teams]
        if not req.include_answered:
            mine = [c for c in mine if c.agent_id is None]
        return r.Inbox(conversations=await store.conversations.summaries(mine))

    @ns.handler("search_conversations")
    async def search_conversations(s: AgentSession, req: r.SearchConversations) -> r.Inbox:
        record = await me(s)
        found = await search.find_conversations(
            store, req.text, agent_id=None if record.is_supervisor else record.id,
            teams=record.teams, limit=req.limit)
        return r.Inbox(conversations=await store.conversations.summaries(found))

    @ns.handler("list_canned")
    async def list_canned(s: AgentSession, _: Empty) -> r.CannedList:
        record = await me(s)
        return r.CannedList(responses=await store.canned.visible_to(record.id, record.teams))

    @ns.handler("save_canned")
    async def save_canned(s: AgentSession, req: r.SaveCanned) -> r.CannedResponse:
        record = await me(s)
        if req.id is not None:
            existing = await store.canned.get(req.id)
            if existing is None:
                raise NotFound("no such canned response")
            check_canned_rights(record, existing[0].team, existing[1])
        team = req.team if req.scope == "team" else None
        if req.scope == "team":
            if team is None:
                raise InvalidPayload("a team canned response needs its team")
            check_canned_rights(record, team, None)
            if team not in await store.agents.list_teams():
                raise NotFound(f"no team {team!r}")
        saved = await store.canned.save(canned_id=req.id,
                                        agent_id=record.id if team is None else None,
                                        team=team, shortcut=req.shortcut, text=req.text)
        if req.id is not None and existing is not None and existing[0].team not in (None, team):
            await canned_changed(record, existing[0].team)  # moved from another team
        await canned_changed(record, team)
        return saved

    @ns.handler("delete_canned")
    async def delete_canned(s: AgentSession, req: r.CannedRef) -> None:
        record = await me(s)
        existing = await store.canned.get(req.id)
        if existing is None:
            raise NotFound("no such canned response")
        check_canned_rights(record, existing[0].team, existing[1])
        await store.canned.delete(req.id)
        await canned_changed(record, existing[0].team)

    async def canned_changed(record: AgentRecord, team: str | None) -> None:
        """Every console that lists the response (the agent's other tabs, the team's agents)
        lists them again."""
        await sio.emit("canned_changed",
                       wire(n.CannedChanged(scope="personal" if team is None else "team",
                                            team=team)),
                       room=[agent_room(record.id)] + ([team_room(team)] if team else []),
                       namespace=AGENT_NS)

    @ns.handler("list_agents")
    async def list_agents(s: AgentSession, _: Empty) -> r.AgentList:
        await me(s)
        presence_now = await presence.agents_presence()
        return r.AgentList(
            agents=[agent_info(a, presence_now.get(a.id)) for a in await store.agents.all()
                    if not a.disabled],
            teams=await store.agents.list_teams())

    @ns.handler("list_topics")
    async def list_topics(s: AgentSession, _: Empty) -> r.TopicList:
        await me(s)
        return r.TopicList(topics=[
            r.SiteTopic(site_id=site.id, id=t.id, label=t.label, team=t.team)
            for site in await store.sites.all() for t in site_config(site).topics])

    @ns.handler("get_dashboard")
    async def get_dashboard(s: AgentSession, _: Empty) -> r.Dashboard:
        access.check((await me(s)).is_supervisor, "only supervisors see the dashboard")
        return await dashboard.build()

    @ns.handler("observe")
    async def observe(s: AgentSession, req: r.ConversationRef) -> r.ObserveResult:
        conv, events = await conversations.observe(await me(s), req.conversation_id)
        return r.ObserveResult(conversation=conv, events=events,
                               visitor_online=await presence.visitor_online(conv.visitor_id))

    @ns.handler("join_conversation")
    async def join_conversation(s: AgentSession, req: r.ConversationRef) -> Conversation:
        return await conversations.join(await me(s), req.conversation_id)

    @ns.handler("leave_conversation")
    async def leave_conversation(s: AgentSession, req: r.ConversationRef) -> None:
        await conversations.leave(await me(s), req.conversation_id)

    sio.on("connect", connect, namespace=AGENT_NS)
    sio.on("disconnect", disconnect, namespace=AGENT_NS)
    return ns


def check_canned_rights(agent: AgentRecord, team: str | None, owner: str | None) -> None:
    """Personal responses belong to their agent; team ones are edited by supervisors."""
    if team is None:
        if owner != agent.id:
            raise Forbidden("this canned response is someone else's")
        return
    if not agent.is_supervisor:
        raise Forbidden("only supervisors edit a team's canned responses")
    if agent.role != "admin" and team not in agent.teams:
        raise Forbidden("you are not in that team")
