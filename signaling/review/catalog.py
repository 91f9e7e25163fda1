"""Finding recordings: by agent, team, date, CSAT, duration, words said, whether a call or
co-browsing happened, how it ended and whether anyone scored it, in the order a reviewer asks
for — one SQL query that runs the same on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from ..ids import now_ms
from ..protocol.review import RecordingSummary
from ..store import Store
from ..store.agents import AgentRecord
from ..store.matching import like_pattern
from ..store.schema import (
    agents,
    conversation_events,
    conversations,
    scorecards,
    scores,
    sites,
    visitors,
)

# A call that was answered (the log has no "call_started": a call is requested, then accepted).
CALL_EVENTS = ("call_accepted",)
COBROWSE_EVENTS = ("cobrowse_started",)

# How a conversation ended, or "open": under way, or a message left that nobody has closed.
Outcome = Literal["open", "agent_ended", "visitor_ended", "visitor_left", "closed_offline"]
OUTCOMES: tuple[str, ...] = get_args(Outcome)
Sort = Literal["newest", "oldest", "lowest_rating", "longest"]
SORTS: tuple[str, ...] = get_args(Sort)


@dataclass(frozen=True)
class Query:
    agent_id: str | None = None
    team: str | None = None
    since_ms: int | None = None
    until_ms: int | None = None
    min_rating: int | None = None
    max_rating: int | None = None
    min_duration_s: int | None = None
    max_duration_s: int | None = None
    words: tuple[str, ...] = ()
    has_call: bool | None = None
    has_cobrowse: bool | None = None
    outcome: Outcome | None = None
    scored: bool | None = None
    sort: Sort = "newest"
    limit: int = 50
    offset: int = 0


def _has(types: tuple[str, ...]) -> sa.Exists:
    return sa.exists().where(conversation_events.c.conversation_id == conversations.c.id,
                             conversation_events.c.type.in_(types))


def _message_text() -> sa.ColumnElement[str]:
    return sa.func.lower(conversation_events.c.data["text"].as_string())


def _said(word: str) -> sa.Exists:
    pattern = like_pattern(word)
    return sa.exists().where(conversation_events.c.conversation_id == conversations.c.id,
                             conversation_events.c.type == "message_created",
                             _message_text().like(pattern, escape="\\"))


def _handled_by(agent_id: str) -> sa.ColumnElement[bool]:
    """The agent has it now, or took it at some point (and handed it on)."""
    e = conversation_events.c
    return sa.or_(conversations.c.agent_id == agent_id, sa.exists().where(
        e.conversation_id == conversations.c.id, e.type == "agent_joined",
        e.data["role"].as_string() == "assignee",
        e.data[("agent", "id")].as_string() == agent_id))


async def _sites_letting_agents_review(store: Store) -> list[str]:
    return [s.id for s in await store.sites.all()
            if s.settings.get("recording", {}).get("agents_review_own", False)]


async def scope(store: Store, reviewer: AgentRecord) -> Literal["all", "own", "none"]:
    """What `search` can find for this person at all (before any filter)."""
    if reviewer.is_reviewer:
        return "all"
    return "own" if await _sites_letting_agents_review(store) else "none"


async def search(store: Store, reviewer: AgentRecord, q: Query) -> tuple[list[RecordingSummary],
                                                                         int]:
    now = now_ms()
    duration_ms = sa.func.coalesce(conversations.c.ended_at, now) - conversations.c.created_at
    # Whatever has happened: chats under way or over, and messages left (answered or not).
    where: list[sa.ColumnElement[bool]] = [
        conversations.c.status.in_(["active", "offline", "ended"])]
    if not reviewer.is_reviewer:
        # Agents review only their own, and only where the site allows it.
        allowing = await _sites_letting_agents_review(store)
        where += [_handled_by(reviewer.id), conversations.c.site_id.in_(allowing)]
    if q.agent_id:
        where.append(_handled_by(q.agent_id))
    if q.team:  # as people type it: "Sales" finds the team sales
        where.append(sa.func.lower(conversations.c.team) == q.team.lower())
    if q.since_ms is not None:
        where.append(conversations.c.created_at >= q.since_ms)
    if q.until_ms is not None:
        where.append(conversations.c.created_at < q.until_ms)
    if q.min_rating is not None:
        where.append(conversations.c.rating >= q.min_rating)
    if q.max_rating is not None:
        where.append(conversations.c.rating <= q.max_rating)
    if q.min_duration_s is not None:
        where.append(duration_ms >= q.min_duration_s * 1000)
    if q.max_duration_s is not None:
        where.append(duration_ms <= q.max_duration_s * 1000)
    for word in q.words:
        where.append(_said(word))
    for flag, types in ((q.has_call, CALL_EVENTS), (q.has_cobrowse, COBROWSE_EVENTS)):
        if flag is True:
            where.append(_has(types))
        elif flag is False:
            where.append(~_has(types))

    if q.outcome == "open":
        where.append(conversations.c.status.in_(["active", "offline"]))
    elif q.outcome is not None:
        where.append(conversations.c.ended_reason == q.outcome)
    if q.scored is not None:
        is_scored = sa.exists().where(scores.c.conversation_id == conversations.c.id)
        if q.scored:
            where.append(is_scored)
        else:
            # Not scored yet: a trainer's queue, so only what can be scored: conversations an
            # agent took part in (an unanswered one has nothing to score), of a team that has
            # a scorecard.
            where += [~is_scored, conversations.c.assigned_at.is_not(None),
                      conversations.c.team.in_(await _teams_with_scorecards(store))]

    messages = (sa.select(sa.func.count()).where(
        conversation_events.c.conversation_id == conversations.c.id,
        conversation_events.c.type == "message_created").scalar_subquery())
    query = (sa.select(conversations, agents.c.display_name.label("agent_name"),
                       visitors.c.name.label("visitor_name"),
                       visitors.c.email.label("visitor_email"),
                       duration_ms.label("duration_ms"), messages.label("messages"),
                       _has(CALL_EVENTS).label("has_call"),
                       _has(COBROWSE_EVENTS).label("has_cobrowse"))
             .join(agents, agents.c.id == conversations.c.agent_id, isouter=True)
             .join(visitors, visitors.c.id == conversations.c.visitor_id, isouter=True)
             .join(sites, sites.c.id == conversations.c.site_id)
             .where(*where)
             .order_by(*_order(q.sort, duration_ms))
             .limit(q.limit).offset(q.offset))
    count = sa.select(sa.func.count()).select_from(conversations).where(*where)
    async with store.read() as conn:
        rows = (await conn.execute(query)).all()
        total = int((await conn.execute(count)).scalar_one())
        excerpts = await _excerpts(conn, [r.id for r in rows], q.words)
    ids = [r.id for r in rows]
    site_records = {site.id: site for site in await store.sites.all()}
    labels = {r.id: site_records[r.site_id].topic_label(r.topic)
              for r in rows if r.site_id in site_records}
    labels.update(await _labels_then(store, [i for i in ids if labels.get(i) is None]))
    notes = await store.review.annotation_counts(ids)
    ratios = await store.review.score_ratios(ids)
    handled = await _last_assignees(store, [r.id for r in rows if r.agent_id is None])
    answered = await _answered_messages(store, [r.id for r in rows if r.status == "offline"])
    return [
        RecordingSummary(
            conversation_id=r.id, site_id=r.site_id, team=r.team, topic=r.topic,
            topic_label=labels.get(r.id),
            agent_id=r.agent_id or handled.get(r.id, (None, None))[0],
            agent_name=r.agent_name or handled.get(r.id, (None, None))[1],
            visitor_id=r.visitor_id,
            # As the console names them: the name given, else the address.
            visitor_name=(r.visitor_name or (r.fields or {}).get("name") or r.visitor_email
                          or (r.fields or {}).get("email")),
            started_at=r.created_at, ended_at=r.ended_at,
            duration_s=round(r.duration_ms / 1000), rating=r.rating,
            has_call=bool(r.has_call), has_cobrowse=bool(r.has_cobrowse),
            messages=int(r.messages), annotations=notes.get(r.id, 0),
            score_ratio=ratios.get(r.id), status=r.status, ended_reason=r.ended_reason,
            message_answered=r.id in answered,
            excerpt=excerpts.get(r.id),
        )
        for r in rows
    ], total


async def _last_assignees(store: Store, ids: list[str]) -> dict[str, tuple[str, str]]:
    """Who last took each of these conversations, which have no agent now (a message left after
    their agent went, a chat back in the queue): the agent a reviewer looks for."""
    if not ids:
        return {}
    e = conversation_events.c
    async with store.read() as conn:
        rows = (await conn.execute(
            sa.select(e.conversation_id, e.data[("agent", "id")].as_string(),
                      e.data[("agent", "display_name")].as_string())
            .where(e.conversation_id.in_(ids), e.type == "agent_joined",
                   e.data["role"].as_string() == "assignee")
            .order_by(e.seq))).all()
    return {cid: (agent_id, name) for cid, agent_id, name in rows}


async def _answered_messages(store: Store, ids: list[str]) -> set[str]:
    """Which of these conversations left as messages have the shopper's last words answered:
    an agent wrote after them (before the chat became a message, or since)."""
    if not ids:
        return set()
    e = conversation_events.c
    async with store.read() as conn:
        rows = (await conn.execute(
            sa.select(e.conversation_id, e.actor["kind"].as_string())
            .where(e.conversation_id.in_(ids), e.type == "message_created")
            .order_by(e.conversation_id, e.seq))).all()
    answered: set[str] = set()
    for cid, actor in rows:
        if actor == "agent":
            answered.add(cid)
        elif actor == "visitor":
            answered.discard(cid)
    return answered


async def _labels_then(store: Store, ids: list[str]) -> dict[str, str]:
    """The topic labels conversations started under, for topics their site no longer has."""
    if not ids:
        return {}
    label = conversation_events.c.data["topic_label"].as_string()
    async with store.read() as conn:
        rows = (await conn.execute(
            sa.select(conversation_events.c.conversation_id, label)
            .where(conversation_events.c.conversation_id.in_(ids),
                   conversation_events.c.type == "conversation_started",
                   label.is_not(None)))).all()
    return {cid: text for cid, text in rows if text}


async def _teams_with_scorecards(store: Store) -> list[str]:
    async with store.read() as conn:
        rows = (await conn.execute(sa.select(scorecards.c.team, scorecards.c.criteria))).all()
    return [team for team, criteria in rows if criteria]


def _order(sort: Sort, duration_ms: sa.ColumnElement[int]) -> list[sa.ColumnElement[Any]]:
    first: list[sa.ColumnElement[Any]] = []
    if sort == "oldest":
        first = [conversations.c.created_at.asc()]
    elif sort == "lowest_rating":  # unrated ones last, whatever the database does with NULLs
        first = [conversations.c.rating.is_(None), conversations.c.rating.asc()]
    elif sort == "longest":  # of those over; what is under way (its length still growing) last
        first = [conversations.c.ended_at.is_(None), duration_ms.desc()]
    return [*first, conversations.c.created_at.desc(), conversations.c.id]


async def _excerpts(conn: AsyncConnection, ids: list[str],
                    words: tuple[str, ...]) -> dict[str, str]:
    if not ids or not words:
        return {}
    pattern = "%" + words[0].lower() + "%"
    rows = (await conn.execute(
        sa.select(conversation_events.c.conversation_id,
                  conversation_events.c.data["text"].as_string())
        .where(conversation_events.c.conversation_id.in_(ids),
               conversation_events.c.type == "message_created",
               _message_text().like(pattern))
        .order_by(conversation_events.c.seq))).all()
    found: dict[str, str] = {}
    for cid, text in rows:
        found.setdefault(cid, text[:200])
    return found
