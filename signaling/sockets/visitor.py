"""The /visitor namespace: the widget on the store's page."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

import socketio

from ..auth import Tokens
from ..conversations import Conversations
from ..errors import AisleError, Unauthorized
from ..notifier import VISITOR_NS, conversation_room, site_room, visitor_room
from ..presence import Presence
from ..protocol import requests as r
from ..protocol.base import Empty
from ..protocol.common import Availability, VisitorConversation, VisitorProfile
from ..protocol.registry import VISITOR_REQUESTS
from ..store import Store
from ..visitors import Visitors
from .namespace import Namespace, Session, connection_lost
from .server import AisleServer

log = logging.getLogger(__name__)


@dataclass
class VisitorSession(Session):
    pass


def install(sio: AisleServer, *, tokens: Tokens, store: Store, conversations: Conversations,
            visitors: Visitors, presence: Presence) -> Namespace[VisitorSession]:
    ns: Namespace[VisitorSession] = Namespace(sio, VISITOR_NS, VISITOR_REQUESTS)

    async def connect(sid: str, environ: dict[str, Any], auth: Any) -> None:
        try:
            principal = tokens.verify(auth.get("token") if isinstance(auth, dict) else None)
            if principal.kind != "visitor":
                raise Unauthorized("not a visitor token")
            origin = environ.get("HTTP_ORIGIN")
            if origin is not None and origin != principal.origin:
                raise Unauthorized("the token was issued for another origin")
            if await store.visitors.get(principal.id) is None:  # erased since
                raise Unauthorized("this visitor no longer exists")
        except AisleError as exc:
            raise socketio.exceptions.ConnectionRefusedError(exc.message, exc.to_wire()) from None
        ns.sessions[sid] = VisitorSession(sid, principal)
        await sio.enter_room(sid, visitor_room(principal.id), namespace=VISITOR_NS)
        if principal.site_id:
            await sio.enter_room(sid, site_room(principal.site_id), namespace=VISITOR_NS)
        for conv in await store.conversations.find(visitor_id=principal.id,
                                                   status=("queued", "offered", "active",
                                                           "offline")):
            await sio.enter_room(sid, conversation_room(conv.id), namespace=VISITOR_NS)
        await presence.visitor_connected(principal.id, sid)

    async def disconnect(sid: str, reason: Any = None, *_: Any) -> None:
        session = ns.sessions.pop(sid, None)
        sio.guard.forget(sid)
        lost = connection_lost(reason)
        for hook in ns.on_disconnect:
            await hook(sid, lost)
        if session is not None:
            await presence.visitor_disconnected(session.principal.id, sid)

    @ns.handler("get_availability")
    async def get_availability(s: VisitorSession, _: Empty) -> Availability:
        site = await store.sites.get(s.principal.site_id or "")
        if site is None:
            return Availability()
        return await presence.availability(site)

    @ns.handler("start_conversation")
    async def start_conversation(s: VisitorSession, req: r.StartConversation
                                 ) -> VisitorConversation:
        conv = await conversations.start(s.principal, req)
        await sio.enter_room(s.sid, conversation_room(conv.id), namespace=VISITOR_NS)
        return conv

    @ns.handler("send_message")
    async def send_message(s: VisitorSession, req: r.SendMessage) -> r.Sent:
        return await conversations.visitor_send(s.principal, req)

    @ns.handler("typing")
    async def typing(s: VisitorSession, req: r.Typing) -> None:
        await conversations.visitor_typing(s.principal, req)

    @ns.handler("mark_read")
    async def mark_read(s: VisitorSession, req: r.MarkRead) -> None:
        await conversations.visitor_read(s.principal, req)

    @ns.handler("refresh_token")
    async def refresh_token(s: VisitorSession, _: Empty) -> r.Token:
        token, expires = tokens.refresh(s.principal)
        # The socket now holds the new token: its next refresh is checked against that.
        s.principal = replace(s.principal, expires_at=expires)
        return r.Token(token=token, expires_at=expires)

    @ns.handler("get_history")
    async def get_history(s: VisitorSession, req: r.GetHistory) -> r.History:
        return await conversations.visitor_history(s.principal, req)

    @ns.handler("resume")
    async def resume(s: VisitorSession, req: r.Resume) -> r.VisitorResumed:
        conv, events = await conversations.visitor_events(s.principal, req.conversation_id,
                                                          after_seq=req.after_seq)
        await sio.enter_room(s.sid, conversation_room(conv.id), namespace=VISITOR_NS)
        return r.VisitorResumed(conversation=conv, events=events)

    @ns.handler("leave_conversation")
    async def leave_conversation(s: VisitorSession, req: r.ConversationRef) -> None:
        await conversations.visitor_leave(s.principal, req.conversation_id)

    @ns.handler("rate_conversation")
    async def rate_conversation(s: VisitorSession, req: r.RateConversation) -> None:
        await conversations.rate(s.principal, req)

    @ns.handler("identify")
    async def identify(s: VisitorSession, req: r.Identify) -> VisitorProfile:
        return await visitors.identify(s.principal, req)

    @ns.handler("set_context")
    async def set_context(s: VisitorSession, req: r.SetContext) -> VisitorProfile:
        return await visitors.set_context(s.principal, req)

    @ns.handler("page_view")
    async def page_view(s: VisitorSession, req: r.ReportPageView) -> VisitorProfile:
        return await visitors.page_view(s.principal, req)

    sio.on("connect", connect, namespace=VISITOR_NS)
    sio.on("disconnect", disconnect, namespace=VISITOR_NS)
    return ns
