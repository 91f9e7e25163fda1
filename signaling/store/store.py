"""The store facade: one engine, one repository per concept, and the write transaction that
serializes writers on SQLite (one writer at a time is SQLite's rule; doing it in-process avoids
"database is locked" when two deferred transactions both upgrade to write)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from .agents import AgentRepo
from .availability import AvailabilityRepo
from .canned import CannedRepo
from .conversations import ConversationRepo
from .database import create_engine, migrate
from .review import ReviewRepo
from .sites import SiteRepo
from .sqlite_batch import SqliteBatchWriter
from .visitors import VisitorRepo
from .write_health import WriteHealth


class Store:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sqlite = engine.dialect.name == "sqlite"
        self.write_lock = asyncio.Lock()
        self.write_health = WriteHealth()
        # Group commits of conversation logs in one trip each (SQLite; see sqlite_batch.py).
        self.batch_writer = (SqliteBatchWriter(engine.url.database)
                             if self._sqlite and engine.url.database else None)
        self.sites = SiteRepo(self)
        self.agents = AgentRepo(self)
        self.availability = AvailabilityRepo(self)
        self.visitors = VisitorRepo(self)
        self.conversations = ConversationRepo(self)
        self.canned = CannedRepo(self)
        self.review = ReviewRepo(self)

    @classmethod
    async def open(cls, url: str, *, run_migrations: bool = True) -> Store:
        engine = create_engine(url)
        if run_migrations:
            await migrate(engine)
        return cls(engine)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        with self.write_health.watch():
            if self._sqlite:
                async with self.write_lock, self.engine.begin() as conn:
                    yield conn
            else:
                async with self.engine.begin() as conn:
                    yield conn

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as conn:
            yield conn

    @property
    def single_node(self) -> bool:
        """SQLite: one process writes, so what it wrote last is what is stored."""
        return self._sqlite

    @property
    def locks_rows(self) -> bool:
        """PostgreSQL serializes concurrent appends with SELECT … FOR UPDATE."""
        return not self._sqlite

    async def close(self) -> None:
        await self.conversations.close()
        if self.batch_writer is not None:
            await self.batch_writer.close()
        await self.engine.dispose()
