"""Routing through the real server: order, capacity, queue positions, offer timeouts, declines,
transfers, grace periods."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import ServerFactory
from tests.integration.flows import accepted_chat, send, start
from tests.integration.harness import AckError, Client, Server, until


async def test_offers_go_to_the_agent_with_fewest_conversations(server: Server) -> None:
    busy = await server.add_agent("busy")
    free = await server.add_agent("free")
    # "busy" takes the first conversation (both idle: whoever is offered, accept it).
    busy_console = await server.agent_client(busy)
    widget1, _ = await server.visitor()
    c1 = await start(widget1)
    await busy_console.wait_for("offer_received")
    await busy_console.call("accept_offer", {"conversation_id": c1["id"]})
    free_console = await server.agent_client(free)
    widget2, _ = await server.visitor()
    c2 = await start(widget2)
    offer = await free_console.wait_for("offer_received")
    assert offer["conversation"]["id"] == c2["id"]
    assert not busy_console.events("offer_received", lambda d: d["conversation"]["id"] == c2["id"])
    # The shopper writes while it rings: the agent offered it reads the new last message.
    await send(widget2, c2["id"], "Hello? Anyone?")
    updated = await free_console.wait_for("offer_updated")
    assert updated["conversation_id"] == c2["id"]
    assert updated["summary"]["last_message"] == "Hello? Anyone?"
    assert not busy_console.events("offer_updated")


async def test_full_capacity_queues_first_come_first_served_with_position_and_wait(
        server: Server) -> None:
    line = await queued_behind(server)
    # capacity 1, no history: the default handling time (300 s) per place in line.
    assert line.second["queue"]["estimated_wait_s"] == 600
    # The first conversation ends: the next in line is offered, the other moves up.
    console = line.console
    await console.call("end_conversation", {"conversation_id": line.busy["id"]})
    offer = await console.wait_for("offer_received",
                                   lambda d: d["conversation"]["id"] == line.first["id"])
    assert offer["summary"]["last_message"] == "Hello"
    # While offered, the first keeps its place; once taken, the second moves up.
    await console.call("accept_offer", {"conversation_id": line.first["id"]})
    moved = await line.w3.wait_for("queue_updated", lambda d: d["queue"]["position"] == 1)
    assert moved["conversation_id"] == line.second["id"]


@dataclass
class Line:
    """An agent busy with one chat (capacity 1), and two shoppers waiting behind it."""

    console: Client
    busy: dict[str, Any]
    w2: Client
    session2: dict[str, Any]
    first: dict[str, Any]
    w3: Client
    second: dict[str, Any]


async def queued_behind(server: Server) -> Line:
    agent = await server.add_agent(max_concurrent=1)
    console = await server.agent_client(agent)
    w1, _ = await server.visitor()
    busy = await start(w1)
    await console.wait_for("offer_received")
    await console.call("accept_offer", {"conversation_id": busy["id"]})
    w2, session2 = await server.visitor()
    w3, _ = await server.visitor()
    first = await start(w2)
    second = await start(w3)
    assert first["status"] == "queued" and first["queue"]["position"] == 1
    assert second["queue"]["position"] == 2
    return Line(console, busy, w2, session2, first, w3, second)


async def test_a_shopper_whose_page_is_closed_holds_up_no_one(make_server: ServerFactory
                                                            ) -> None:
    """A queued shopper closes their page: once gone a moment, the agents pass their chat over
    for the grace period, so the shopper behind them moves up, and a newcomer's estimate does
    not count them. Back within the grace period, they have their place again."""
    # A grace period longer than the test's waits.
    server = await make_server(visitor_grace_s=120.0, visitor_away_after_s=0.2)
    line = await queued_behind(server)
    w2, session2, first, w3, second = line.w2, line.session2, line.first, line.w3, line.second
    await w2.close()
    moved = await w3.wait_for("queue_updated", lambda d: d["queue"]["position"] == 1)
    assert moved["conversation_id"] == second["id"]
    newcomer, _ = await server.visitor()
    [support] = [t for t in (await newcomer.call("get_availability"))["teams"]
                 if t["team"] == "support"]
    assert support["estimated_wait_s"] == 2 * 300  # one ahead: capacity 1, default handle time
    w3.clear()
    back = await server.connect("/visitor", session2["token"],
                                headers={"Origin": server.origin})
    resumed = await back.call("resume", {"conversation_id": first["id"], "after_seq": 0})
    assert resumed["conversation"]["queue"]["position"] == 1
    await w3.wait_for("queue_updated", lambda d: d["queue"]["position"] == 2)


async def test_a_shopper_going_to_another_page_keeps_everyone_in_place(
        make_server: ServerFactory) -> None:
    """A page load closes one socket and opens the next: those behind are not told they moved
    up and then back (until 2026-11-25 each page load did)."""
    server = await make_server(visitor_grace_s=120.0, visitor_away_after_s=60.0)
    line = await queued_behind(server)
    w2, session2, first, w3 = line.w2, line.session2, line.first, line.w3
    await w2.close()
    timers = server.aisle.timers
    await until(lambda: timers.pending(f"visitor_away:{first['id']}"), what="the page closed")
    next_page = await server.connect("/visitor", session2["token"],
                                     headers={"Origin": server.origin})
    await next_page.call("resume", {"conversation_id": first["id"], "after_seq": 0})
    assert not timers.pending(f"visitor_away:{first['id']}")
    await server.aisle.dispatcher.route()  # whatever routing happens now
    assert [d["queue"]["position"] for d in w3.events("queue_updated")] == [2]


async def test_teams_that_share_their_agent_share_one_line(server: Server) -> None:
    """A small store's one agent answers sales and support: a support shopper and then a sales
    shopper are first and second in line (not both "next"), and are served in that order."""
    agent = await server.add_agent(teams=("sales", "support"), max_concurrent=1)
    console = await server.agent_client(agent)
    w1, _ = await server.visitor()
    busy = await start(w1, topic="buying")
    await console.wait_for("offer_received")
    await console.call("accept_offer", {"conversation_id": busy["id"]})
    w2, _ = await server.visitor()
    w3, _ = await server.visitor()
    support = await start(w2, topic="order")
    sales = await start(w3, topic="buying")
    assert support["queue"]["position"] == 1
    assert sales["queue"]["position"] == 2
    assert sales["queue"]["estimated_wait_s"] == 2 * support["queue"]["estimated_wait_s"]
    # A newcomer to either team would be third: the widget's estimate before starting says so.
    w4, _ = await server.visitor()
    teams = {t["team"]: t for t in (await w4.call("get_availability"))["teams"]}
    assert teams["support"]["estimated_wait_s"] == teams["sales"]["estimated_wait_s"] == (
        3 * support["queue"]["estimated_wait_s"])
    await console.call("end_conversation", {"conversation_id": busy["id"]})
    await console.wait_for("offer_received", lambda d: d["conversation"]["id"] == support["id"])
    await console.call("accept_offer", {"conversation_id": support["id"]})
    moved = await w3.wait_for("queue_updated", lambda d: d["queue"]["position"] == 1)
    assert moved["conversation_id"] == sales["id"]


async def test_an_unanswered_offer_passes_to_the_next_agent(make_server: ServerFactory) -> None:
    server = await make_server(offer_timeout_s=0.5)
    slow = await server.add_agent("slow")
    slow_console = await server.agent_client(slow)
    widget, _ = await server.visitor()
    conv = await start(widget)
    await slow_console.wait_for("offer_received")
    fast = await server.add_agent("fast")
    fast_console = await server.agent_client(fast)
    withdrawn = await slow_console.wait_for("offer_withdrawn")
    assert withdrawn == {"conversation_id": conv["id"], "reason": "timeout"}
    await fast_console.wait_for("offer_received", lambda d: d["conversation"]["id"] == conv["id"])
    with AckErrorExpected("conflict"):
        await slow_console.call("accept_offer", {"conversation_id": conv["id"]})
    accepted = await fast_console.call("accept_offer", {"conversation_id": conv["id"]})
    assert accepted["agent_id"] == fast.id
    events = await fast_console.call("resume", {"conversation_id": conv["id"], "after_seq": 0})
    types = [e["type"] for e in events["events"]]
    assert "offer_expired" in types and types[-1] == "agent_joined"


async def test_an_agent_who_misses_offers_in_a_row_is_set_away(
        make_server: ServerFactory) -> None:
    """Not at their desk: after AISLE_AWAY_AFTER_MISSED_OFFERS unanswered offers in a row they
    are set away and told why, and the shoppers go to a colleague; answering one (or choosing
    a status) starts the count again."""
    server = await make_server(offer_timeout_s=0.3, decline_cooldown_s=0.2,
                               away_after_missed_offers=2)
    gone = await server.add_agent("gone")
    console = await server.agent_client(gone)
    widget, _ = await server.visitor()
    conv = await start(widget)
    # One missed, then one answered: the count starts again.
    await console.wait_for("offer_withdrawn", lambda d: d["reason"] == "timeout")
    await console.wait_for("offer_received", count=2)
    await console.call("decline_offer", {"conversation_id": conv["id"]})
    # Two missed in a row now: away.
    told = await console.wait_for("set_away")
    assert told == {"missed": 2}
    assert len(console.events("offer_withdrawn", lambda d: d["reason"] == "timeout")) == 3
    me = await console.wait_for("agent_updated", lambda d: d["agent"]["status"] == "away")
    assert me["agent"]["id"] == gone.id
    record = await server.aisle.store.agents.get(gone.id)
    assert record is not None and record.status == "away"
    # Nobody else of the team is at their desk: the shopper is told so (and may leave a
    # message) instead of waiting on an empty chair.
    await widget.wait_for("conversation_updated",
                          lambda d: d["conversation"]["status"] == "offline")


async def test_a_declined_offer_goes_to_the_next_agent_then_back_after_cooldown(
        make_server: ServerFactory) -> None:
    server = await make_server(decline_cooldown_s=1.0)
    a = await server.add_agent("a")
    b = await server.add_agent("b")
    ca = await server.agent_client(a)
    cb = await server.agent_client(b)
    widget, _ = await server.visitor()
    conv = await start(widget)
    first_offer = await first_to_receive([ca, cb], "offer_received")
    second = cb if first_offer is ca else ca
    await first_offer.call("decline_offer", {"conversation_id": conv["id"]})
    await second.wait_for("offer_received", lambda d: d["conversation"]["id"] == conv["id"])
    await second.call("decline_offer", {"conversation_id": conv["id"]})
    # Both declined: after the cooldown it is offered again rather than waiting forever.
    await first_offer.wait_for("offer_received", count=2)


async def test_transfer_to_a_team_with_a_note(server: Server) -> None:
    widget, console, conv, agent = await accepted_chat(server)
    # Nobody of billing is there yet: refused, the chat stays as it was (a shopper on the page
    # is not turned into a message left).
    with AckErrorExpected("conflict"):
        await console.call("transfer", {"conversation_id": conv["id"], "to_team": "billing",
                                        "note": "Refund question"})
    still = await server.aisle.store.conversations.get(conv["id"])
    assert still is not None and still.status == "active"
    assert not widget.events("agent_left")
    billing = await server.add_agent("biller", teams=("billing",))
    billing_console = await server.agent_client(billing)
    result = await console.call("transfer", {"conversation_id": conv["id"], "to_team": "billing",
                                             "note": "Refund question"})
    assert result["team"] == "billing"
    offer = await billing_console.wait_for("offer_received")
    assert offer["conversation"]["id"] == conv["id"]
    assert offer["transfer_note"] == "Refund question"
    await billing_console.call("accept_offer", {"conversation_id": conv["id"]})
    joined = await widget.wait_for("agent_joined", lambda e: e["data"]["agent"]["id"] == billing.id)
    assert joined["data"]["role"] == "assignee"
    # The visitor saw the first agent leave, never the note.
    assert widget.events("agent_left", lambda e: e["data"]["reason"] == "transfer")
    assert not widget.events("conversation_transferred")
    history = await billing_console.call("get_history", {"conversation_id": conv["id"]})
    note = next(e for e in history["events"] if e["type"] == "conversation_transferred")
    assert note["data"]["note"] == "Refund question"
    # The old agent no longer acts on it.
    with AckErrorExpected("forbidden"):
        await send(console, conv["id"], "still here?")
    # Handed back to the queue later (the biller's shift ends): no handover, no note again.
    relief = await server.agent_client(await server.add_agent("relief", teams=("billing",)))
    await billing_console.call("set_status", {"status": "away", "hand_back": True})
    again = await relief.wait_for("offer_received")
    assert again["conversation"]["id"] == conv["id"] and again["transfer_note"] is None


async def test_transfer_to_a_named_agent(server: Server) -> None:
    widget, console, conv, agent = await accepted_chat(server)
    colleague = await server.add_agent("colleague", teams=("sales",))
    cc = await server.agent_client(colleague)
    await console.call("transfer", {"conversation_id": conv["id"], "to_agent_id": colleague.id,
                                    "note": "speaks Italian"})
    await cc.wait_for("offer_received", lambda d: d["conversation"]["id"] == conv["id"])
    await cc.call("accept_offer", {"conversation_id": conv["id"]})
    await send(cc, conv["id"], "Ciao!")
    offline = await server.add_agent("nobody", status="offline")
    w2, c2, conv2, _ = await accepted_chat(server)
    with AckErrorExpected("conflict"):
        await c2.call("transfer", {"conversation_id": conv2["id"], "to_agent_id": offline.id})


async def test_agent_disconnect_grace_then_back_to_the_front_of_the_queue(
        make_server: ServerFactory) -> None:
    server = await make_server(agent_grace_s=0.5)
    widget, console, conv, agent = await accepted_chat(server)
    widget.clear()
    await console.close()
    dropped = await widget.wait_for("presence_changed")
    assert dropped == {"conversation_id": conv["id"], "side": "agent", "online": False}
    left = await widget.wait_for("agent_left")
    assert left["data"]["reason"] == "disconnected"
    state = await widget.wait_for("conversation_updated",
                                  lambda d: d["conversation"]["status"] != "active")
    # Nobody else of the team: back in line first, then honestly offline.
    assert state["conversation"]["status"] == "queued"
    assert state["conversation"]["agent"] is None
    offline = await widget.wait_for("conversation_updated",
                                    lambda d: d["conversation"]["status"] == "offline")
    assert offline["conversation"]["offline_reason"] == "no_agents"


async def test_a_requeued_conversation_goes_before_newer_ones(
        make_server: ServerFactory) -> None:
    server = await make_server(agent_grace_s=0.5)
    widget, console, conv, agent = await accepted_chat(server)
    # Another agent of the team, busy with one conversation (their maximum).
    other = await server.add_agent("other", max_concurrent=1)
    other_console = await server.agent_client(other)
    filler_widget, _ = await server.visitor()
    filler = await start(filler_widget)
    await other_console.wait_for("offer_received")
    await other_console.call("accept_offer", {"conversation_id": filler["id"]})
    # A newer shopper waits; then the first agent drops and does not come back in time.
    late, _ = await server.visitor()
    newer = await start(late)
    await console.close()
    left = await widget.wait_for("agent_left")
    assert left["data"]["reason"] == "disconnected"
    await other_console.wait_for("team_queue_updated", lambda d: [
        c["id"] for c in d["waiting"]] == [conv["id"], newer["id"]])
    # The busy agent frees up: the handed-back conversation is offered first.
    await other_console.call("end_conversation", {"conversation_id": filler["id"]})
    offer = await other_console.wait_for("offer_received", count=2)
    assert offer["conversation"]["id"] == conv["id"]


async def test_an_agent_who_comes_back_within_grace_keeps_the_conversation(
        make_server: ServerFactory) -> None:
    server = await make_server(agent_grace_s=2.0)
    widget, console, conv, agent = await accepted_chat(server)
    await console.close()
    await widget.wait_for("presence_changed", lambda d: not d["online"])
    again = await server.agent_client(agent)
    await widget.wait_for("presence_changed", lambda d: d["online"])
    seq = await send(widget, conv["id"], "are you there?")
    await again.wait_for("message_created", lambda e: e["seq"] == seq)
    state = await again.call("get_conversation", {"conversation_id": conv["id"]})
    assert state["status"] == "active" and state["agent_id"] == agent.id


async def test_visitor_disconnect_grace_then_visitor_left(make_server: ServerFactory) -> None:
    server = await make_server(visitor_grace_s=0.5)
    widget, console, conv, _ = await accepted_chat(server)
    await widget.close()
    await console.wait_for("presence_changed", lambda d: d["side"] == "visitor" and not d["online"])
    ended = await console.wait_for("conversation_ended")
    assert ended["data"]["reason"] == "visitor_left"
    # When they left is kept: reports count their time to then, not to the grace period's end.
    assert ended["ts"] - 1000 < ended["data"]["left_at"] <= ended["ts"] - 450


async def test_going_away_withdraws_pending_offers(server: Server) -> None:
    agent = await server.add_agent()
    console = await server.agent_client(agent)
    other = await server.add_agent()
    other_console = await server.agent_client(other)
    await other_console.call("set_status", {"status": "away"})
    widget, _ = await server.visitor()
    conv = await start(widget)
    await console.wait_for("offer_received")
    info = await console.call("set_status", {"status": "away"})
    assert info["status"] == "away"
    withdrawn = await console.wait_for("offer_withdrawn")
    assert withdrawn["reason"] == "agent_away"
    # Nobody of the team online any more: the visitor is told honestly, the message is kept.
    state = await widget.wait_for("conversation_updated",
                                  lambda d: d["conversation"]["status"] == "offline")
    assert state["conversation"]["offline_reason"] == "no_agents"
    assert conv["id"] == state["conversation"]["id"]


async def test_an_agent_who_dropped_during_an_offer_is_offered_it_again_on_return(
        server: Server) -> None:
    """A one-agent store: the console reconnects while a chat is offered. The offer is
    withdrawn, and made again as soon as the agent is back (not after the cooldown that
    follows a decline or a missed offer)."""
    agent = await server.add_agent()
    console = await server.agent_client(agent)
    widget, _ = await server.visitor()
    conv = await start(widget)
    await console.wait_for("offer_received")
    await console.sio.disconnect()
    back = await server.agent_client(agent)
    offer = await back.wait_for("offer_received")
    assert offer["conversation"]["id"] == conv["id"]


async def test_an_agent_takes_a_waiting_chat_from_the_line(server: Server) -> None:
    """Dana declined by mistake: the cooldown keeps the chat from her, so she takes it from the
    line herself. Not one for another team, one offered to a colleague, or past her capacity."""
    dana = await server.add_agent("dana-take", max_concurrent=1)
    console = await server.agent_client(dana)
    widget, _ = await server.visitor()
    conv = await start(widget)
    await console.wait_for("offer_received")
    await console.call("decline_offer", {"conversation_id": conv["id"]})
    await console.wait_for("team_queue_updated", lambda d: [
        c["status"] for c in d["waiting"] if c["id"] == conv["id"]] == ["queued"])
    sales = await server.add_agent("sol-take", teams=("sales",))
    sales_console = await server.agent_client(sales)
    with pytest.raises(AckError) as refused:
        await sales_console.call("take_conversation", {"conversation_id": conv["id"]})
    assert refused.value.code == "forbidden"

    taken = await console.call("take_conversation", {"conversation_id": conv["id"]})
    assert (taken["status"], taken["agent_id"]) == ("active", dana.id)
    joined = await widget.wait_for("agent_joined")
    assert joined["data"]["agent"]["id"] == dana.id
    with pytest.raises(AckError) as again:
        await console.call("take_conversation", {"conversation_id": conv["id"]})
    assert again.value.code == "conflict"
    # At her limit of one chat: the next one waiting is not hers to take.
    w2, _ = await server.visitor()
    waiting = await start(w2)
    assert waiting["status"] == "queued"
    with pytest.raises(AckError) as full:
        await console.call("take_conversation", {"conversation_id": waiting["id"]})
    assert "limit" in full.value.error["message"]
    # Offered to a colleague: theirs to answer.
    eve = await server.add_agent("eve-take")
    eve_console = await server.agent_client(eve)
    await eve_console.wait_for("offer_received")
    with pytest.raises(AckError) as offered:
        await console.call("take_conversation", {"conversation_id": waiting["id"]})
    assert "colleague" in offered.value.error["message"]


async def first_to_receive(clients: list[Client], event: str) -> Client:
    waits = {asyncio.create_task(c.wait_for(event)): c for c in clients}
    done, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    return waits[done.pop()]


class AckErrorExpected:
    def __init__(self, code: str) -> None:
        self.code = code

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: object, tb: object) -> bool:
        if not isinstance(exc, AckError):
            raise AssertionError(f"expected an error ack {self.code!r}, got {exc!r}")
        if exc.code != self.code:
            raise AssertionError(f"expected {self.code!r}, got {exc.code!r}: {exc}")
        return True


async def test_an_offer_taken_or_declined_in_one_console_leaves_the_others(
        server: Server) -> None:
    """The same agent signed in twice (desk and laptop): the offer shows in both; once accepted
    or declined in one, the other stops showing it."""
    agent = await server.add_agent("two-screens")
    desk = await server.agent_client(agent)
    laptop = await server.agent_client(agent)
    w1, _ = await server.visitor()
    c1 = await start(w1)
    await desk.wait_for("offer_received")
    await laptop.wait_for("offer_received")
    await desk.call("accept_offer", {"conversation_id": c1["id"]})
    gone = await laptop.wait_for("offer_withdrawn")
    assert gone == {"conversation_id": c1["id"], "reason": "accepted"}
    w2, _ = await server.visitor()
    c2 = await start(w2)
    await laptop.wait_for("offer_received", lambda d: d["conversation"]["id"] == c2["id"])
    await laptop.call("decline_offer", {"conversation_id": c2["id"]})
    gone = await desk.wait_for("offer_withdrawn", lambda d: d["conversation_id"] == c2["id"])
    assert gone["reason"] == "declined"


async def test_going_offline_keeps_the_chats_or_hands_them_back(server: Server) -> None:
    """End of a shift: away keeps Alex's chats his (he may finish them); offline with
    `hand_back` puts them at the front of the queue at once, for Bea, and Alex stops getting
    their events."""
    widget, alex_console, conv, alex = await accepted_chat(server)
    with AckErrorExpected("invalid_payload"):
        await alex_console.call("set_status", {"status": "online", "hand_back": True})
    await alex_console.call("set_status", {"status": "away"})
    assert (await alex_console.call("get_conversation", {"conversation_id": conv["id"]}))[
        "agent_id"] == alex.id
    bea = await server.add_agent("bea")
    bea_console = await server.agent_client(bea)
    info = await alex_console.call("set_status", {"status": "offline", "hand_back": True})
    assert info["status"] == "offline"
    left = await widget.wait_for("agent_left")
    assert left["data"] == {"agent_id": alex.id, "reason": "unavailable"}
    await alex_console.wait_for("agent_left")  # his console closes the tab
    offer = await bea_console.wait_for("offer_received")
    assert offer["conversation"]["id"] == conv["id"]
    await bea_console.call("accept_offer", {"conversation_id": conv["id"]})
    await send(widget, conv["id"], "Hello Bea")
    await bea_console.wait_for("message_created", lambda d: d["data"]["text"] == "Hello Bea")
    assert not alex_console.events("message_created",
                                   lambda d: d["data"]["text"] == "Hello Bea")


async def test_handle_times_behind_estimates_are_live_chats_until_the_shopper_left(
        make_server: ServerFactory) -> None:
    """A chat the agent ended counts; one whose shopper closed the page counts until then, not
    until the grace period ended it; a message left and answered does not count at all."""
    server = await make_server(visitor_grace_s=0.5)
    _, console, ended_by_agent, _ = await accepted_chat(server)
    await console.call("end_conversation", {"conversation_id": ended_by_agent["id"]})
    gone, _ = await server.visitor()
    left = await start(gone)
    await console.wait_for("offer_received", lambda d: d["conversation"]["id"] == left["id"])
    await console.call("accept_offer", {"conversation_id": left["id"]})
    await gone.sio.disconnect()
    await console.wait_for("conversation_ended", lambda e: e["conversation_id"] == left["id"])
    billing = await server.agent_client(await server.add_agent(teams=("billing",),
                                                               status="away"))
    writer, _ = await server.visitor()
    message = await start(writer, topic="payment", message="Refund please")
    assert message["status"] == "offline"
    await send(billing, message["id"], "Done.")
    await billing.call("end_conversation", {"conversation_id": message["id"]})
    await billing.wait_for("conversation_ended")

    store = server.aisle.store.conversations
    assert await store.recent_handle_times("billing", 20) == []
    samples = await store.recent_handle_times("support", 20)
    assert len(samples) == 2
    row = await store.get(left["id"])
    assert row is not None and row.ended_at and row.assigned_at
    assert samples[0] < (row.ended_at - row.assigned_at) / 1000 - 0.4  # to when they left


async def test_a_shopper_who_closed_the_page_is_not_offered_until_they_are_back(
        make_server: ServerFactory) -> None:
    """Dana waits behind a busy agent and closes the page; the agent frees up: no offer goes
    to a chat nobody is at, Eli (behind her) is taken first, and Dana's chat keeps its place
    and is offered once a page of hers is open again."""
    server = await make_server(visitor_grace_s=30.0)
    agent = await server.add_agent(max_concurrent=1)
    console = await server.agent_client(agent)
    busy, _ = await server.visitor()
    first = await start(busy)
    await console.wait_for("offer_received")
    await console.call("accept_offer", {"conversation_id": first["id"]})
    dana, dana_session = await server.visitor()
    waiting = await start(dana)
    eli, _ = await server.visitor()
    behind = await start(eli)
    assert (waiting["status"], behind["status"]) == ("queued", "queued")
    await dana.sio.disconnect()
    await until(lambda: server.aisle.timers.pending(f"visitor_grace:{waiting['id']}"),
                what="the server hearing Dana's page close")
    await console.call("end_conversation", {"conversation_id": first["id"]})
    offer = await console.wait_for("offer_received", count=2)
    assert offer["conversation"]["id"] == behind["id"]
    await console.call("decline_offer", {"conversation_id": behind["id"]})
    await console.wait_for("offer_withdrawn", count=2)
    assert not [o for o in console.events("offer_received")
                if o["conversation"]["id"] == waiting["id"]]
    # Dana opens a page again: her chat is offered.
    back = await server.visitor_session(visitor_key=dana_session["visitor_key"])
    await server.connect("/visitor", back["token"], headers={"Origin": server.origin})
    again = await console.wait_for("offer_received", count=3)
    assert again["conversation"]["id"] == waiting["id"]
