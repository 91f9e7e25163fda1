"""A site's recording policy (`sites.settings.recording`): chat is always recorded; co-browsing
and calls may be on or off; the shopper is notified (or asked) first; pages matching
`pause_urls` (shell-style patterns such as `*/checkout*`) are not recorded, and the gap is
logged; `retention_days` deletes old recordings; `agents_review_own` lets agents replay their
own conversations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from ..protocol.base import Model

# Pages not recorded unless the site says otherwise (`"pause_urls": []` records them too):
# masking keeps card fields out of a recording anyway; a store's checkout and payment pages
# are not worth the risk of a field the masking rules missed.
DEFAULT_PAUSE_URLS = ("*/checkout*", "*/payment*")


@dataclass(frozen=True)
class RecordingPolicy:
    cobrowse: bool = True
    calls: bool = True
    notice: Literal["notice", "consent"] = "notice"
    pause_urls: tuple[str, ...] = DEFAULT_PAUSE_URLS
    retention_days: int | None = None
    agents_review_own: bool = False

    @classmethod
    def of(cls, site_settings: Mapping[str, Any]) -> RecordingPolicy:
        raw = site_settings.get("recording") or {}
        retention = raw.get("retention_days")
        return cls(
            cobrowse=bool(raw.get("cobrowse", True)),
            calls=bool(raw.get("calls", True)),
            notice="consent" if raw.get("notice") == "consent" else "notice",
            pause_urls=tuple(str(p) for p in raw.get("pause_urls", DEFAULT_PAUSE_URLS)),
            retention_days=int(retention) if isinstance(retention, int) and retention > 0
            else None,
            agents_review_own=bool(raw.get("agents_review_own", False)),
        )

    def records_with(self, consent: bool) -> bool:
        """Whether a sharing or call the shopper answered with `consent` is recorded (the
        kind itself being on): where the site asks for consent, only with it."""
        return self.notice == "notice" or consent

    def paused_at(self, url: str) -> bool:
        """Ignoring case, as the widget's masking rules match addresses (`/Checkout/`)."""
        url = url.lower()
        return any(fnmatchcase(url, pattern.lower()) for pattern in self.pause_urls)


class RecordingSettings(Model):
    """`sites.settings.recording` as an operator writes it (`aisle sites set --recording`):
    checked strictly, so a typo is an error instead of a policy that silently differs."""

    cobrowse: bool = True
    calls: bool = True
    notice: Literal["notice", "consent"] = "notice"
    pause_urls: list[Annotated[str, StringConstraints(min_length=1, max_length=500)]] = list(
        DEFAULT_PAUSE_URLS)
    retention_days: Annotated[int, Field(gt=0, le=36_500)] | None = None
    agents_review_own: bool = False
