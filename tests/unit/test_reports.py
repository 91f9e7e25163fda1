"""The report's arithmetic on hand-made rows: outcomes, quantiles, CSAT, per agent, and days cut
at midnight in the report's time zone."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from signaling.errors import InvalidPayload
from signaling.occupancy import AgentTime
from signaling.reports import LogFacts, Period, compute, durations, parse_period

PARIS = ZoneInfo("Europe/Paris")
# 2026-03-10 00:00 in Paris (UTC+1) is 2026-03-09 23:00 UTC.
MIDNIGHT = 1_773_097_200_000
S = 1000


def row(n: int, at: int, *, assigned: int | None = None, ended: int | None = None,
        offline: str | None = None, rating: int | None = None, agent: str | None = "a1"
        ) -> dict[str, Any]:
    return {"id": f"c{n}", "agent_id": agent if assigned is not None else None,
            "created_at": at, "queued_at": at, "assigned_at": assigned, "ended_at": ended,
            "offline_reason": offline, "rating": rating}


def test_outcomes_times_csat_agents_and_days() -> None:
    period = Period(date(2026, 3, 9), date(2026, 3, 10), PARIS)
    assert period.start_ms == MIDNIGHT - 24 * 3600 * S and period.end_ms == MIDNIGHT + 24 * 3600 * S
    t = MIDNIGHT + 3600 * S  # 01:00 on the 10th
    rows = [
        row(1, t, assigned=t + 10 * S, ended=t + 310 * S, rating=5),
        row(2, t, assigned=t + 20 * S, ended=t + 620 * S, rating=3, agent="a2"),
        row(3, t, assigned=t + 30 * S, ended=None),                   # still open
        row(4, t, ended=t + 45 * S),                                  # gave up
        row(5, MIDNIGHT - S, offline="no_agents",                     # 23:59 on the 9th,
            assigned=MIDNIGHT + 8 * 3600 * S, agent="a2"),            # Bea took it at 8:00
        row(6, t),                                                    # waiting
        row(7, t, offline="outside_hours"),                           # a message, not replied to
    ]
    # The log knows better than the row: c2 was transferred, so its row says when it was
    # queued again (t + 35 s) and when the second agent took it (t + 40 s); the log says the
    # first agent took it at t + 20 s and replied at t + 80 s.
    rows[1].update(queued_at=t + 35 * S, assigned_at=t + 40 * S)
    logs = {"c1": LogFacts(first_assigned=t + 10 * S, first_reply=t + 12 * S),
            "c2": LogFacts(first_assigned=t + 20 * S, first_reply=t + 80 * S,
                           transfers=1),
            "c3": LogFacts(first_assigned=t + 30 * S),
            # An agent took the message left at 23:59 the next morning and replied.
            "c5": LogFacts(first_assigned=MIDNIGHT + 8 * 3600 * S,
                           first_reply=MIDNIGHT + 8 * 3600 * S + 90 * S,
                           offline_at=MIDNIGHT - S, visitor_wrote=MIDNIGHT - S),
            "c7": LogFacts(offline_at=t, visitor_wrote=t)}
    report = compute(period, "support", rows, logs, {"a1": "Alex", "a2": "Bea"})
    assert report.totals.model_dump() == {"started": 7, "answered": 3, "abandoned": 1,
                                          "offline": 2, "offline_answered": 1, "waiting": 1,
                                          "transfers": 1}
    # Still a message left, not an answered chat: its reply is timed apart.
    assert report.offline_reply.model_dump() == {"count": 1, "median_s": 8 * 3600 + 91.0,
                                                 "p90_s": 8 * 3600 + 91.0}
    assert report.wait.model_dump() == {"count": 3, "median_s": 20.0, "p90_s": 28.0}
    assert report.first_response.model_dump() == {"count": 2, "median_s": 31.0, "p90_s": 54.2}
    assert report.handle.model_dump() == {"count": 2, "median_s": 450.0, "p90_s": 570.0}
    assert report.abandoned_after.model_dump() == {"count": 1, "median_s": 45.0, "p90_s": 45.0}
    assert report.csat.model_dump() == {"responses": 2, "satisfied_ratio": 0.5, "average": 4.0,
                                        "response_ratio": 1.0, "distribution": [0, 0, 1, 0, 1]}
    assert [(a.name, a.answered, a.offline_answered, a.csat_average)
            for a in report.agents] == [("Alex", 2, 0, 5.0), ("Bea", 1, 1, 3.0)]
    assert [(d.date, d.started, d.answered, d.offline) for d in report.days] == [
        ("2026-03-09", 1, 0, 1), ("2026-03-10", 6, 3, 1)]


def test_durations_of_nothing_and_of_one() -> None:
    assert durations([]).model_dump() == {"count": 0, "median_s": None, "p90_s": None}
    assert durations([1500]).model_dump() == {"count": 1, "median_s": 1.5, "p90_s": 1.5}


def test_periods() -> None:
    p = parse_period("2026-03-01", "2026-03-31", "Europe/Paris")
    assert len(p.days()) == 31 and p.tz.key == "Europe/Paris"
    assert len(parse_period(None, "2026-03-31", None).days()) == 7
    for args in [("2026-03-02", "2026-03-01", None), ("2025-01-01", "2026-03-01", None),
                 ("03/01/2026", None, None), (None, None, "Nowhere/Else")]:
        with pytest.raises(InvalidPayload):
            parse_period(*args)


def test_the_wait_runs_from_the_start_whatever_came_between() -> None:
    """Offered at once (no queued event) and accepted after 90 s, or queued for 45 s and then
    offered and accepted 11 s later; either transferred later (queued again): they waited 90 s
    and 56 s."""
    period = Period(date(2026, 3, 10), date(2026, 3, 10), PARIS)
    t = MIDNIGHT + 3600 * S
    rows = [row(1, t, assigned=t + 204 * S, ended=t + 400 * S),
            row(2, t, assigned=t + 300 * S, ended=t + 400 * S)]
    rows[0].update(queued_at=t + 204 * S)
    rows[1].update(queued_at=t + 300 * S)
    logs = {"c1": LogFacts(first_assigned=t + 90 * S, transfers=1),
            "c2": LogFacts(first_assigned=t + 56 * S, transfers=1)}
    report = compute(period, None, rows, logs, {})
    assert (report.wait.count, report.wait.median_s, report.wait.p90_s) == (2, 73.0, 86.6)


def test_per_agent_credit_goes_to_who_answered_and_who_closed() -> None:
    """Alex took it and replied; Bea, after a transfer, closed it and was rated."""
    period = Period(date(2026, 3, 10), date(2026, 3, 10), PARIS)
    t = MIDNIGHT + 3600 * S
    rows = [row(1, t, assigned=t + 100 * S, ended=t + 400 * S, rating=5, agent="bea")]
    logs = {"c1": LogFacts(first_assigned=t + 10 * S, first_agent="alex",
                           first_reply=t + 25 * S, transfers=1)}
    report = compute(period, None, rows, logs, {"alex": "Alex", "bea": "Bea"})
    assert [(a.name, a.answered, a.first_response.count, a.handle.count, a.csat_responses)
            for a in report.agents] == [("Alex", 1, 1, 0, 0), ("Bea", 0, 0, 1, 1)]


def test_a_chat_answered_live_stays_answered_when_it_becomes_a_message() -> None:
    """Alex took c1 and replied; his connection dropped, nobody was left, and it became a
    message (offline) that Bea answered later: an answered chat of Alex's, not a message left.
    c2 went back to the queue when Alex dropped and the shopper left while it waited: its row
    has no agent, the handle time is still Alex's."""
    period = Period(date(2026, 3, 10), date(2026, 3, 10), PARIS)
    t = MIDNIGHT + 3600 * S
    rows = [row(1, t, assigned=t + 10 * S, agent=None, offline="no_agents"),
            row(2, t, assigned=t + 5 * S, ended=t + 200 * S, agent=None)]
    rows[0]["agent_id"] = "bea"
    logs = {"c1": LogFacts(first_assigned=t + 10 * S, first_agent="alex",
                           first_reply=t + 30 * S, last_agent="bea", offline_at=t + 100 * S),
            "c2": LogFacts(first_assigned=t + 5 * S, first_agent="alex", last_agent="alex")}
    report = compute(period, None, rows, logs, {"alex": "Alex", "bea": "Bea"})
    assert report.totals.model_dump() == {"started": 2, "answered": 2, "abandoned": 0,
                                          "offline": 0, "offline_answered": 0, "waiting": 0,
                                          "transfers": 0}
    assert report.offline_reply.count == 0
    assert [(a.name, a.answered, a.offline_answered, a.first_response.count, a.handle.count)
            for a in report.agents] == [("Alex", 2, 0, 1, 1)]


def test_a_first_response_is_the_agents_own() -> None:
    """Alex took it and transferred it before writing; Bea replied 5 s after he had taken it:
    the conversation's first response is 5 s, and it is not Alex's. The shopper, who had
    waited 10 s, got that reply 15 s after starting."""
    period = Period(date(2026, 3, 10), date(2026, 3, 10), PARIS)
    t = MIDNIGHT + 3600 * S
    rows = [row(1, t, assigned=t + 60 * S, ended=t + 300 * S, agent="bea")]
    logs = {"c1": LogFacts(first_assigned=t + 10 * S, first_agent="alex", first_reply=None,
                           any_reply=t + 15 * S, transfers=1)}
    report = compute(period, None, rows, logs, {"alex": "Alex", "bea": "Bea"})
    assert (report.first_response.count, report.first_response.median_s) == (1, 5.0)
    assert (report.first_reply_from_start.count,
            report.first_reply_from_start.median_s) == (1, 15.0)
    assert [(a.name, a.answered, a.first_response.count) for a in report.agents] == [
        ("Alex", 1, 0), ("Bea", 0, 0)]


def test_a_shopper_who_closed_the_page_waited_until_then() -> None:
    """Oz closed the page 3 s into the queue; the conversation ended 120 s later (the grace
    period): he gave up after 3 s. Mona's chat ended the same way, 40 s after she left."""
    period = Period(date(2026, 3, 10), date(2026, 3, 10), PARIS)
    t = MIDNIGHT + 3600 * S
    rows = [row(1, t, ended=t + 123 * S), row(2, t, assigned=t + 2 * S, ended=t + 82 * S)]
    logs = {"c1": LogFacts(left_at=t + 3 * S),
            "c2": LogFacts(first_assigned=t + 2 * S, first_agent="a1", left_at=t + 42 * S)}
    report = compute(period, None, rows, logs, {})
    assert (report.abandoned_after.count, report.abandoned_after.median_s) == (1, 3.0)
    assert (report.handle.count, report.handle.median_s) == (1, 40.0)


def test_nobody_there_to_answer_and_nothing_left_are_abandoned() -> None:
    """Oz closed the page 1 s into the queue; Alex took the chat 3 s later, in the grace period
    before it ended: nobody was there, so it was abandoned after 1 s, and none of it is Alex's.
    Mia waited 3 s, then the last agent went away and the queue became messages: she wrote
    nothing, so there is no message left: abandoned after 3 s (she was still on the page)."""
    period = Period(date(2026, 3, 10), date(2026, 3, 10), PARIS)
    t = MIDNIGHT + 3600 * S
    rows = [row(1, t, assigned=t + 4 * S, ended=t + 121 * S), row(2, t, offline="no_agents")]
    logs = {"c1": LogFacts(first_assigned=t + 4 * S, first_agent="a1", left_at=t + S),
            "c2": LogFacts(offline_at=t + 3 * S)}
    report = compute(period, None, rows, logs, {"a1": "Alex"})
    assert (report.totals.answered, report.totals.abandoned, report.totals.offline) == (0, 2, 0)
    assert (report.abandoned_after.count, report.abandoned_after.median_s) == (2, 2.0)
    assert (report.wait.count, report.handle.count, report.agents) == (0, 0, [])


def test_agents_time_signed_in_has_rows_and_totals() -> None:
    period = Period(date(2026, 3, 10), date(2026, 3, 10), PARIS)
    t = MIDNIGHT + 3600 * S
    rows = [row(1, t, assigned=t + 10 * S, ended=t + 70 * S)]
    times = {"a1": AgentTime(online_ms=100 * S, busy_ms=60 * S, idle_ms=40 * S, chat_ms=60 * S),
             "a2": AgentTime(online_ms=50 * S, away_ms=50 * S, idle_ms=50 * S),
             "a3": AgentTime()}  # a member who never signed in: no row
    report = compute(period, None, rows, {"c1": LogFacts(first_assigned=t + 10 * S)},
                     {"a1": "Alex", "a2": "Bea", "a3": "Cy"}, times=times)
    assert [(a.name, a.answered, a.time.online_s, a.time.occupancy) for a in report.agents] == [
        ("Alex", 1, 100.0, 0.6), ("Bea", 0, 50.0, 0.0)]
    assert report.time.model_dump() == {"online_s": 150.0, "away_s": 50.0, "busy_s": 60.0,
                                        "idle_s": 90.0, "occupancy": 0.4, "chats_at_once": 1.0}
