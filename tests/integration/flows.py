"""Shortcuts for the common beginnings of conversations in tests."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from tests.integration.harness import Agent, Client, Server

_ids = itertools.count(1)


def cid(prefix: str = "c") -> str:
    return f"{prefix}{next(_ids)}"


async def start(widget: Client, topic: str = "order", message: str | None = "Hello",
                **extra: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {"topic": topic, "client_id": cid("start")}
    if message is not None:
        payload["message"] = message
    payload.update(extra)
    return await widget.call("start_conversation", payload)  # type: ignore[no-any-return]


async def accepted_chat(server: Server, agent: Agent | None = None
                        ) -> tuple[Client, Client, dict[str, Any], Agent]:
    """An agent (connected) and a visitor in an active conversation."""
    agent = agent or await server.add_agent(teams=("support",))
    console = await server.agent_client(agent)
    widget, _ = await server.visitor()
    conv = await start(widget)
    await console.wait_for("offer_received", lambda d: d["conversation"]["id"] == conv["id"])
    await console.call("accept_offer", {"conversation_id": conv["id"]})
    await widget.wait_for("agent_joined")
    return widget, console, conv, agent


async def send(client: Client, conversation_id: str, text: str, client_id: str | None = None,
               event: str = "send_message") -> int:
    data = await client.call(event, {"conversation_id": conversation_id,
                                     "client_id": client_id or cid("m"), "text": text})
    return int(data["seq"])


async def gone(server: Server, visitor_id: str) -> None:
    """Until the server has seen the shopper's last page close."""
    async with asyncio.timeout(10):
        # Server state with no event a test can wait on: polled.
        while await server.aisle.live.visitor_connections(visitor_id):  # noqa: ASYNC110
            await asyncio.sleep(0.01)
