"""ICE consent freshness (RFC 7675) on our peers' connections: how often consent is checked,
how many unanswered checks end it, and a word to the peer when they do, so that a client whose
network went away without a word is told apart from one that closed its connection.

aioice 0.13.0 checks every 5 s ±20 % and gives up after 6 unanswered checks (ice.py:27-28,
:1249-1275), ≈33 s; it then closes the connection, which aiortc reports as it reports a clean
close by the client ("closed"). Our `Connection.query_consent` checks the same way, at the
interval and count `watching()` gives, and calls its `on_expired` before closing. It is scoped
like media.ice's hook: aiortc starts the checks in its connect task, which inherits the context
of our `setLocalDescription`; every other Connection keeps aioice's figures and behaviour.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

import aioice
import aioice.ice
import aioice.stun
import aiortc

from media.ice import AIOICE_VERSION
from media.passthrough import AIORTC_VERSION

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Consent:
    interval_s: float  # between checks, ±20 % as aioice (RFC 7675: randomized)
    failures: int  # unanswered checks in a row that end the connection
    on_expired: Callable[[], None]  # called once, before the connection is closed


_watch: ContextVar[Consent | None] = ContextVar("aisle_ice_consent", default=None)
_installed = False


@contextlib.contextmanager
def watching(consent: Consent) -> Iterator[None]:
    """Connections that start checking consent inside this block follow `consent`."""
    install()
    token = _watch.set(consent)
    try:
        yield
    finally:
        _watch.reset(token)


def install() -> None:
    global _installed
    if _installed:
        return
    if aioice.__version__ != AIOICE_VERSION:
        raise RuntimeError(f"media.consent hooks aioice {AIOICE_VERSION}, found "
                           f"{aioice.__version__}")
    # The setting reaches aioice's consent task through the tasks aiortc's connect starts:
    # that structure is aiortc's, pinned with its other hooks.
    if aiortc.__version__ != AIORTC_VERSION:
        raise RuntimeError(f"media.consent relies on aiortc {AIORTC_VERSION}'s tasks, found "
                           f"{aiortc.__version__}")
    setattr(aioice.ice.Connection, "query_consent", _query_consent)  # noqa: B010
    _installed = True


async def _query_consent(self: aioice.ice.Connection) -> None:
    """aioice's consent loop (ice.py:1249-1275), at the watched figures, saying when it ends."""
    watch = _watch.get()
    interval = watch.interval_s if watch is not None else aioice.ice.CONSENT_INTERVAL
    limit = watch.failures if watch is not None else aioice.ice.CONSENT_FAILURES
    if self.remote_password is None:  # (aioice asserts it: checks start after connect())
        raise RuntimeError("consent checks before the remote password is known")
    key = self.remote_password.encode("utf8")
    failures = 0
    while True:
        await asyncio.sleep(interval * (0.8 + 0.4 * random.random()))
        for pair in self._nominated.values():
            request = self.build_request(pair, nominate=False)
            try:
                await pair.protocol.request(request, pair.remote_addr, integrity_key=key,
                                            retransmissions=0)
                failures = 0
            except aioice.stun.TransactionError:
                failures += 1
            if failures >= limit:
                # As aioice: forget the task first, so that close() does not cancel it.
                self._query_consent_task = None
                if watch is not None:
                    try:
                        watch.on_expired()
                    except Exception:  # the connection must close all the same
                        logger.exception("ICE consent expiry: the peer could not be told")
                await self.close()
                return
