"""Text matching the same way on SQLite and PostgreSQL: `contains(column, word)` is true where
the column holds the word, case aside, with LIKE's own characters (`%`, `_`, `\\`) taken as
written. PostgreSQL's `lower()` folds every letter; SQLite's only ASCII ones, so the store gives
each SQLite connection a `lower()` of Python's (`unicode_lower`): "Élodie" is found by
"élodie" on both."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa


def like_pattern(word: str) -> str:
    """`word` anywhere, lowercased, with LIKE's own characters escaped (escape `\\`)."""
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains(column: sa.ColumnElement[str], word: str) -> sa.ColumnElement[bool]:
    return sa.func.lower(column).like(like_pattern(word), escape="\\")


def unicode_lower(value: Any) -> Any:
    """SQLite's `lower()`, for every script (registered on each connection)."""
    return value.lower() if isinstance(value, str) else value
