"""Review data: annotations, scorecards (criteria per team), scores, the audit log of
retention and erasure, and background jobs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..ids import new_id, now_ms
from .schema import agents, annotation_table, audit_log, jobs, scorecards, scores

if TYPE_CHECKING:
    from .store import Store


class ReviewRepo:
    def __init__(self, store: Store) -> None:
        self._store = store

    # ---- annotations ----------------------------------------------------------------------

    async def annotations(self, conversation_id: str) -> list[dict[str, Any]]:
        query = (sa.select(annotation_table, agents.c.display_name.label("author_name"))
                 .join(agents, agents.c.id == annotation_table.c.author_id, isouter=True)
                 .where(annotation_table.c.conversation_id == conversation_id)
                 .order_by(annotation_table.c.at_ms, annotation_table.c.created_at))
        async with self._store.read() as conn:
            return [dict(r._mapping) for r in (await conn.execute(query)).all()]

    async def add_annotation(self, conversation_id: str, author_id: str, at_ms: int,
                             end_ms: int | None, text: str) -> str:
        annotation_id = new_id("ann")
        async with self._store.write() as conn:
            await conn.execute(annotation_table.insert().values(
                id=annotation_id, conversation_id=conversation_id, author_id=author_id,
                at_ms=at_ms, end_ms=end_ms, text=text, created_at=now_ms()))
        return annotation_id

    async def edit_annotation(self, conversation_id: str, annotation_id: str, author_id: str,
                              text: str) -> bool:
        """Changes the words of an annotation of the author's; whether there was one."""
        async with self._store.write() as conn:
            return bool((await conn.execute(annotation_table.update().where(
                annotation_table.c.id == annotation_id,
                annotation_table.c.conversation_id == conversation_id,
                annotation_table.c.author_id == author_id).values(text=text))).rowcount)

    async def delete_annotation(self, annotation_id: str, author_id: str | None) -> bool:
        """Deletes an annotation (only its author's, unless author_id is None)."""
        query = annotation_table.delete().where(annotation_table.c.id == annotation_id)
        if author_id is not None:
            query = query.where(annotation_table.c.author_id == author_id)
        async with self._store.write() as conn:
            return bool((await conn.execute(query)).rowcount)

    async def annotation_counts(self, conversation_ids: Sequence[str]) -> dict[str, int]:
        if not conversation_ids:
            return {}
        async with self._store.read() as conn:
            rows = (await conn.execute(
                sa.select(annotation_table.c.conversation_id, sa.func.count())
                .where(annotation_table.c.conversation_id.in_(list(conversation_ids)))
                .group_by(annotation_table.c.conversation_id))).all()
        return {cid: n for cid, n in rows}

    # ---- scorecards and scores ------------------------------------------------------------

    async def criteria(self, team: str) -> list[dict[str, Any]]:
        async with self._store.read() as conn:
            row = (await conn.execute(
                sa.select(scorecards.c.criteria).where(scorecards.c.team == team))).first()
        return list(row[0]) if row else []

    async def set_criteria(self, team: str, criteria: list[dict[str, Any]],
                           agent_id: str) -> None:
        async with self._store.write() as conn:
            updated = await conn.execute(scorecards.update().where(scorecards.c.team == team)
                                         .values(criteria=criteria, updated_by=agent_id,
                                                 updated_at=now_ms()))
            if not updated.rowcount:
                await conn.execute(scorecards.insert().values(
                    team=team, criteria=criteria, updated_by=agent_id, updated_at=now_ms()))

    async def scores(self, conversation_id: str) -> list[dict[str, Any]]:
        query = (sa.select(scores, agents.c.display_name.label("reviewer_name"))
                 .join(agents, agents.c.id == scores.c.reviewer_id, isouter=True)
                 .where(scores.c.conversation_id == conversation_id)
                 .order_by(scores.c.created_at))
        async with self._store.read() as conn:
            return [dict(r._mapping) for r in (await conn.execute(query)).all()]

    async def save_score(self, *, conversation_id: str, reviewer_id: str, agent_id: str | None,
                         team: str, values: dict[str, int], ratio: float, comment: str,
                         maxima: dict[str, int]) -> None:
        row = dict(agent_id=agent_id, team=team, scores=values, ratio=ratio, comment=comment,
                   maxima=maxima, created_at=now_ms())
        async with self._store.write() as conn:
            updated = await conn.execute(scores.update().where(
                scores.c.conversation_id == conversation_id,
                scores.c.reviewer_id == reviewer_id).values(**row))
            if not updated.rowcount:
                await conn.execute(scores.insert().values(
                    conversation_id=conversation_id, reviewer_id=reviewer_id, **row))

    async def score_ratios(self, conversation_ids: Sequence[str]) -> dict[str, float]:
        if not conversation_ids:
            return {}
        async with self._store.read() as conn:
            rows = (await conn.execute(
                sa.select(scores.c.conversation_id, sa.func.avg(scores.c.ratio))
                .where(scores.c.conversation_id.in_(list(conversation_ids)))
                .group_by(scores.c.conversation_id))).all()
        return {cid: float(avg) for cid, avg in rows}

    async def all_scores(self, since_ms: int | None = None) -> list[dict[str, Any]]:
        query = sa.select(scores)
        if since_ms is not None:
            query = query.where(scores.c.created_at >= since_ms)
        async with self._store.read() as conn:
            return [dict(r._mapping) for r in (await conn.execute(query)).all()]

    # ---- audit ----------------------------------------------------------------------------

    async def audit(self, actor: str, action: str, details: dict[str, Any]) -> None:
        async with self._store.write() as conn:
            await conn.execute(audit_log.insert().values(ts=now_ms(), actor=actor,
                                                         action=action, details=details))

    async def audit_entries(self, limit: int = 100) -> list[dict[str, Any]]:
        async with self._store.read() as conn:
            rows = (await conn.execute(audit_log.select().order_by(audit_log.c.id.desc())
                                       .limit(limit))).all()
        # (Plain str keys: SQLAlchemy's are a str subclass that JSON encoders refuse.)
        return [{str(k): v for k, v in r._mapping.items()} for r in rows]

    # ---- jobs -----------------------------------------------------------------------------

    async def create_job(self, kind: str, conversation_id: str, created_by: str) -> str:
        job_id = new_id("job")
        now = now_ms()
        async with self._store.write() as conn:
            await conn.execute(jobs.insert().values(
                id=job_id, kind=kind, conversation_id=conversation_id, state="queued",
                progress=0.0, created_by=created_by, created_at=now, updated_at=now))
        return job_id

    async def update_job(self, job_id: str, **values: Any) -> None:
        async with self._store.write() as conn:
            await conn.execute(jobs.update().where(jobs.c.id == job_id)
                               .values(updated_at=now_ms(), **values))

    async def job(self, job_id: str) -> dict[str, Any] | None:
        async with self._store.read() as conn:
            row = (await conn.execute(jobs.select().where(jobs.c.id == job_id))).first()
        return dict(row._mapping) if row else None

    async def unfinished_jobs(self) -> list[dict[str, Any]]:
        async with self._store.read() as conn:
            rows = (await conn.execute(jobs.select().where(
                jobs.c.state.in_(["queued", "running"])))).all()
        return [dict(r._mapping) for r in rows]
