from tests.integration.harness import Server


async def test_chat_round_trip(server: Server) -> None:
    agent = await server.add_agent(teams=("support",))
    console = await server.agent_client(agent)
    widget, _ = await server.visitor()
    conv = await widget.call("start_conversation", {"topic": "order", "client_id": "c1",
                                                     "message": "Where is my parcel?"})
    offer = await console.wait_for("offer_received")
    assert offer["conversation"]["id"] == conv["id"]
    accepted = await console.call("accept_offer", {"conversation_id": conv["id"]})
    assert accepted["status"] == "active"
    await widget.wait_for("agent_joined")
    sent = await console.call("send_message", {"conversation_id": conv["id"], "client_id": "a1",
                                               "text": "Let me check."})
    got = await widget.wait_for("message_created", lambda e: e["seq"] == sent["seq"])
    assert got["data"]["text"] == "Let me check."
