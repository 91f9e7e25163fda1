"""Retention (recordings older than a site's `retention_days` are deleted, hourly) and erasure
of one visitor's data on request: rows and files really gone, and both written to the audit
log (what was removed, not what it said)."""

from __future__ import annotations

import asyncio
import logging
import shutil
from pathlib import Path

from ..dispatcher import Dispatcher
from ..errors import Forbidden, NotFound
from ..ids import now_ms
from ..protocol.common import Actor
from ..protocol.review import Erasure
from ..store import Store
from ..store.agents import AgentRecord
from ..timers import Timers
from .policy import RecordingPolicy

log = logging.getLogger(__name__)

PURGE_INTERVAL_S = 3600.0
DAY_MS = 86_400_000


def _remove_folders(folders: list[Path]) -> int:
    removed = 0
    for folder in folders:
        if folder.exists():
            removed += sum(1 for p in folder.rglob("*") if p.is_file())
            shutil.rmtree(folder)
    return removed


class Retention:
    def __init__(self, store: Store, recordings: Path, dispatcher: Dispatcher,
                 timers: Timers) -> None:
        self._store = store
        self._recordings = recordings
        self._dispatcher = dispatcher
        self._timers = timers

    async def purge_expired(self) -> int:
        """Deletes every site's recordings past its retention; returns how many."""
        total = 0
        now = now_ms()
        for site in await self._store.sites.all():
            days = RecordingPolicy.of(site.settings).retention_days
            if days is None:
                continue
            cutoff = now - days * DAY_MS
            ids = await self._store.conversations.ended_before(site.id, cutoff)
            files = await asyncio.to_thread(_remove_folders,
                                            [self._recordings / cid for cid in ids])
            await self._store.conversations.delete(ids)
            # A shopper's profile (name, email, pages, the store's context) goes too once
            # nothing of theirs is left and they have not been seen for as long.
            profiles = await self._store.visitors.delete_idle(site.id, cutoff)
            if not ids and not profiles:
                continue
            await self._store.review.audit("system", "retention_purge", {
                "site_id": site.id, "retention_days": days, "conversations": len(ids),
                "files": files, "visitors": profiles})
            log.info("retention: deleted %d conversations (%d files) and %d visitor profiles "
                     "of site %s", len(ids), files, profiles, site.id)
            total += len(ids)
        return total

    async def watch(self) -> None:
        try:
            await self.purge_expired()
        finally:
            self._timers.schedule("retention", PURGE_INTERVAL_S, self.watch)

    async def erase_visitor(self, actor: AgentRecord, visitor_id: str) -> Erasure:
        if actor.role not in ("admin", "supervisor"):
            raise Forbidden("supervisors and admins erase visitors' data")
        if await self._store.visitors.get(visitor_id) is None:
            raise NotFound("no such visitor")
        convs = await self._store.conversations.find(visitor_id=visitor_id, limit=1_000_000)
        for conv in convs:
            if conv.status != "ended":
                await self._dispatcher.end(conv.id, "visitor_ended", Actor(kind="system"))
        ids = [c.id for c in convs]
        files = await asyncio.to_thread(_remove_folders, [self._recordings / cid for cid in ids])
        await self._store.conversations.delete(ids)
        await self._store.visitors.delete(visitor_id)
        await self._store.review.audit(actor.id, "visitor_erased", {
            "visitor_id": visitor_id, "conversations": len(ids), "files": files,
            "login": actor.login})
        log.info("erased visitor %s: %d conversations, %d files", visitor_id, len(ids), files)
        return Erasure(visitor_id=visitor_id, conversations=len(ids), files=files)
