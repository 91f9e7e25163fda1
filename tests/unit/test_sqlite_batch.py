"""store/sqlite_batch.py: a batch is written whole or not at all."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from signaling.store.sqlite_batch import RowsIgnored, SqliteBatchWriter, Statement


def rows(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT id, v FROM t ORDER BY id").fetchall()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    return path


INSERT = "INSERT INTO t (id, v) VALUES (?, ?) ON CONFLICT (id) DO NOTHING"


async def test_statements_commit_together(db: Path) -> None:
    writer = SqliteBatchWriter(str(db))
    await writer.write([Statement(INSERT, [(1, "a"), (2, "b")], expect=2),
                        Statement("UPDATE t SET v = ? WHERE id = ?", [("B", 2)])])
    await writer.close()
    assert rows(db) == [(1, "a"), (2, "B")]


async def test_an_ignored_row_rolls_the_whole_batch_back(db: Path) -> None:
    writer = SqliteBatchWriter(str(db))
    await writer.write([Statement(INSERT, [(1, "a")], expect=1)])
    with pytest.raises(RowsIgnored):
        await writer.write([Statement("UPDATE t SET v = 'changed' WHERE id = 1", [()]),
                            Statement(INSERT, [(1, "again"), (3, "c")], expect=2)])
    assert rows(db) == [(1, "a")]
    # The connection is usable afterwards.
    await writer.write([Statement(INSERT, [(3, "c")], expect=1)])
    await writer.close()
    assert rows(db) == [(1, "a"), (3, "c")]


async def test_a_failing_statement_writes_nothing(db: Path) -> None:
    writer = SqliteBatchWriter(str(db))
    with pytest.raises(sqlite3.IntegrityError):
        await writer.write([Statement(INSERT, [(5, "e")], expect=1),
                            Statement("INSERT INTO t (id, v) VALUES (?, ?)", [(6, None)])])
    await writer.close()
    assert rows(db) == []
