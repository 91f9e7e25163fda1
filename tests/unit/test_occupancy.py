"""Occupancy's arithmetic on hand-made stretches and logs: who held which chat when, busy and
idle time, chats at once, and the window's edges."""

from __future__ import annotations

from typing import Any

from signaling.occupancy import AgentTime, agent_time, holds

S = 1000
Event = tuple[str, int, dict[str, Any]]


def joined(agent: str, at: int) -> Event:
    return ("agent_joined", at, {"agent": {"id": agent, "name": agent}, "role": "assignee"})


def test_a_chat_is_held_from_pick_up_to_the_end_and_a_transfer_moves_it() -> None:
    log: list[Event] = [("conversation_queued", 0, {"team": "support"}), joined("ana", 10 * S),
           ("agent_joined", 12 * S, {"agent": {"id": "sup"}, "role": "supervisor"}),
           ("agent_left", 40 * S, {"agent_id": "ana", "reason": "transfer"}),
           ("conversation_queued", 40 * S, {"team": "billing"}), joined("bo", 55 * S),
           ("conversation_ended", 90 * S, {"reason": "agent_ended"})]
    assert holds(log, until=1000 * S) == [("ana", 10 * S, 40 * S), ("bo", 55 * S, 90 * S)]


def test_a_chat_still_open_is_held_until_now_and_a_message_left_holds_nobody() -> None:
    assert holds([joined("ana", 5 * S)], until=60 * S) == [("ana", 5 * S, 60 * S)]
    # Nobody was there: a message left, which an agent later takes to answer.
    message: list[Event] = [("conversation_offline", 0, {"reason": "no_agents"}),
                            joined("ana", 3600 * S),
                            ("conversation_ended", 3700 * S, {"reason": "agent_ended"})]
    assert holds(message, until=9999 * S) == []
    # A live chat that went back to the queue with nobody left became a message.
    requeued: list[Event] = [
        joined("ana", 0), ("agent_left", 30 * S, {"agent_id": "ana", "reason": "disconnected"}),
        ("conversation_queued", 30 * S, {"team": "support"}),
        ("conversation_offline", 31 * S, {"reason": "no_agents"}), joined("bo", 99 * S)]
    assert holds(requeued, until=200 * S) == [("ana", 0, 30 * S)]


def test_busy_idle_away_and_chats_at_once() -> None:
    # Online 0–100 s, away 100–160 s (finishing a chat until 120 s, then a break).
    stretches = [("online", 0, 100 * S), ("away", 100 * S, 160 * S)]
    chats = [(10 * S, 50 * S), (30 * S, 120 * S)]
    t = agent_time(stretches, chats, 0, 1000 * S)
    assert t == AgentTime(online_ms=100 * S, away_ms=60 * S, busy_ms=110 * S, idle_ms=10 * S,
                          chat_ms=130 * S)
    assert t.occupancy == round(110 / 120, 3)
    assert t.chats_at_once == round(130 / 110, 2)


def test_only_the_window_counts_and_chats_while_signed_out_do_not() -> None:
    stretches = [("online", -50 * S, 30 * S), ("online", 60 * S, 200 * S)]
    chats = [(-40 * S, 20 * S), (35 * S, 70 * S)]  # 30–60 s: signed out (in the grace period)
    t = agent_time(stretches, chats, 0, 100 * S)
    assert (t.online_ms, t.busy_ms, t.idle_ms, t.chat_ms) == (70 * S, 30 * S, 40 * S, 30 * S)


def test_nothing_to_divide_by() -> None:
    assert AgentTime().occupancy is None and AgentTime().chats_at_once is None
    away_only = agent_time([("away", 0, 10 * S)], [], 0, 10 * S)
    assert away_only.away_ms == 10 * S and away_only.occupancy is None
    assert (AgentTime(1, 2, 3, 4, 5) + AgentTime(1, 1, 1, 1, 1)) == AgentTime(2, 3, 4, 5, 6)
