"""Whether the database takes writes: a full disk, an I/O error, a lost database server or a
read-only one (a standby after a failover) fails every write while reads (and /readyz's SELECT)
may still work. The store notes each write's outcome here; /readyz answers 503 while writes
fail, and the failure is logged as an error that says what it is, once a minute, instead of as
one warning per message refused. A mistake in a statement (a constraint, a typo in SQL) is not
a storage failure: it stays the caller's error."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator

from ..logs import RateLimitedLog

log = logging.getLogger(__name__)

# SQLite's primary result codes for a database that cannot be written (or read) as such.
_SQLITE_CODES = frozenset({sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY,
                           sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED,
                           sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
# PostgreSQL SQLSTATE classes: insufficient resources (disk full), connection exception,
# system error (I/O); and the server shutting down, or read-only (a standby).
_PG_CLASSES = ("53", "08", "58")
_PG_STATES = frozenset({"57P01", "57P02", "57P03", "25006"})
# A failure not seen again for this long no longer makes /readyz fail: a database that came
# back but got no write since (nobody chatting) is not kept out of service.
FRESH_S = 60.0


def is_storage_error(exc: BaseException) -> bool:
    """Whether `exc` (raw from a driver, or as SQLAlchemy wraps it) is the database failing."""
    if getattr(exc, "connection_invalidated", False):
        return True
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _SQLITE_CODES
    cause = orig.__cause__
    state = getattr(orig, "sqlstate", None) or getattr(cause, "sqlstate", None)
    if isinstance(state, str):
        return state[:2] in _PG_CLASSES or state in _PG_STATES
    # The database server cannot be reached at all: a refused connection, an unknown host (the
    # driver's own OSError, raw or as the cause of SQLAlchemy's).
    return isinstance(orig, OSError) or isinstance(cause, OSError)


def describe(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]


class WriteHealth:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.failure: str | None = None  # the last write's error, until one succeeds
        self._failed_at = 0.0
        self._log = RateLimitedLog(log, per_minute=1)

    @property
    def failing(self) -> bool:
        """Writes failed lately, and none succeeded since."""
        return self.failure is not None and self._clock() - self._failed_at < FRESH_S

    def failed(self, exc: BaseException) -> None:
        detail = describe(exc)
        if self.failure is None:
            log.error("the database refuses writes (%s): messages and changes cannot be stored "
                      "until this is fixed (is the disk full?)", detail)
        else:
            self._log.error("writes", "the database still refuses writes (%s)", detail)
        self.failure = detail
        self._failed_at = self._clock()

    @contextlib.contextmanager
    def watch(self) -> Iterator[None]:
        """Notes how the write inside went (a failure of the database, not of the statement)."""
        try:
            yield
        except Exception as exc:
            if is_storage_error(exc):
                self.failed(exc)
            raise
        self.succeeded()

    def succeeded(self) -> None:
        if self.failure is not None:
            log.warning("the database takes writes again")
            self.failure = None
