"""Visitor sessions and profiles: the REST call that starts a widget session (site key, Origin,
returning visitors), and what the store and the widget tell us about the visitor."""

from __future__ import annotations

import logging

import orjson

from .auth import Principal, Tokens
from .conversations import OPEN_FOR_VISITOR, Conversations
from .errors import Forbidden, InvalidPayload, NotFound, SiteDisabled, TooLarge
from .ids import now_ms
from .logs import RateLimitedLog
from .notifier import Notifier, conversation_room
from .presence import Presence
from .protocol import notifications as n
from .protocol import requests as r
from .protocol.common import PageView, VisitorProfile
from .protocol.rest import CreateVisitorSession, VisitorSession
from .settings import Settings
from .store import Store
from .store.sites import SELF_ORIGIN, SiteRecord
from .views import Views, site_config

log = logging.getLogger(__name__)



def origin_allowed(site: SiteRecord, origin: str | None, own_origin: str) -> bool:
    if not origin:
        return False
    for allowed in site.allowed_origins:
        if allowed == "*" or allowed.rstrip("/") == origin:
            return True
        if allowed == SELF_ORIGIN and origin == own_origin:
            return True
    return False


def _shown(origin: str | None, limit: int = 120) -> str:
    """An origin as logged: a header's worth of text from anyone, cut short."""
    if origin is None:
        return "(no Origin header)"
    return origin if len(origin) <= limit else origin[:limit] + "…"

class Visitors:
    def __init__(self, settings: Settings, store: Store, tokens: Tokens,
                 conversations: Conversations, presence: Presence, notifier: Notifier,
                 views: Views, *, email_replies: bool = False) -> None:
        self._settings = settings
        self._store = store
        self._tokens = tokens
        self._conversations = conversations
        self._presence = presence
        self._notifier = notifier
        self._views = views
        self._email_replies = email_replies
        # Refused origins, said to whoever runs the server a few times a minute per site (not
        # per origin: anyone can send as many origins as they like).
        self._refusals = RateLimitedLog(log, per_minute=3)

    async def create_session(self, req: CreateVisitorSession, origin: str | None,
                             own_origin: str) -> VisitorSession:
        site = await self._store.sites.get_by_key(req.site_key)
        if site is None:
            raise NotFound("unknown site key")
        if not origin_allowed(site, origin, own_origin):
            # Said to whoever runs the server: the page only sees a failed request.
            self._refusals.warning(f"origin:{site.key}",
                                   "widget refused on %s: not an allowed origin of the site %s "
                                   "(aisle sites set %s --origin …, or the Sites page)",
                                   _shown(origin), site.key, site.key)
            raise Forbidden("this page's origin is not allowed for the site", origin=origin)
        visitor = None
        if req.visitor_key:
            found = self._tokens.read_visitor_key(req.visitor_key, site.id)
            if found:
                visitor = await self._store.visitors.get(found[0])
                lapsed = now_ms() - self._settings.visitor_key_ttl_days * 86_400_000
                if visitor is not None and not found[1] and visitor.last_seen_at < lapsed:
                    visitor = None  # a key from before keys lapsed, unused as long as one may be
        if visitor is None and not site.enabled:
            raise SiteDisabled("chat is turned off for this site")
        if visitor is None:
            visitor = await self._store.visitors.create(site.id)
        principal = Principal(kind="visitor", id=visitor.id, site_id=site.id, origin=origin)
        conv = await self._conversations.open_for_visitor(principal)
        if conv is None and not site.enabled:
            # A site turned off lets the chats already open finish, and starts no other.
            raise SiteDisabled("chat is turned off for this site")
        token, expires = self._tokens.issue(principal)
        return VisitorSession(
            visitor_id=visitor.id,
            visitor_key=self._tokens.visitor_key(visitor.id, site.id),
            token=token, expires_at=expires, site=site_config(site),
            availability=await self._presence.availability(site),
            conversation=await self._views.visitor_conversation(conv) if conv else None,
            email_replies=self._email_replies,
        )

    async def identify(self, principal: Principal, req: r.Identify) -> VisitorProfile:
        values = {k: v for k, v in (("name", req.name), ("email", req.email)) if v is not None}
        return await self._update(principal, **values)

    async def set_context(self, principal: Principal, req: r.SetContext) -> VisitorProfile:
        current = await self._profile(principal)
        merged = {**current.context, **req.context}
        merged = {k: v for k, v in merged.items() if v is not None}  # None removes a key
        try:
            size = len(orjson.dumps(merged))
        except orjson.JSONEncodeError:  # nested deeper than orjson writes (254 levels)
            raise InvalidPayload("context is nested too deeply") from None
        if size > self._settings.max_context_bytes:
            raise TooLarge(f"context is limited to {self._settings.max_context_bytes} bytes")
        return await self._update(principal, context=merged)

    async def page_view(self, principal: Principal, req: r.ReportPageView) -> VisitorProfile:
        current = await self._profile(principal)
        page = PageView(url=req.url, title=req.title, at=now_ms())
        pages = [*current.pages_visited, page][-self._settings.max_pages_visited:]
        return await self._update(principal, current_page=page.model_dump(),
                                  pages_visited=[p.model_dump() for p in pages])

    async def _profile(self, principal: Principal) -> VisitorProfile:
        profile = await self._store.visitors.get(principal.id)
        if profile is None:
            raise NotFound("unknown visitor")
        return profile

    async def _update(self, principal: Principal, **values: object) -> VisitorProfile:
        profile = await self._store.visitors.update(principal.id, **values)
        for conv in await self._store.conversations.find(visitor_id=principal.id,
                                                         status=OPEN_FOR_VISITOR):
            await self._notifier.agents(conversation_room(conv.id), "visitor_updated",
                                        n.VisitorUpdated(visitor=profile))
        return profile
