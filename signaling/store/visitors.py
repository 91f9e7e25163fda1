"""Visitors: the anonymous id the widget keeps, what the store tells us, and where they browse."""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..errors import NotFound
from ..ids import VisitorId, new_visitor_id, now_ms
from ..protocol.common import PageView, VisitorProfile
from .schema import conversations, visitors

if TYPE_CHECKING:
    from .store import Store

# Shoppers with a widget open; 2.5-40 KB each (their pages and context), so tens of MB.
CACHE_SIZE = 5_000


def _profile(row: Any) -> VisitorProfile:
    return VisitorProfile(
        id=row.id, site_id=row.site_id, name=row.name, email=row.email,
        current_page=PageView.model_validate(row.current_page) if row.current_page else None,
        pages_visited=[PageView.model_validate(p) for p in row.pages_visited],
        context=dict(row.context), created_at=row.created_at, last_seen_at=row.last_seen_at,
    )


class VisitorRepo:
    def __init__(self, store: Store) -> None:
        self._store = store
        # Single node: profiles as last written (only this process writes them).
        self._cache: OrderedDict[str, VisitorProfile] | None = (
            None if store.locks_rows else OrderedDict())

    def _remember(self, profile: VisitorProfile) -> VisitorProfile:
        if self._cache is not None:
            self._cache[profile.id] = profile
            self._cache.move_to_end(profile.id)
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return profile

    async def create(self, site_id: str) -> VisitorProfile:
        visitor_id = new_visitor_id()
        now = now_ms()
        async with self._store.write() as conn:
            await conn.execute(visitors.insert().values(
                id=visitor_id, site_id=site_id, pages_visited=[], context={},
                created_at=now, last_seen_at=now))
        return self._remember(VisitorProfile(id=visitor_id, site_id=site_id, created_at=now,
                                             last_seen_at=now))

    async def get(self, visitor_id: str) -> VisitorProfile | None:
        if self._cache is not None and visitor_id in self._cache:
            return self._cache[visitor_id]
        async with self._store.read() as conn:
            row = (await conn.execute(
                visitors.select().where(visitors.c.id == visitor_id))).first()
        return self._remember(_profile(row)) if row else None

    async def update(self, visitor_id: VisitorId | str, **values: Any) -> VisitorProfile:
        values["last_seen_at"] = now_ms()
        async with self._store.write() as conn:
            await conn.execute(visitors.update().where(visitors.c.id == visitor_id)
                               .values(**values))
            row = (await conn.execute(
                visitors.select().where(visitors.c.id == visitor_id))).first()
        if row is None:
            raise NotFound("unknown visitor")
        return self._remember(_profile(row))

    async def with_email(self, email: str) -> list[VisitorProfile]:
        """Every visitor (one per browser and site) who gave this address, ignoring case."""
        async with self._store.read() as conn:
            rows = (await conn.execute(visitors.select().where(
                sa.func.lower(visitors.c.email) == email.strip().lower())
                .order_by(visitors.c.last_seen_at.desc()))).all()
        return [_profile(r) for r in rows]

    async def delete_idle(self, site_id: str, seen_before_ms: int) -> int:
        """Deletes the site's visitor profiles (name, email, pages, context) not seen since
        `seen_before_ms` that have no conversation left; how many."""
        held = sa.select(conversations.c.visitor_id).where(
            conversations.c.visitor_id == visitors.c.id)
        async with self._store.write() as conn:
            ids = [r[0] for r in (await conn.execute(
                sa.select(visitors.c.id).where(visitors.c.site_id == site_id,
                                               visitors.c.last_seen_at < seen_before_ms,
                                               ~sa.exists(held)))).all()]
            if ids:
                await conn.execute(visitors.delete().where(visitors.c.id.in_(ids)))
        if self._cache is not None:
            for visitor_id in ids:
                self._cache.pop(visitor_id, None)
        return len(ids)

    async def delete(self, visitor_id: str) -> bool:
        if self._cache is not None:
            self._cache.pop(visitor_id, None)
        async with self._store.write() as conn:
            result = await conn.execute(visitors.delete().where(visitors.c.id == visitor_id))
        return bool(result.rowcount)
