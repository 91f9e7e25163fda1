"""The Content-Security-Policy of the console and the review player. Scripts only from Aisle.
The co-browse mirror (an iframe that inherits this policy) shows the shopper's page as the
shopper's browser loaded it: its images, fonts and stylesheets come from the store, so the
sites' allowed origins and their `cobrowse.asset_origins` (a CDN, say) are allowed for those
three kinds, and nothing else is. A forged batch can therefore make an agent's browser fetch
only from the stores' own origins. Origins are read from the sites table, a few seconds old at
most, and only well-formed ones reach the header."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable

from ..store import Store
from ..store.sites import SiteRecord

# scheme://host[:port], nothing that could end a directive or add a keyword.
ORIGIN = re.compile(r"^https?://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$")
TTL_S = 5.0

FIXED = ("default-src 'self'; script-src 'self'; media-src 'self' blob:; connect-src 'self'; "
         "frame-src blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


def store_origins(sites: Iterable[SiteRecord]) -> list[str]:
    """Every well-formed origin the sites' pages and assets come from, in order, once."""
    seen: dict[str, None] = {}
    for site in sites:
        cobrowse = site.settings.get("cobrowse") or {}
        assets = cobrowse.get("asset_origins", []) if isinstance(cobrowse, dict) else []
        for origin in [*site.allowed_origins, *(assets if isinstance(assets, list) else [])]:
            if isinstance(origin, str) and ORIGIN.match(origin.rstrip("/")):
                seen.setdefault(origin.rstrip("/").lower(), None)
    return list(seen)


def policy(origins: Iterable[str]) -> str:
    extra = "".join(f" {o}" for o in origins)
    return (f"{FIXED}; style-src 'self' 'unsafe-inline'{extra}; "
            f"img-src 'self' data: blob:{extra}; font-src 'self' data:{extra}")


class ConsoleCsp:
    def __init__(self, store: Store, clock: Callable[[], float] = time.monotonic) -> None:
        self._store = store
        self._clock = clock
        self._value = policy(())
        self._until = float("-inf")

    async def value(self) -> str:
        now = self._clock()
        if now >= self._until:
            self._value = policy(store_origins(await self._store.sites.all()))
            self._until = now + TTL_S
        return self._value

    async def site_changed(self, _: SiteRecord) -> None:
        """A site's origins may have changed: read them again on the next page."""
        self._until = float("-inf")
