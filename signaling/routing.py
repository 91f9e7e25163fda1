"""Routing decisions as pure functions: who gets a conversation, who is next in line, how long
the wait is, whether a team is open. No I/O here; `dispatcher.py` applies the decisions.

Estimated wait (also in docs/routing.md): a team with `capacity` concurrent slots among its
online agents frees, on average, `capacity / AHT` slots per second, where AHT is the mean
handling time (assignment to end) of the team's recent conversations. The visitor at
`position` p therefore waits about `p × AHT / capacity` seconds. The position counts the
conversations of other teams ahead that the same agents could take (`queue_positions`).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class AgentSlot:
    """An agent as routing sees them."""

    agent_id: str
    teams: frozenset[str]
    status: str  # online / away / offline, as the agent chose
    connected: bool
    load: int  # conversations offered to or held by the agent
    max_concurrent: int
    idle_since_ms: int  # when their load last went down, or they came online

    @property
    def available(self) -> bool:
        return self.connected and self.status == "online"

    @property
    def free(self) -> int:
        return max(0, self.max_concurrent - self.load)


@dataclass(frozen=True)
class QueueEntry:
    conversation_id: str
    team: str
    enqueued_ms: int
    # Conversations handed back (agent gone, transfer) go before the new ones.
    front: bool = False
    # While offered to an agent the conversation keeps its place but is not offered again.
    offered_to: str | None = None
    # Since when its shopper has had no page open (None: they have one): see `away`.
    gone_since: int | None = None

    @property
    def order(self) -> tuple[int, int, str]:
        return (0 if self.front else 1, self.enqueued_ms, self.conversation_id)


def choose_agent(agents: Iterable[AgentSlot], team: str,
                 cooling: Mapping[str, int] | None = None, now_ms: int = 0) -> str | None:
    """The available agent of `team` with free capacity and the fewest conversations, then the
    longest idle. Agents in `cooling` (agent id → until, ms) declined or missed this
    conversation lately and are skipped until then."""
    cooling = cooling or {}
    candidates = [
        a for a in agents
        if a.available and team in a.teams and a.free > 0 and cooling.get(a.agent_id, 0) <= now_ms
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda a: (a.load, a.idle_since_ms, a.agent_id)).agent_id


def away(queue: Iterable[QueueEntry], now_ms: int, after_s: float) -> set[str]:
    """Waiting conversations whose shopper has had no page open for `after_s` (within their
    grace period). Offers skip those gone at all (`after_s` 0: nobody would answer); positions
    leave out those gone a few seconds, so that a shopper between two pages of the store (a
    page load closes one socket and opens the next) does not move everyone behind them."""
    return {e.conversation_id for e in queue if e.offered_to is None
            and e.gone_since is not None and now_ms - e.gone_since >= after_s * 1000}


def plan_offers(queue: Sequence[QueueEntry], agents: Sequence[AgentSlot],
                cooling: Mapping[str, Mapping[str, int]], now_ms: int,
                away: Collection[str] = ()) -> list[tuple[str, str]]:
    """Offers to make now, first come first served per team: (conversation id, agent id).
    A conversation that only its cooling agents could take is skipped, not waited on, so it
    does not hold up the line behind it; so is one whose shopper has no page open (`away`: it
    keeps its place for the grace period, in case they come back, but takes no agent's time)."""
    slots = {a.agent_id: a for a in agents}
    offers: list[tuple[str, str]] = []
    for entry in sorted(queue, key=lambda e: e.order):
        if entry.offered_to is not None or entry.conversation_id in away:
            continue
        agent_id = choose_agent(slots.values(), entry.team,
                                cooling.get(entry.conversation_id), now_ms)
        if agent_id is None:
            continue
        slot = slots[agent_id]
        slots[agent_id] = AgentSlot(slot.agent_id, slot.teams, slot.status, slot.connected,
                                    slot.load + 1, slot.max_concurrent, now_ms)
        offers.append((entry.conversation_id, agent_id))
    return offers


def team_capacity(agents: Iterable[AgentSlot], team: str) -> int:
    return sum(a.max_concurrent for a in agents if a.available and team in a.teams)


def team_free(agents: Iterable[AgentSlot], team: str) -> int:
    return sum(a.free for a in agents if a.available and team in a.teams)


def average_handle_time(samples: Sequence[float], default_s: float) -> float:
    usable = [s for s in samples if s > 0]
    return sum(usable) / len(usable) if usable else default_s


def estimated_wait_s(position: int, capacity: int, aht_s: float) -> int | None:
    """None when nobody can take the conversation (capacity 0)."""
    if capacity <= 0:
        return None
    return math.ceil(position * aht_s / capacity)


def queue_positions(queue: Sequence[QueueEntry], team: str,
                    agents: Iterable[AgentSlot] = (),
                    away: Collection[str] = ()) -> list[tuple[str, int]]:
    """(conversation id, 1-based place in line) of the team's waiting conversations, in order;
    one being offered is first (its agent is picking it up) and counts for no one behind it.
    One whose shopper has no page open (`away`, see `plan_offers`) is passed over by the
    agents, so it counts for no one behind it either; its own place is the one it comes back
    to.

    Agents take the whole queue in order, whatever the team (`plan_offers`), so a conversation
    of another team waits ahead of ours when an agent who could take ours could take it too: a
    store whose one agent is in every team has one line, not one per team (where two shoppers
    would both read "You're next"). Without an available agent the team's own line counts."""
    sharing = _sharing_teams(team, agents)
    ordered = sorted((e for e in queue if e.team in sharing), key=lambda e: e.order)
    result: list[tuple[str, int]] = []
    ahead = 0
    for e in ordered:
        # A conversation being offered has its agent's place already (it counts in their
        # load): it is next itself, and no one waits behind it for a place to free up.
        if e.offered_to is not None:
            if e.team == team:
                result.append((e.conversation_id, 1))
            continue
        if e.conversation_id in away:
            if e.team == team:
                result.append((e.conversation_id, ahead + 1))
            continue
        ahead += 1
        if e.team == team:
            result.append((e.conversation_id, ahead))
    return result


def line_length(queue: Sequence[QueueEntry], team: str, agents: Iterable[AgentSlot],
                away: Collection[str] = ()) -> int:
    """How many wait ahead of a conversation of `team` that starts now (see queue_positions):
    those being offered are not waiting for a place, and those away are passed over."""
    sharing = _sharing_teams(team, agents)
    return sum(1 for e in queue if e.team in sharing and e.offered_to is None
               and e.conversation_id not in away)


def _sharing_teams(team: str, agents: Iterable[AgentSlot]) -> set[str]:
    """`team` and the teams of its available agents."""
    agents = list(agents)
    ours = {a.agent_id for a in agents if a.available and team in a.teams}
    return {t for a in agents if a.agent_id in ours for t in a.teams} | {team}


def is_open(business_hours: Mapping[str, Sequence[str]] | None, timezone: str,
            now: datetime) -> bool:
    """`business_hours` like {"mon": ["09:00-12:00", "13:00-17:00"], …}; None means always
    open; a missing day is closed. `now` must be timezone-aware."""
    if business_hours is None:
        return True
    local = now.astimezone(_zone(timezone))
    minute = local.hour * 60 + local.minute
    for span in business_hours.get(DAYS[local.weekday()], ()):
        start, end = parse_span(span)
        if start <= minute < end:
            return True
    return False


def next_opening(business_hours: Mapping[str, Sequence[str]] | None, timezone: str,
                 now: datetime) -> datetime | None:
    """When a site closed at `now` opens next (aware, in UTC), looking a week ahead; None when
    it is open now, always open, or never opens. Local times that a clock change skips or
    repeats are taken as `zoneinfo` reads them."""
    if business_hours is None or is_open(business_hours, timezone, now):
        return None
    zone = _zone(timezone)
    local = now.astimezone(zone)
    for ahead in range(8):
        day = (local + timedelta(days=ahead)).date()
        starts = sorted(parse_span(span)[0] for span in business_hours.get(DAYS[day.weekday()], ()))
        for start in starts:
            opening = datetime(day.year, day.month, day.day, start // 60, start % 60,
                               tzinfo=zone)
            if opening > local:
                return opening.astimezone(UTC)
    return None


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def parse_span(span: str) -> tuple[int, int]:
    """"09:00-17:30" → (540, 1050) minutes; "00:00-24:00" is the whole day."""
    try:
        a, b = span.split("-")
        start = _minutes(a)
        end = _minutes(b)
    except ValueError as exc:
        raise ValueError(f"not a time span: {span!r}") from exc
    if not 0 <= start < end <= 24 * 60:
        raise ValueError(f"not a time span: {span!r}")
    return start, end


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.strip().split(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(hhmm)
    return int(hours) * 60 + int(minutes)
