"""routing.py: pure decisions, no server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from signaling import routing
from signaling.routing import AgentSlot, QueueEntry


def slot(agent_id: str, *, teams: tuple[str, ...] = ("support",), status: str = "online",
         connected: bool = True, load: int = 0, max_concurrent: int = 3,
         idle_since: int = 0) -> AgentSlot:
    return AgentSlot(agent_id, frozenset(teams), status, connected, load, max_concurrent,
                     idle_since)


def test_fewest_active_conversations_first() -> None:
    agents = [slot("a", load=2), slot("b", load=1), slot("c", load=2)]
    assert routing.choose_agent(agents, "support") == "b"


def test_ties_go_to_the_longest_idle() -> None:
    agents = [slot("a", load=1, idle_since=500), slot("b", load=1, idle_since=100),
              slot("c", load=1, idle_since=300)]
    assert routing.choose_agent(agents, "support") == "b"


@pytest.mark.parametrize("agent", [
    slot("x", teams=("sales",)),
    slot("x", status="away"),
    slot("x", status="offline"),
    slot("x", connected=False),
    slot("x", load=3, max_concurrent=3),
])
def test_ineligible_agents_are_never_chosen(agent: AgentSlot) -> None:
    assert routing.choose_agent([agent], "support") is None


def test_cooling_agents_are_skipped_until_their_time() -> None:
    agents = [slot("a"), slot("b", load=1)]
    assert routing.choose_agent(agents, "support", {"a": 2000}, now_ms=1000) == "b"
    assert routing.choose_agent(agents, "support", {"a": 2000}, now_ms=2000) == "a"
    assert routing.choose_agent([slot("a")], "support", {"a": 2000}, now_ms=1000) is None


def test_plan_offers_is_first_come_first_served_and_counts_capacity() -> None:
    queue = [QueueEntry("c3", "support", 300), QueueEntry("c1", "support", 100),
             QueueEntry("c2", "support", 200)]
    agents = [slot("a", max_concurrent=1), slot("b", max_concurrent=1, idle_since=5)]
    offers = routing.plan_offers(queue, agents, {}, now_ms=1000)
    assert offers == [("c1", "a"), ("c2", "b")]


def test_plan_offers_puts_handed_back_conversations_first_and_skips_offered_ones() -> None:
    queue = [QueueEntry("new", "support", 100),
             QueueEntry("back", "support", 900, front=True),
             QueueEntry("offered", "support", 50, offered_to="z")]
    offers = routing.plan_offers(queue, [slot("a", max_concurrent=1)], {}, now_ms=1000)
    assert offers == [("back", "a")]


def test_a_blocked_conversation_does_not_hold_up_the_line() -> None:
    queue = [QueueEntry("c1", "support", 100), QueueEntry("c2", "support", 200)]
    cooling = {"c1": {"a": 5000}}
    assert routing.plan_offers(queue, [slot("a")], cooling, now_ms=1000) == [("c2", "a")]


def test_queue_positions_per_team() -> None:
    queue = [QueueEntry("s1", "sales", 10), QueueEntry("p2", "support", 30),
             QueueEntry("p1", "support", 20)]
    assert routing.queue_positions(queue, "support") == [("p1", 1), ("p2", 2)]


def test_one_line_for_teams_that_share_their_agents() -> None:
    """Sam's one agent answers sales and support: the line is one, oldest first, as the offers
    go. A billing agent's queue is billing's own, and so is a team with nobody available."""
    queue = [QueueEntry("s1", "sales", 10), QueueEntry("p1", "support", 20),
             QueueEntry("b1", "billing", 5), QueueEntry("s2", "sales", 30),
             QueueEntry("back", "support", 40, front=True)]
    sam, bo = slot("sam", teams=("sales", "support")), slot("bo", teams=("billing",))
    agents = [sam, bo]
    assert routing.queue_positions(queue, "support", agents) == [("back", 1), ("p1", 3)]
    assert routing.queue_positions(queue, "sales", agents) == [("s1", 2), ("s2", 4)]
    assert routing.queue_positions(queue, "billing", agents) == [("b1", 1)]
    # The same order as the offers: when Sam frees up, "back" then "s1" are offered.
    assert [c for c, _ in routing.plan_offers(
        queue, [slot("sam", teams=("sales", "support"), max_concurrent=2)], {}, 0)] == [
        "back", "s1"]
    # A newcomer to support or sales would be fifth; to billing, second.
    assert routing.line_length(queue, "support", agents) == 4
    assert routing.line_length(queue, "billing", agents) == 1
    away = slot("sam", teams=("sales", "support"), status="away")
    assert routing.queue_positions(queue, "support", [away]) == [("back", 1), ("p1", 2)]


def test_a_chat_being_offered_is_ahead_of_nobody() -> None:
    """It holds its agent's place already: the shopper behind it waits for the next place to
    free up, as if it were not there."""
    queue = [QueueEntry("p1", "support", 10, offered_to="ana"), QueueEntry("p2", "support", 20),
             QueueEntry("p3", "support", 30)]
    assert routing.queue_positions(queue, "support") == [("p1", 1), ("p2", 1), ("p3", 2)]
    assert routing.line_length(queue, "support", []) == 2


def test_a_chat_whose_shopper_is_away_holds_up_no_one() -> None:
    """The agents pass it over (`plan_offers`), so those behind it move up; it keeps the place
    it comes back to, and a newcomer does not count it."""
    queue = [QueueEntry("p1", "support", 10), QueueEntry("p2", "support", 20),
             QueueEntry("p3", "support", 30)]
    assert routing.queue_positions(queue, "support", away={"p1"}) == [
        ("p1", 1), ("p2", 1), ("p3", 2)]
    assert routing.queue_positions(queue, "support", away={"p2"}) == [
        ("p1", 1), ("p2", 2), ("p3", 2)]
    assert routing.line_length(queue, "support", [], away={"p1", "p3"}) == 1
    assert routing.plan_offers(queue, [slot("a", max_concurrent=1)], {}, 0, away={"p1"}) == [
        ("p2", "a")]


def test_a_shopper_is_away_once_gone_a_while_not_between_two_pages() -> None:
    queue = [QueueEntry("here", "support", 10), QueueEntry("loading", "support", 20,
                                                           gone_since=9_000),
             QueueEntry("gone", "support", 30, gone_since=5_000),
             QueueEntry("offered", "support", 40, offered_to="ana", gone_since=1_000)]
    assert routing.away(queue, now_ms=10_000, after_s=3.0) == {"gone"}
    assert routing.away(queue, now_ms=12_000, after_s=3.0) == {"gone", "loading"}
    assert routing.away(queue, now_ms=9_000, after_s=0) == {"gone", "loading"}


def test_estimated_wait_formula() -> None:
    # capacity 4 slots, mean handling 120 s: one slot frees every 30 s on average.
    assert routing.estimated_wait_s(1, 4, 120.0) == 30
    assert routing.estimated_wait_s(3, 4, 120.0) == 90
    assert routing.estimated_wait_s(1, 0, 120.0) is None
    assert routing.team_capacity([slot("a", max_concurrent=3), slot("b", max_concurrent=2),
                                  slot("c", status="away")], "support") == 5


def test_average_handle_time_falls_back_to_the_default() -> None:
    assert routing.average_handle_time([], 300.0) == 300.0
    assert routing.average_handle_time([60.0, 120.0], 300.0) == 90.0


HOURS = {"mon": ["09:00-12:00", "13:00-17:30"], "sat": ["10:00-14:00"]}


@pytest.mark.parametrize(("when", "expected"), [
    (datetime(2026, 11, 23, 9, 0, tzinfo=UTC), True),  # Monday 09:00 UTC = 10:00 in Paris
    (datetime(2026, 11, 23, 11, 30, tzinfo=UTC), False),  # 12:30 Paris: lunch
    (datetime(2026, 11, 23, 16, 29, tzinfo=UTC), True),  # 17:29 Paris
    (datetime(2026, 11, 23, 16, 30, tzinfo=UTC), False),  # 17:30 Paris: closed
    (datetime(2026, 11, 24, 10, 0, tzinfo=UTC), False),  # Tuesday: not listed
    (datetime(2026, 11, 28, 12, 0, tzinfo=UTC), True),  # Saturday 13:00 Paris
])
def test_business_hours_in_the_site_time_zone(when: datetime, expected: bool) -> None:
    assert routing.is_open(HOURS, "Europe/Paris", when) is expected


@pytest.mark.parametrize(("when", "opens"), [
    # Monday 12:30 in Paris (lunch): 13:00 Paris = 12:00 UTC.
    (datetime(2026, 11, 23, 11, 30, tzinfo=UTC), datetime(2026, 11, 23, 12, 0, tzinfo=UTC)),
    # Monday evening: Saturday 10:00 Paris.
    (datetime(2026, 11, 23, 18, 0, tzinfo=UTC), datetime(2026, 11, 28, 9, 0, tzinfo=UTC)),
    # Saturday after closing: Monday 09:00 Paris.
    (datetime(2026, 11, 28, 15, 0, tzinfo=UTC), datetime(2026, 11, 30, 8, 0, tzinfo=UTC)),
    # Monday 06:00 Paris, before opening: the same morning.
    (datetime(2026, 11, 23, 5, 0, tzinfo=UTC), datetime(2026, 11, 23, 8, 0, tzinfo=UTC)),
    # Open now: nothing to wait for.
    (datetime(2026, 11, 23, 9, 0, tzinfo=UTC), None),
    # Across the change to summer time: Saturday 28 March 2026 after closing → Monday 30
    # March 09:00 Paris, now UTC+2.
    (datetime(2026, 3, 28, 15, 0, tzinfo=UTC), datetime(2026, 3, 30, 7, 0, tzinfo=UTC)),
])
def test_when_a_closed_site_opens_next(when: datetime, opens: datetime | None) -> None:
    assert routing.next_opening(HOURS, "Europe/Paris", when) == opens


def test_a_site_that_never_opens_or_never_closes_has_no_next_opening() -> None:
    now = datetime(2026, 11, 23, 11, 30, tzinfo=UTC)
    assert routing.next_opening({}, "UTC", now) is None
    assert routing.next_opening(None, "UTC", now) is None


def test_no_business_hours_means_always_open() -> None:
    assert routing.is_open(None, "UTC", datetime(2026, 1, 1, 3, tzinfo=UTC))


@pytest.mark.parametrize("span", ["9-17", "17:00-09:00", "09:00-25:00", "aa:bb-cc:dd", ""])
def test_bad_spans_are_rejected(span: str) -> None:
    with pytest.raises(ValueError):
        routing.parse_span(span)
