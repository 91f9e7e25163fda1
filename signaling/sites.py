"""Managing sites from the browser (admins only): list, show, create and change a site with the
rules `aisle sites` uses (site_settings.py), then tell whoever keeps something of a site
(widgets' availability, the recording policy and console CSP caches) that it changed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from .errors import Forbidden, NotFound
from .protocol import sites as ps
from .protocol.common import CobrowsePolicy, Theme, Topic
from .review.policy import RecordingPolicy, RecordingSettings
from .site_settings import change_site, create_site, embed_tag, timezones
from .store import Store
from .store.agents import AgentRecord
from .store.sites import SiteRecord

log = logging.getLogger(__name__)


def site_view(site: SiteRecord, script_base: str) -> ps.Site:
    """A site as admins see it; settings are read the way the server applies them, so what
    the page shows is what shoppers get."""
    policy = RecordingPolicy.of(site.settings)
    return ps.Site(
        id=site.id, key=site.key, name=site.name, origins=list(site.allowed_origins),
        hours=site.business_hours, timezone=site.timezone,
        topics=[Topic.model_validate(t) for t in site.settings.get("topics", [])],
        theme=Theme.model_validate(site.settings.get("theme", {})),
        cobrowse=CobrowsePolicy.model_validate(site.settings.get("cobrowse", {})),
        recording=RecordingSettings(
            cobrowse=policy.cobrowse, calls=policy.calls, notice=policy.notice,
            pause_urls=list(policy.pause_urls), retention_days=policy.retention_days,
            agents_review_own=policy.agents_review_own),
        embed=embed_tag(script_base, site.key), enabled=site.enabled)


class Sites:
    def __init__(self, store: Store) -> None:
        self._store = store
        # One change at a time: each merges into the settings as stored, so two saves at
        # once must not drop the other's keys.
        self._lock = asyncio.Lock()
        # Called after a site was created or changed: caches and open widgets follow.
        self.on_changed: list[Callable[[SiteRecord], Awaitable[None]]] = []

    async def overview(self, actor: AgentRecord, script_base: str) -> ps.SiteList:
        self.require_admin(actor)
        return ps.SiteList(
            sites=[site_view(s, script_base) for s in await self._store.sites.all()],
            teams=await self._store.agents.list_teams(), timezones=list(timezones()))

    async def get(self, actor: AgentRecord, key: str) -> SiteRecord:
        self.require_admin(actor)
        site = await self._store.sites.get_by_key(key) if len(key) <= 64 else None
        if site is None:
            raise NotFound("no such site")
        return site

    async def create(self, actor: AgentRecord, req: ps.NewSite) -> SiteRecord:
        self.require_admin(actor)
        async with self._lock:
            site = await create_site(self._store, req.model_dump(mode="json",
                                                                 exclude_unset=True))
        log.info("%s created the site %s", actor.id, site.id)
        return await self._changed(site)

    async def change(self, actor: AgentRecord, key: str, req: ps.SiteChanges) -> SiteRecord:
        async with self._lock:
            site = await self.get(actor, key)
            written = await change_site(self._store, site,
                                        req.model_dump(mode="json", exclude_unset=True))
        if written:
            log.info("%s changed the site %s: %s", actor.id, site.id, ", ".join(written))
        return await self._changed(site)

    @staticmethod
    def require_admin(actor: AgentRecord) -> None:
        if actor.role != "admin":
            raise Forbidden("only admins manage sites")

    async def _changed(self, site: SiteRecord) -> SiteRecord:
        fresh = await self._store.sites.get(site.id) or site
        for hook in self.on_changed:
            await hook(fresh)
        return fresh
