"""The honest offline path (no agent online, outside business hours), leaving a message, the
answer on the next visit, and CSAT after the end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from signaling.routing import DAYS
from tests.conftest import ServerFactory
from tests.integration.flows import accepted_chat, gone, send, start
from tests.integration.harness import AckError, Server


async def test_no_agent_online_is_said_and_a_message_can_be_left(server: Server) -> None:
    widget, session = await server.visitor()
    teams = {t["team"]: t for t in session["availability"]["teams"]}
    assert teams["support"] == {"team": "support", "available": False, "reason": "no_agents",
                                "estimated_wait_s": None, "opens_at": None}
    try:
        await start(widget, message=None)
        raise AssertionError("starting without a message should be refused")
    except AckError as err:
        assert err.code == "team_unavailable"
        assert err.error["details"] == {"reason": "no_agents"}
    conv = await start(widget, message="My parcel never arrived, order 1042",
                       fields={"name": "Dana", "email": "dana@example.com"})
    assert conv["status"] == "offline" and conv["offline_reason"] == "no_agents"
    # Ending it would take it out of the store's inbox unanswered: refused.
    try:
        await widget.call("leave_conversation", {"conversation_id": conv["id"]})
        raise AssertionError("a message left should not be withdrawn")
    except AckError as err:
        assert err.code == "conflict"
    await widget.close()  # the shopper leaves the store
    await gone(server, session["visitor_id"])

    # An agent comes online later, sees it in the inbox and answers.
    agent = await server.add_agent()
    console = await server.agent_client(agent)
    inbox = await console.call("list_offline", {})
    assert [c["id"] for c in inbox["conversations"]] == [conv["id"]]
    assert inbox["conversations"][0]["visitor_name"] == "Dana"
    assert inbox["conversations"][0]["agent_replied"] is False
    await send(console, conv["id"], "Sorry! We are sending a new one today.")
    inbox = await console.call("list_offline", {"include_answered": True})
    assert inbox["conversations"][0]["agent_replied"] is True
    state = await console.call("get_conversation", {"conversation_id": conv["id"]})
    assert state["agent_id"] == agent.id and state["status"] == "offline"

    # The visitor comes back later (new page load, same visitor key): the answer is there.
    # The agent answering the message sees them come back, and leave again.
    again = await server.visitor_session(visitor_key=session["visitor_key"])
    assert again["visitor_id"] == session["visitor_id"]
    assert again["conversation"]["id"] == conv["id"]
    back = await server.connect("/visitor", again["token"], headers={"Origin": server.origin})
    await console.wait_for("presence_changed", lambda d: d["online"])
    assert (await console.call("get_conversation", {"conversation_id": conv["id"]}))[
        "status"] == "offline"  # a message, whoever is on the page
    resumed = await back.call("resume", {"conversation_id": conv["id"], "after_seq": 0})
    texts = [e["data"]["text"] for e in resumed["events"] if e["type"] == "message_created"]
    assert texts == ["My parcel never arrived, order 1042",
                     "Sorry! We are sending a new one today."]
    await back.close()
    left = await console.wait_for("presence_changed", lambda d: not d["online"])
    assert left == {"conversation_id": conv["id"], "side": "visitor", "online": False}
    assert (await console.call("get_conversation", {"conversation_id": conv["id"]}))[
        "status"] == "offline"  # a message left does not end when its shopper goes


async def test_a_message_left_opened_from_the_inbox_is_followed_live(server: Server) -> None:
    widget, _ = await server.visitor()
    conv = await start(widget, message="Do you gift wrap?")
    # Away, reading the inbox.
    agent = await server.add_agent(status="away")
    console = await server.agent_client(agent)
    opened = await console.call("resume", {"conversation_id": conv["id"], "after_seq": 0})
    assert opened["visitor_online"] is True
    await send(widget, conv["id"], "And ship to Norway?")
    more = await console.wait_for("message_created")
    assert more["data"]["text"] == "And ship to Norway?"
    await widget.close()
    gone = await console.wait_for("presence_changed")
    assert gone == {"conversation_id": conv["id"], "side": "visitor", "online": False}


async def test_an_answered_offline_message_is_shown_even_after_it_was_closed(
        server: Server) -> None:
    widget, session = await server.visitor()
    conv = await start(widget, message="Do you ship to Norway?")
    agent = await server.add_agent(status="away")
    console = await server.agent_client(agent)
    await send(console, conv["id"], "Yes we do.")
    listed = await console.call("list_offline", {})
    assert [c["last_message"] for c in listed["conversations"]] == ["Do you ship to Norway?"]
    ended = await console.call("end_conversation", {"conversation_id": conv["id"]})
    assert ended["ended_reason"] == "closed_offline"
    again = await server.visitor_session(visitor_key=session["visitor_key"])
    assert again["conversation"]["id"] == conv["id"]
    back = await server.connect("/visitor", again["token"], headers={"Origin": server.origin})
    resumed = await back.call("resume", {"conversation_id": conv["id"], "after_seq": 0})
    last = [e for e in resumed["events"] if e["type"] == "message_created"][-1]
    await back.call("mark_read", {"conversation_id": conv["id"], "up_to_seq": last["seq"]})
    # Read: the next visit starts fresh.
    assert (await server.visitor_session(visitor_key=session["visitor_key"]))["conversation"] \
        is None


async def test_a_reply_sent_after_the_shopper_left_is_shown_on_the_next_visit(
        make_server: ServerFactory) -> None:
    """The shopper closed the page; the agent answered; the conversation ended when the
    shopper did not come back in time. Their next visit shows the answer, not an empty form."""
    server = await make_server(visitor_grace_s=0.3)
    agent = await server.add_agent()
    console = await server.agent_client(agent)
    widget, session = await server.visitor()
    conv = await start(widget, message="Where is my parcel?")
    await console.wait_for("offer_received")
    await console.call("accept_offer", {"conversation_id": conv["id"]})
    await widget.close()
    await send(console, conv["id"], "It is with the courier, arriving tomorrow.")
    ended = await console.wait_for("conversation_ended")
    assert ended["data"]["reason"] == "visitor_left"
    again = await server.visitor_session(visitor_key=session["visitor_key"])
    assert again["conversation"]["id"] == conv["id"]
    assert again["conversation"]["status"] == "ended"


async def test_a_chat_started_without_a_word_that_became_a_message_can_end(
        server: Server) -> None:
    """Nothing from the shopper to answer: ending it is not withdrawing a message, and it would
    otherwise keep them from starting another."""
    agent = await server.add_agent()
    console = await server.agent_client(agent)
    widget, _ = await server.visitor()
    conv = await start(widget, message=None)
    await console.wait_for("offer_received")
    await console.call("set_status", {"status": "away"})
    await widget.wait_for("conversation_updated",
                          lambda d: d["conversation"]["status"] == "offline")
    await widget.call("leave_conversation", {"conversation_id": conv["id"]})
    state = await server.aisle.store.conversations.get(conv["id"])
    assert state is not None and (state.status, state.ended_reason) == ("ended", "visitor_ended")


async def test_outside_business_hours_is_said(server: Server) -> None:
    site = await server.aisle.store.sites.get_by_key("demo")
    assert site is not None
    await server.aisle.store.sites.update(site.id, business_hours={}, timezone="UTC")
    agent = await server.add_agent()
    await server.agent_client(agent)
    widget, session = await server.visitor()
    assert {t["reason"] for t in session["availability"]["teams"]} == {"outside_hours"}
    assert {t["opens_at"] for t in session["availability"]["teams"]} == {None}  # never
    conv = await start(widget, message="Are you open on Sunday?")
    assert conv["offline_reason"] == "outside_hours"
    # Open only the day after tomorrow: the widget is told when.
    opens = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(2)
    await server.aisle.store.sites.update(
        site.id, business_hours={DAYS[opens.weekday()]: ["00:00-24:00"]}, timezone="UTC")
    teams = (await widget.call("get_availability"))["teams"]
    assert {t["opens_at"] for t in teams} == {int(opens.timestamp() * 1000)}


async def test_availability_changes_are_pushed(server: Server) -> None:
    widget, _ = await server.visitor()
    agent = await server.add_agent(teams=("sales",), max_concurrent=2)
    console = await server.agent_client(agent)
    pushed = await widget.wait_for("availability_changed", lambda d: any(
        t["team"] == "sales" and t["available"] for t in d["availability"]["teams"]))
    assert pushed["availability"]["teams"][0]["estimated_wait_s"] == 0
    # The agent takes a chat: still "available now". Full: a wait, told to the open pages.
    for n in (1, 2):
        shopper, _ = await server.visitor()
        conv_id = (await start(shopper, topic="buying"))["id"]
        offered = await console.wait_for("offer_received", count=n)
        assert offered["conversation"]["id"] == conv_id
        await console.call("accept_offer", {"conversation_id": conv_id})
    full = await widget.wait_for("availability_changed", lambda d: any(
        t["team"] == "sales" and (t["estimated_wait_s"] or 0) > 0
        for t in d["availability"]["teams"]))
    assert [t["available"] for t in full["availability"]["teams"] if t["team"] == "sales"] \
        == [True]
    await console.call("set_status", {"status": "away"})
    await widget.wait_for("availability_changed", lambda d: all(
        not t["available"] for t in d["availability"]["teams"]))


async def test_csat_after_the_end_once(server: Server) -> None:
    widget, console, conv, _ = await accepted_chat(server)
    try:
        await widget.call("rate_conversation", {"conversation_id": conv["id"], "rating": 5})
        raise AssertionError("rating an open conversation should be refused")
    except AckError as err:
        assert err.code == "conflict"
    await console.call("end_conversation", {"conversation_id": conv["id"]})
    ended = await widget.wait_for("conversation_ended")
    assert ended["data"]["reason"] == "agent_ended"
    await widget.call("rate_conversation", {"conversation_id": conv["id"], "rating": 4,
                                            "comment": "Helpful, a bit slow"})
    rated = await console.wait_for("conversation_rated")
    assert rated["data"] == {"rating": 4, "comment": "Helpful, a bit slow"}
    state = await console.call("get_conversation", {"conversation_id": conv["id"]})
    assert (state["rating"], state["rating_comment"]) == (4, "Helpful, a bit slow")
    for bad in (0, 6, "5"):
        try:
            await widget.call("rate_conversation", {"conversation_id": conv["id"],
                                                    "rating": bad})
            raise AssertionError("bad rating accepted")
        except AckError as err:
            assert err.code == "invalid_payload"
    try:
        await widget.call("rate_conversation", {"conversation_id": conv["id"], "rating": 1})
        raise AssertionError("second rating accepted")
    except AckError as err:
        assert err.code == "conflict"


async def test_visitor_ends_and_may_start_again(server: Server) -> None:
    widget, console, conv, _ = await accepted_chat(server)
    try:
        await start(widget)
        raise AssertionError("a second open conversation should be refused")
    except AckError as err:
        assert err.code == "limit_reached"
    await widget.call("leave_conversation", {"conversation_id": conv["id"]})
    ended = await console.wait_for("conversation_ended")
    assert ended["data"]["reason"] == "visitor_ended"
    second = await start(widget)
    assert second["id"] != conv["id"]


async def test_a_retried_start_returns_the_same_conversation(server: Server) -> None:
    await server.agent_client(await server.add_agent())
    widget, _ = await server.visitor()
    payload = {"topic": "order", "client_id": "start-1", "message": "hi"}
    first = await widget.call("start_conversation", payload)
    again = await widget.call("start_conversation", payload)
    assert first["id"] == again["id"]
