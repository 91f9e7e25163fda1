"""Canned responses: personal ones per agent, shared ones per team; typed as `/shortcut`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..errors import Conflict
from ..ids import new_canned_id, now_ms
from ..protocol.requests import CannedResponse
from .schema import canned_responses

if TYPE_CHECKING:
    from .store import Store


def _unique_violation(exc: IntegrityError) -> bool:
    """A unique index refused the row (SQLite's SQLITE_CONSTRAINT_UNIQUE, PostgreSQL's 23505),
    not a foreign key or another constraint."""
    orig = exc.orig
    if getattr(orig, "sqlite_errorcode", None) is not None:
        return getattr(orig, "sqlite_errorcode", None) == 2067
    return "23505" in (getattr(orig, "sqlstate", None), getattr(orig, "pgcode", None))


def _response(row: sa.Row[object]) -> CannedResponse:
    m = row._mapping
    return CannedResponse(
        id=m["id"], scope="team" if m["team"] else "personal", team=m["team"],
        shortcut=m["shortcut"], text=m["text"])


class CannedRepo:
    def __init__(self, store: Store) -> None:
        self._store = store

    async def visible_to(self, agent_id: str, teams: Sequence[str]) -> list[CannedResponse]:
        query = canned_responses.select().where(sa.or_(
            canned_responses.c.agent_id == agent_id, canned_responses.c.team.in_(list(teams))
        )).order_by(canned_responses.c.shortcut, canned_responses.c.id)
        async with self._store.read() as conn:
            return [_response(r) for r in (await conn.execute(query)).all()]

    async def get(self, canned_id: str) -> tuple[CannedResponse, str | None] | None:
        async with self._store.read() as conn:
            row = (await conn.execute(
                canned_responses.select().where(canned_responses.c.id == canned_id))).first()
        return (_response(row), row.agent_id) if row else None

    async def save(self, *, canned_id: str | None, agent_id: str | None, team: str | None,
                   shortcut: str, text: str) -> CannedResponse:
        """Raises Conflict when the agent's own (or the team's) responses have the shortcut
        already: `/wait` must insert one thing."""
        c = canned_responses.c
        owner = c.team == team if team is not None else c.agent_id == agent_id
        taken = Conflict(f"/{shortcut} is taken already"
                         + (f" in {team}'s responses" if team else " in your responses"))
        try:
            async with self._store.write() as conn:
                if (await conn.execute(
                        sa.select(c.id).where(owner, c.shortcut == shortcut,
                                              *([c.id != canned_id] if canned_id else [])))
                        ).first() is not None:
                    raise taken
                if canned_id is None:
                    canned_id = new_canned_id()
                    await conn.execute(canned_responses.insert().values(
                        id=canned_id, agent_id=agent_id, team=team, shortcut=shortcut,
                        text=text, created_at=now_ms()))
                else:
                    await conn.execute(canned_responses.update()
                                       .where(canned_responses.c.id == canned_id)
                                       .values(agent_id=agent_id, team=team, shortcut=shortcut,
                                               text=text))
        except IntegrityError as exc:  # saved by someone else between the check and the write
            if not _unique_violation(exc):
                raise  # (a team or agent deleted meanwhile: not a taken shortcut)
            raise taken from None
        return CannedResponse(id=canned_id, scope="team" if team else "personal", team=team,
                              shortcut=shortcut, text=text)

    async def delete(self, canned_id: str) -> None:
        async with self._store.write() as conn:
            await conn.execute(canned_responses.delete()
                               .where(canned_responses.c.id == canned_id))
