"""Reports on the wire (REST, GET /api/v1/reports): the figures a support team manages by, for a
period of whole days in a time zone, optionally one team. Times are seconds."""

from __future__ import annotations

from .base import Model


class Durations(Model):
    """A distribution of durations in seconds (None when there were none)."""

    count: int
    median_s: float | None
    p90_s: float | None


class Totals(Model):
    started: int
    # Answered by an agent while the shopper waited.
    answered: int
    # Ended before an agent answered, without leaving a message.
    abandoned: int
    # Nobody was available (no agents, or outside hours): the shopper left a message.
    offline: int
    # Messages left that an agent has replied to since.
    offline_answered: int
    # Still waiting for an agent now.
    waiting: int
    transfers: int


class Csat(Model):
    responses: int
    # Ratings of 4 or 5 among the responses (None without responses).
    satisfied_ratio: float | None
    average: float | None
    # Responses among the answered conversations that have ended.
    response_ratio: float | None
    # How many of each rating, 1 to 5.
    distribution: list[int]


class SignedIn(Model):
    """Time signed in to the console during the period (an agent's, or their team's), and how
    much of it went to chats (docs/reports.md)."""

    # Taking chats; signed in but taking none.
    online_s: float
    away_s: float
    # Signed in (online or away) with at least one live chat open.
    busy_s: float
    # Online with no chat open.
    idle_s: float
    # busy / (busy + idle); None with neither.
    occupancy: float | None
    # Live chats open at once, on average, while busy.
    chats_at_once: float | None


class AgentRow(Model):
    agent_id: str
    name: str
    answered: int
    # Messages left (nobody was available) that this agent replied to.
    offline_answered: int
    first_response: Durations
    handle: Durations
    csat_responses: int
    csat_average: float | None
    time: SignedIn


class DayRow(Model):
    date: str  # YYYY-MM-DD in the report's time zone
    started: int
    answered: int
    abandoned: int
    offline: int


class Report(Model):
    from_date: str
    to_date: str  # inclusive
    tz: str
    team: str | None
    totals: Totals
    # Shopper waiting until an agent answered; until they gave up.
    wait: Durations
    abandoned_after: Durations
    # Answered until the agent's first message; answered until the end.
    first_response: Durations
    handle: Durations
    # The shopper's start until an agent's first message (the wait and the first response
    # as the shopper lived them; medians of the two do not add up to it).
    first_reply_from_start: Durations
    # A message left until an agent's first reply to it.
    offline_reply: Durations
    csat: Csat
    # The agents of the team (of any team, for all teams) together.
    time: SignedIn
    agents: list[AgentRow]
    days: list[DayRow]
    # Every team, for choosing one.
    teams: list[str]
