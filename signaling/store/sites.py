"""Sites: a store that embeds the widget — its key, allowed origins, hours, theme and topics."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..ids import SiteId, new_site_id, now_ms
from .schema import sites

if TYPE_CHECKING:
    from .store import Store

# In a site's allowed origins, the Aisle server's own origin (the demo store lives there).
SELF_ORIGIN = "self"


@dataclass(frozen=True)
class SiteRecord:
    id: SiteId
    key: str
    name: str
    allowed_origins: list[str]
    business_hours: dict[str, list[str]] | None
    timezone: str
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        """False once an admin turned the site off: no widget loads, no chat starts."""
        return self.settings.get("enabled", True) is not False

    def topic_label(self, topic: str) -> str | None:
        """What the shopper picked, as the site names it (None: no longer one of its topics)."""
        for t in self.settings.get("topics", []):
            if isinstance(t, dict) and t.get("id") == topic and isinstance(t.get("label"), str):
                return str(t["label"])
        return None


def _record(row: sa.Row[Any]) -> SiteRecord:
    return SiteRecord(
        id=SiteId(row.id),
        key=row.key,
        name=row.name,
        allowed_origins=list(row.allowed_origins),
        business_hours=row.business_hours,
        timezone=row.timezone,
        settings=dict(row.settings),
    )


class SiteRepo:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def create(
        self,
        *,
        key: str,
        name: str,
        allowed_origins: list[str],
        settings: dict[str, Any],
        business_hours: dict[str, list[str]] | None = None,
        timezone: str = "UTC",
    ) -> SiteRecord:
        record = SiteRecord(new_site_id(), key, name, allowed_origins, business_hours, timezone,
                            settings)
        async with self._store.write() as conn:
            await conn.execute(
                sites.insert().values(
                    id=record.id, key=key, name=name, allowed_origins=allowed_origins,
                    business_hours=business_hours, timezone=timezone, settings=settings,
                    created_at=now_ms(),
                )
            )
        return record

    async def update(self, site_id: SiteId, **values: Any) -> None:
        async with self._store.write() as conn:
            await conn.execute(sites.update().where(sites.c.id == site_id).values(**values))

    async def get(self, site_id: str) -> SiteRecord | None:
        async with self._store.read() as conn:
            row = (await conn.execute(sites.select().where(sites.c.id == site_id))).first()
        return _record(row) if row else None

    async def get_by_key(self, key: str) -> SiteRecord | None:
        async with self._store.read() as conn:
            row = (await conn.execute(sites.select().where(sites.c.key == key))).first()
        return _record(row) if row else None

    async def all(self) -> list[SiteRecord]:
        async with self._store.read() as conn:
            rows = (await conn.execute(sites.select().order_by(sites.c.created_at))).all()
        return [_record(r) for r in rows]
