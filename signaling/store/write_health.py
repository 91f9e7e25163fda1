"""Whether the database takes writes: a full disk, an I/O error or a lost database server
fails every write while reads (and /readyz's SELECT) still work. The store notes each write's
outcome here; /readyz answers 503 while the last write failed, and the failure is logged as an
error that says what it is, once a minute, instead of as one warning per message refused."""

from __future__ import annotations

import logging
import sqlite3

import sqlalchemy as sa

from ..logs import RateLimitedLog

log = logging.getLogger(__name__)

# Errors of the database itself, not of a statement (a constraint is the caller's business).
STORAGE_ERRORS: tuple[type[Exception], ...] = (sa.exc.OperationalError, sa.exc.InterfaceError,
                                               sqlite3.OperationalError)


class WriteHealth:
    def __init__(self) -> None:
        self.failure: str | None = None  # the last write's error, until one succeeds
        self._log = RateLimitedLog(log, per_minute=1)

    def failed(self, exc: BaseException) -> None:
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]
        if self.failure is None:
            log.error("the database refuses writes (%s): messages and changes cannot be stored "
                      "until this is fixed (is the disk full?)", detail)
        else:
            self._log.error("writes", "the database still refuses writes (%s)", detail)
        self.failure = detail

    def succeeded(self) -> None:
        if self.failure is not None:
            log.warning("the database takes writes again")
            self.failure = None
