"""The console's search: an agent finds what they may read whole (conversations they hold or
held last, their teams' messages left) by the shopper's name or email address, by words written
in them, or by id; nobody else's. A supervisor finds everyone's. Bad input is refused and the
connection goes on."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.flows import accepted_chat, send, start
from tests.integration.harness import AckError, Client, Server


async def found(console: Client, text: str) -> list[str]:
    result: dict[str, Any] = await console.call("search_conversations", {"text": text})
    return [c["id"] for c in result["conversations"]]


async def test_an_agent_finds_their_own_and_their_teams_messages_left(server: Server) -> None:
    widget, ana, dana_chat, _ = await accepted_chat(server)
    await widget.call("identify", {"name": "Dana Li", "email": "dana@example.com"})
    await send(widget, dana_chat["id"], "Where is order 1042? It said 2_3 days")
    await send(ana, dana_chat["id"], "Checking the courier now", event="send_note")
    await ana.call("end_conversation", {"conversation_id": dana_chat["id"]})
    # Someone else's chat, about the same order.
    other_widget, bo, other_chat, _ = await accepted_chat(server)
    await send(other_widget, other_chat["id"], "Is order 1042 mine too?")
    # A message left for billing, where nobody is online; Ana is in billing as well.
    billing = await server.add_agent("ana-billing", teams=("billing",), status="away")
    left_widget, _ = await server.visitor()
    left = await start(left_widget, topic="payment", message="Refund for order 1042 please")
    assert left["status"] == "offline"

    assert await found(ana, "dana") == [dana_chat["id"]]
    assert await found(ana, "LI") == [dana_chat["id"]]
    assert await found(ana, "DANA@example") == [dana_chat["id"]]
    assert await found(ana, "  1042 courier ") == [dana_chat["id"]]  # every word, note too
    assert await found(ana, "1042 refund") == []  # not Ana's team's message
    assert await found(ana, "2_3") == [dana_chat["id"]]  # LIKE's characters as written
    assert await found(ana, "2%3") == []
    assert await found(bo, "1042") == [other_chat["id"]]
    assert await found(bo, dana_chat["id"]) == []  # an id finds only what one may read
    billing_console = await server.agent_client(billing)
    assert await found(billing_console, "1042") == [left["id"]]
    # What is found opens: the same rights as get_conversation.
    opened = await ana.call("get_conversation", {"conversation_id": dana_chat["id"]})
    assert opened["status"] == "ended"

    boss = await server.add_agent("boss", role="supervisor", teams=())
    supervisor = await server.agent_client(boss)
    assert await found(supervisor, "1042") == [left["id"], other_chat["id"], dana_chat["id"]]
    assert await found(supervisor, dana_chat["id"]) == [dana_chat["id"]]
    result = await supervisor.call("search_conversations", {"text": "1042", "limit": 1})
    [line] = result["conversations"]
    assert line["id"] == left["id"] and line["last_message"] == "Refund for order 1042 please"


async def test_letters_beyond_ascii_are_found_whatever_their_case(server: Server) -> None:
    """SQLite's own lower() folds only ASCII: the store gives it Python's (matching.py)."""
    widget, ana, conv, _ = await accepted_chat(server)
    await widget.call("identify", {"name": "Élodie Ørsted"})
    await send(widget, conv["id"], "Die Größe ÜBER dem Ölçü")
    for text in ("élodie", "ÉLODIE", "ørsted", "über", "ölçü größe", "ÖLÇÜ"):
        assert await found(ana, text) == [conv["id"]], text


@pytest.mark.parametrize("payload", [
    {"text": "a"}, {"text": "   "}, {"text": "x" * 101}, {"text": "dana", "limit": 0},
    {"text": "dana", "limit": 51}, {"text": 42}, {"text": "dana", "extra": True}, {},
])
async def test_bad_searches_are_refused_and_the_console_goes_on(server: Server,
                                                                payload: dict[str, Any]) -> None:
    _, console, conv, _ = await accepted_chat(server)
    with pytest.raises(AckError) as refused:
        await console.call("search_conversations", payload)
    assert refused.value.error["code"] == "invalid_payload"
    assert await found(console, "hello") == [conv["id"]]
