"""One group commit, one trip to a thread (SQLite only).

Through SQLAlchemy's aiosqlite driver every statement of a transaction is several hand-offs to
the database thread and back (cursor, execute, close; begin, commit), each waking the event
loop. The appender's optimistic batch is known in full before it is written, so here it goes to
a thread of its own with its own connection to the same file in one call: BEGIN IMMEDIATE, the
statements with their rows, COMMIT — or ROLLBACK when the insert ignored a row (a retried client
id) and the appender must take the careful path. The caller holds the store's write lock, so
this connection and the engine's never write at the same time."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Statement:
    sql: str
    rows: Sequence[tuple[Any, ...]]
    # Rows the statement must change, or the transaction is rolled back (None: no check).
    expect: int | None = None


class RowsIgnored(Exception):
    """A statement changed fewer rows than expected: nothing was written."""


class SqliteBatchWriter:
    def __init__(self, path: str, timeout_s: float = 30.0) -> None:
        self._path = path
        self._timeout_s = timeout_s
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="log-writer")
        self._conn: sqlite3.Connection | None = None

    async def write(self, statements: Sequence[Statement]) -> None:
        await asyncio.get_running_loop().run_in_executor(self._executor, self._write,
                                                         statements)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(self._path, timeout=self._timeout_s, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            self._conn = conn
        return self._conn

    def _write(self, statements: Sequence[Statement]) -> None:
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements:
                changed = conn.executemany(statement.sql, statement.rows).rowcount
                if statement.expect is not None and changed != statement.expect:
                    raise RowsIgnored()
            conn.execute("COMMIT")
        except BaseException:
            # SQLite rolls back on its own after some errors (SQLITE_FULL, SQLITE_IOERR): a
            # second ROLLBACK would fail and hide the error that says what happened.
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # the first error is the one to tell
                    conn.execute("ROLLBACK")
            raise

    async def close(self) -> None:
        def shut() -> None:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

        await asyncio.get_running_loop().run_in_executor(self._executor, shut)
        self._executor.shutdown(wait=True)
