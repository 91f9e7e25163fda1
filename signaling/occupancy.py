"""Agents' occupancy, pure: from each agent's stretches signed in (online or away, written by
`time_log.py`) and the live chats they held (read from conversation logs), over a window.

- **busy**: signed in (online or away) with at least one live chat open;
- **idle**: online, taking chats, with none open;
- **occupancy** = busy / (busy + idle), the contact-centre figure: time away without a chat
  (a break, a meeting) is in neither, time away finishing chats is busy;
- **chats at once**: the chats open on average while busy (chat time / busy time).

A chat is held from the moment an agent takes it until it ends, goes back to the queue (a
transfer, a requeue) or the agent leaves it; a message left that an agent takes to answer
is not a live chat and holds nobody."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Events that start or end a hold, in a conversation's log.
HOLD_EVENTS = ("agent_joined", "agent_left", "conversation_queued", "conversation_offline",
               "conversation_ended")


@dataclass(frozen=True)
class AgentTime:
    online_ms: int = 0
    away_ms: int = 0
    busy_ms: int = 0
    idle_ms: int = 0
    chat_ms: int = 0  # the chats open × time, while signed in

    def __add__(self, other: AgentTime) -> AgentTime:
        return AgentTime(self.online_ms + other.online_ms, self.away_ms + other.away_ms,
                         self.busy_ms + other.busy_ms, self.idle_ms + other.idle_ms,
                         self.chat_ms + other.chat_ms)

    @property
    def occupancy(self) -> float | None:
        worked = self.busy_ms + self.idle_ms
        return round(self.busy_ms / worked, 3) if worked else None

    @property
    def chats_at_once(self) -> float | None:
        return round(self.chat_ms / self.busy_ms, 2) if self.busy_ms else None


def holds(events: Iterable[tuple[str, int, Mapping[str, Any]]],
          until: int) -> list[tuple[str, int, int]]:
    """(agent id, from, to) of one conversation's holds, from its events in log order:
    (type, ts, data). A hold still open at the end of the log lasts `until`."""
    result: list[tuple[str, int, int]] = []
    holder: tuple[str, int] | None = None
    offline = False

    def release(at: int) -> None:
        nonlocal holder
        if holder is not None:
            result.append((holder[0], holder[1], max(holder[1], at)))
            holder = None

    for kind, ts, data in events:
        if kind == "agent_joined" and data.get("role") == "assignee":
            release(ts)
            agent = data.get("agent")
            agent_id = agent.get("id") if isinstance(agent, Mapping) else None
            if isinstance(agent_id, str) and not offline:
                holder = (agent_id, ts)
        elif kind == "agent_left":
            if holder is not None and data.get("agent_id") == holder[0]:
                release(ts)
        elif kind == "conversation_queued":
            release(ts)
            offline = False
        elif kind == "conversation_offline":
            release(ts)
            offline = True
        elif kind == "conversation_ended":
            release(ts)
            break
    release(until)
    return result


def agent_time(stretches: Sequence[tuple[str, int, int]], chats: Sequence[tuple[int, int]],
               start: int, end: int) -> AgentTime:
    """One agent's figures within [start, end): `stretches` are (state, from, to) with state
    online or away, `chats` the (from, to) of the chats they held."""
    # A sweep over every boundary, clipped to the window: +1/-1 on "online", "away", "chats".
    marks: list[tuple[int, str, int]] = []
    for state, a, b in stretches:
        a, b = max(a, start), min(b, end)
        if a < b and state in ("online", "away"):
            marks += [(a, state, 1), (b, state, -1)]
    for a, b in chats:
        a, b = max(a, start), min(b, end)
        if a < b:
            marks += [(a, "chats", 1), (b, "chats", -1)]
    marks.sort(key=lambda m: m[0])
    open_ = {"online": 0, "away": 0, "chats": 0}
    online = away = busy = idle = chat = 0
    last = start
    for at, kind, step in marks:
        span = at - last
        if span > 0:
            # Overlapping stretches (never written, but a clock step could make them) count
            # once, online first.
            if open_["online"] > 0:
                online += span
            elif open_["away"] > 0:
                away += span
            if open_["online"] > 0 or open_["away"] > 0:
                if open_["chats"] > 0:
                    busy += span
                    chat += span * open_["chats"]
                elif open_["online"] > 0:
                    idle += span
        open_[kind] += step
        last = at
    return AgentTime(online, away, busy, idle, chat)
