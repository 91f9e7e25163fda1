"""The figures a support team manages by: for the conversations started in a period of whole
days (in the time zone the reader asks for), how many were answered, abandoned or left as
messages (and how many of those agents replied to, how soon), how long shoppers waited, how
soon agents first replied and how long conversations took, CSAT and transfers; agents' time
signed in and occupancy (`occupancy.py`); per agent, and the outcomes per day. The same queries
on SQLite and PostgreSQL: the conversations, and
from their log when each was first taken by an agent and first got an agent's reply, when the
shopper first wrote, and how often it was transferred (the conversation's own `assigned_at`
moves on a transfer or a requeue). The arithmetic is `compute`, pure."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa

from .errors import InvalidPayload
from .ids import now_ms
from .occupancy import HOLD_EVENTS, AgentTime, agent_time, holds
from .protocol import reports as rp
from .store import Store
from .store.availability import Stretch
from .store.schema import conversation_events, conversations

MAX_DAYS = 366
SATISFIED = 4


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive
    tz: ZoneInfo

    @property
    def start_ms(self) -> int:
        return _ms(self.first, self.tz)

    @property
    def end_ms(self) -> int:
        return _ms(self.last + timedelta(days=1), self.tz)

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    def day_of(self, ms: int) -> date:
        return datetime.fromtimestamp(ms / 1000, self.tz).date()


@dataclass(frozen=True)
class LogFacts:
    """What a conversation's log says about it, for the report (ms; None: never happened)."""

    first_assigned: int | None = None
    # The agent who first took it, and when they first replied (their figures: answered, first
    # response); handle time and CSAT go to the agent who had it last, who closed it (the row's
    # agent, or the last to take it when a requeue has cleared the row's).
    first_agent: str | None = None
    first_reply: int | None = None
    # The first reply by any agent (the conversation's first response, or a message's reply),
    # when it is not the first agent's own (they transferred it before writing).
    any_reply: int | None = None
    last_agent: str | None = None
    transfers: int = 0
    # When the shopper's last page closed, for a conversation that ended as `visitor_left`
    # (it ended a grace period later): what they waited, or how long it went on, ends there.
    left_at: int | None = None
    # When it first became a message left (nobody available at the start, or later: a
    # transfer to a team with nobody there, a requeue with nobody left).
    offline_at: int | None = None
    # When the shopper first wrote (None: they never did: nothing was left as a message).
    visitor_wrote: int | None = None


def _ms(day: date, tz: ZoneInfo) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=tz).timestamp() * 1000)


def parse_period(raw_from: str | None, raw_to: str | None, raw_tz: str | None) -> Period:
    """`from` and `to` are YYYY-MM-DD, both included; the default is the last 7 days."""
    try:
        tz = ZoneInfo(raw_tz or "UTC")
    except (ValueError, ZoneInfoNotFoundError):
        raise InvalidPayload(f"unknown time zone {raw_tz!r}") from None
    today = datetime.now(tz).date()
    try:
        last = date.fromisoformat(raw_to) if raw_to else today
        first = date.fromisoformat(raw_from) if raw_from else last - timedelta(days=6)
    except ValueError:
        raise InvalidPayload("from and to are dates: YYYY-MM-DD") from None
    if first > last:
        raise InvalidPayload("from is after to")
    if first.year < 1970 or last.year > 9000:  # the day after `to` must still be a date
        raise InvalidPayload("from and to must be between 1970 and 9000")
    if (last - first).days + 1 > MAX_DAYS:
        raise InvalidPayload(f"a report covers at most {MAX_DAYS} days")
    return Period(first, last, tz)


def durations(values_ms: Iterable[int]) -> rp.Durations:
    ordered = sorted(v / 1000 for v in values_ms)
    if not ordered:
        return rp.Durations(count=0, median_s=None, p90_s=None)
    return rp.Durations(count=len(ordered), median_s=round(_quantile(ordered, 0.5), 1),
                        p90_s=round(_quantile(ordered, 0.9), 1))


def _quantile(ordered: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (as numpy's default)."""
    at = (len(ordered) - 1) * q
    low, high = math.floor(at), math.ceil(at)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def taken_at(row: Mapping[str, Any], facts: LogFacts) -> int | None:
    """When an agent first took it while the shopper was there: one taken after their last
    page had closed (in the grace period before it ended) found nobody to answer."""
    taken = facts.first_assigned if facts.first_assigned is not None else row["assigned_at"]
    if taken is not None and facts.left_at is not None and taken >= facts.left_at:
        return None
    return taken


def outcome(row: Mapping[str, Any], facts: LogFacts) -> str:
    """answered, offline, abandoned, or waiting. A chat an agent took while the shopper was
    there is answered, even if it became a message later on; one that became a message
    without a word from the shopper (they waited, then nobody was left) is abandoned."""
    taken = taken_at(row, facts)
    if row["offline_reason"] is not None:
        if taken is not None and facts.offline_at is not None and taken < facts.offline_at:
            return "answered"
        return "offline" if facts.visitor_wrote is not None else "abandoned"
    if taken is not None:
        return "answered"
    return "abandoned" if row["ended_at"] is not None else "waiting"


def _average(values: Sequence[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def signed_in(t: AgentTime) -> rp.SignedIn:
    return rp.SignedIn(online_s=t.online_ms / 1000, away_s=t.away_ms / 1000,
                       busy_s=t.busy_ms / 1000, idle_s=t.idle_ms / 1000,
                       occupancy=t.occupancy,
                       chats_at_once=t.chats_at_once)


def compute(period: Period, team: str | None, rows: Sequence[Mapping[str, Any]],
            logs: Mapping[str, LogFacts], names: Mapping[str, str],
            teams: Sequence[str] = (), times: Mapping[str, AgentTime] | None = None
            ) -> rp.Report:
    """`times`: the time signed in of the agents counted (the team's, or every team's), by
    agent id; they have a row even without a conversation in the period."""
    times = times or {}
    counts: dict[str, int] = defaultdict(int)
    by_day: dict[date, dict[str, int]] = {d: defaultdict(int) for d in period.days()}
    wait, gave_up, first_response, handle, offline_reply = [], [], [], [], []
    from_start: list[int] = []
    ratings: list[int] = []
    ended_answered = 0
    per_agent: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    transfers = 0
    for row in rows:
        facts = logs.get(row["id"], LogFacts())
        transfers += facts.transfers
        kind = outcome(row, facts)
        counts[kind] += 1
        day = by_day.get(period.day_of(row["created_at"]))
        if day is not None:
            day["started"] += 1
            day[kind] += 1
        # The shopper waits from the start of the conversation (queued or offered at once)
        # until an agent first takes it; a transfer later queues it again, which does not
        # restart the wait.
        waited_from = row["created_at"]
        ended = facts.left_at if facts.left_at is not None else row["ended_at"]
        if kind == "abandoned":
            # Until they left; one still on the page when nobody was left, until then.
            stop = ended if ended is not None else facts.offline_at
            if stop is not None:
                gave_up.append(max(0, stop - waited_from))
        replied = facts.any_reply if facts.any_reply is not None else facts.first_reply
        if kind == "offline" and replied is not None:
            offline_reply.append(max(0, replied - row["created_at"]))
            per_agent[facts.first_agent or row["agent_id"] or ""]["offline_answered"].append(1)
        if kind != "answered":
            continue
        taken = taken_at(row, facts)
        assert taken is not None  # answered
        answered_by = per_agent[facts.first_agent or row["agent_id"] or ""]
        closer = row["agent_id"] or facts.last_agent or facts.first_agent or ""
        answered_by["answered"].append(1)
        wait.append(max(0, taken - waited_from))
        if replied is not None:
            first_response.append(max(0, replied - taken))
            from_start.append(max(0, replied - waited_from))
        if facts.first_reply is not None:  # the agent's own, not a colleague's after a transfer
            answered_by["first_response"].append(max(0, facts.first_reply - taken))
        if ended is not None:
            ended_answered += 1
            handle.append(max(0, ended - taken))
            per_agent[closer]["handle"].append(max(0, ended - taken))
        if row["rating"] is not None:
            ratings.append(row["rating"])
            per_agent[closer]["ratings"].append(row["rating"])
    for agent_id, t in times.items():
        if (t.online_ms or t.away_ms) and agent_id not in per_agent:  # a row of their own
            per_agent[agent_id] = defaultdict(list)
    agents = [rp.AgentRow(agent_id=agent_id, name=names.get(agent_id, agent_id or "—"),
                          answered=len(v["answered"]),
                          offline_answered=len(v["offline_answered"]),
                          first_response=durations(v["first_response"]),
                          handle=durations(v["handle"]), csat_responses=len(v["ratings"]),
                          csat_average=_average(v["ratings"]),
                          time=signed_in(times.get(agent_id, AgentTime())))
              for agent_id, v in per_agent.items()]
    agents.sort(key=lambda a: (-a.answered, -a.offline_answered, a.name))
    return rp.Report(
        from_date=period.first.isoformat(), to_date=period.last.isoformat(),
        tz=period.tz.key, team=team,
        totals=rp.Totals(started=len(rows), answered=counts["answered"],
                         abandoned=counts["abandoned"], offline=counts["offline"],
                         offline_answered=len(offline_reply), waiting=counts["waiting"],
                         transfers=transfers),
        wait=durations(wait), abandoned_after=durations(gave_up),
        first_response=durations(first_response), handle=durations(handle),
        first_reply_from_start=durations(from_start),
        offline_reply=durations(offline_reply),
        csat=rp.Csat(
            responses=len(ratings),
            satisfied_ratio=round(sum(r >= SATISFIED for r in ratings) / len(ratings), 3)
            if ratings else None,
            average=_average(ratings),
            response_ratio=round(len(ratings) / ended_answered, 3) if ended_answered else None,
            distribution=[sum(r == n for r in ratings) for n in range(1, 6)]),
        time=signed_in(sum(times.values(), AgentTime())),
        agents=agents,
        days=[rp.DayRow(date=d.isoformat(), started=c["started"], answered=c["answered"],
                        abandoned=c["abandoned"], offline=c["offline"])
              for d, c in by_day.items()],
        teams=list(teams))


def _first(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[Any]:
    return sa.func.min(sa.case((condition, conversation_events.c.ts)))


async def report(store: Store, period: Period, team: str | None) -> rp.Report:
    where = [conversations.c.created_at >= period.start_ms,
             conversations.c.created_at < min(period.end_ms, now_ms() + 1)]
    if team:
        where.append(conversations.c.team == team)
    c = conversations.c
    e = conversation_events.c
    async with store.read() as conn:
        rows = (await conn.execute(
            sa.select(c.id, c.agent_id, c.created_at, c.queued_at, c.assigned_at, c.ended_at,
                      c.offline_reason, c.rating).where(*where))).mappings().all()
        facts = (await conn.execute(
            sa.select(e.conversation_id,
                      _first(sa.and_(e.type == "agent_joined",
                                     e.data["role"].as_string() == "assignee")),
                      _first(sa.and_(e.type == "message_created",
                                     e.actor["kind"].as_string() == "agent")),
                      sa.func.sum(sa.case((e.type == "conversation_transferred", 1), else_=0)),
                      _first(e.type == "conversation_offline"),
                      sa.func.max(sa.case((e.type == "conversation_ended",
                                           e.data["left_at"].as_integer()))),
                      _first(sa.and_(e.type == "message_created",
                                     e.actor["kind"].as_string() == "visitor")))
            .where(e.conversation_id.in_(sa.select(c.id).where(*where)),
                   e.type.in_(["agent_joined", "message_created", "conversation_transferred",
                               "conversation_offline", "conversation_ended"]))
            .group_by(e.conversation_id))).all()
        # Who took each first, and each agent's first reply in each (a few rows a conversation).
        joins = (await conn.execute(
            sa.select(e.conversation_id, e.data)
            .where(e.conversation_id.in_(sa.select(c.id).where(*where)),
                   e.type == "agent_joined", e.data["role"].as_string() == "assignee")
            .order_by(e.conversation_id, e.seq))).all()
        # Grouped by the label: PostgreSQL takes the JSON path twice as two expressions.
        author = e.actor["id"].as_string().label("author")
        replies = (await conn.execute(
            sa.select(e.conversation_id, author, sa.func.min(e.ts))
            .where(e.conversation_id.in_(sa.select(c.id).where(*where)),
                   e.type == "message_created", e.actor["kind"].as_string() == "agent")
            .group_by(e.conversation_id, author))).all()
    first_agent: dict[str, str] = {}
    last_agent: dict[str, str] = {}
    for conversation_id, data in joins:
        agent_id = (data.get("agent") or {}).get("id") if isinstance(data, dict) else None
        if isinstance(agent_id, str):
            first_agent.setdefault(conversation_id, agent_id)
            last_agent[conversation_id] = agent_id
    first_reply_by = {(r[0], r[1]): r[2] for r in replies}
    everyone = await store.agents.all()
    names = {str(a.id): a.display_name for a in everyone}
    members = {str(a.id) for a in everyone if (team in a.teams if team else a.teams)}
    logs = {}
    for r in facts:
        agent_id = first_agent.get(r[0])
        own = first_reply_by.get((r[0], agent_id)) if agent_id else None
        logs[r[0]] = LogFacts(first_assigned=r[1], first_agent=agent_id,
                              first_reply=own if agent_id else r[2], any_reply=r[2],
                              last_agent=last_agent.get(r[0]), transfers=int(r[3] or 0),
                              offline_at=r[4], left_at=r[5], visitor_wrote=r[6])
    times = await _agent_times(store, period, members)
    return compute(period, team, [dict(r) for r in rows], logs, names,
                   await store.agents.list_teams(), times)


async def _agent_times(store: Store, period: Period,
                       members: set[str]) -> dict[str, AgentTime]:
    """Time signed in and chats held, within the period (up to now), of `members`."""
    now = now_ms()
    start, end = period.start_ms, min(period.end_ms, now)
    if start >= end:
        return {}
    stretches: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for s in await store.availability.overlapping(start, end):
        if s.agent_id in members:
            stretches[s.agent_id].append(_span(s, now))
    c = conversations.c
    e = conversation_events.c
    async with store.read() as conn:
        events = (await conn.execute(
            sa.select(e.conversation_id, e.type, e.ts, e.data)
            .where(e.conversation_id.in_(
                       sa.select(c.id).where(c.created_at < end,
                                             sa.or_(c.ended_at.is_(None), c.ended_at > start))),
                   e.type.in_(HOLD_EVENTS))
            .order_by(e.conversation_id, e.seq))).all()
    chats: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for _, log in groupby(events, key=lambda r: r[0]):
        for agent_id, a, b in holds(((r[1], r[2], r[3] if isinstance(r[3], dict) else {})
                                     for r in log), now):
            if agent_id in stretches:
                chats[agent_id].append((a, b))
    return {agent_id: agent_time(spans, chats[agent_id], start, end)
            for agent_id, spans in stretches.items()}


def _span(s: Stretch, now: int) -> tuple[str, int, int]:
    return (s.state, s.started_at, s.ended_at if s.ended_at is not None else now)
