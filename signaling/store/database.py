"""The durable store's engine: SQLite (default, embedded) or PostgreSQL, one async
SQLAlchemy Core code path. Migrations run through Alembic on start and with `aisle migrate`."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from .matching import unicode_lower

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

# JSON columns (event data, states' lists) through orjson: several times faster than json.
_JSON: dict[str, Any] = {
    "json_serializer": lambda value: orjson.dumps(value).decode(),
    "json_deserializer": orjson.loads,
}


def create_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        # No rollback when a connection returns to the pool: SQLite opens no transaction for
        # reads, and writers commit; the rollback would only cost a trip to its thread.
        engine = create_async_engine(url, connect_args={"timeout": 30},
                                     pool_reset_on_return=None, **_JSON)

        @sa.event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            # WAL lets readers run beside the single writer; foreign keys for cascades.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
            # Searches fold case as PostgreSQL does, beyond ASCII (matching.py).
            dbapi_connection.create_function("lower", 1, unicode_lower, deterministic=True)

        log.info("durable store: SQLite at %s", url.split("///", 1)[-1])
        return engine
    log.info("durable store: %s", url.split("://", 1)[0])
    return create_async_engine(url, pool_size=10, max_overflow=10, **_JSON)


def alembic_config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def migrate(engine: AsyncEngine, revision: str = "head", *,
                  downgrade: bool = False) -> None:
    """Bring the schema to `revision` (the newest by default).

    On SQLite, foreign keys are off while migrations run: a batch migration that cannot simply
    ALTER a table rebuilds it (copy, drop, rename), and with them on, dropping the old table
    deletes every row that points at it with ON DELETE CASCADE (rebuilding `conversations`
    would empty the log). When a migration ran, rows it left pointing at nothing (beyond those
    already there) roll it back. Foreign keys are on again afterwards."""

    def run(connection: sa.Connection) -> None:
        config = alembic_config(connection)
        if downgrade:
            command.downgrade(config, revision)
        else:
            command.upgrade(config, revision)

    async with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # outside a transaction, where SQLite honours it
            await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            before = await current_revision(conn)
            dangling = await _dangling(conn) if sqlite else Counter()
            await conn.run_sync(run)
            if sqlite and await current_revision(conn) != before:
                broken = await _dangling(conn) - dangling
                if broken:
                    raise RuntimeError(f"the migration would leave rows pointing at nothing "
                                       f"({dict(broken)}): rolled back")
            await conn.commit()
        finally:
            if sqlite:
                await conn.rollback()
                await conn.exec_driver_sql("PRAGMA foreign_keys=ON")


async def _dangling(conn: AsyncConnection) -> Counter[tuple[str, str]]:
    """SQLite's foreign key violations, counted per (table, parent table): a rebuilt table's
    rows may be numbered anew."""
    rows: list[tuple[Any, ...]] = [
        tuple(row) for row in (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()]
    return Counter((str(row[0]), str(row[2])) for row in rows)


async def current_revision(conn: AsyncConnection) -> str | None:
    def read(connection: sa.Connection) -> str | None:
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(connection).get_current_revision()

    return await conn.run_sync(read)


def head_revision() -> str | None:
    """The newest migration's revision id."""
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()
