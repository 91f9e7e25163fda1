"""What a trainer reads in an export's transcript.txt of the agent's actions on the shopper's
page (the log keeps them as `control_action`)."""

from __future__ import annotations

from signaling.protocol.common import Actor
from signaling.protocol.events import EventBase, log_event_adapter
from signaling.review.export import _line, control_action_text


def test_control_actions_read_as_what_the_agent_did() -> None:
    assert control_action_text({"action": "click", "ok": True}) == "clicked on the page"
    assert control_action_text({"action": "type", "value": "M", "ok": True}) == "typed “M”"
    assert control_action_text({"action": "select", "value": "Express", "ok": True}) == (
        "chose “Express”")
    assert control_action_text({"action": "navigate", "value": "https://shop.example/cart",
                                "ok": True}) == "opened https://shop.example/cart"
    assert control_action_text({"action": "type", "ok": False,
                                "reason": "private_field"}) == "typed: refused (private field)"


def test_the_transcript_names_the_agent_who_acted_on_the_page() -> None:
    def event(seq: int, kind: str, data: dict[str, object], actor: Actor) -> EventBase:
        return log_event_adapter.validate_python({"conversation_id": "cnv_1", "seq": seq, "ts": seq,
                                          "type": kind, "data": data,
                                          "actor": actor.model_dump()})

    system = Actor(kind="system")
    alex = Actor(kind="agent", id="agt_1", name="Alex")
    joined = event(1, "agent_joined", {"agent": {"id": "agt_1", "display_name": "Alex"},
                                       "role": "assignee"}, alex)
    clicked = event(2, "control_action", {"agent_id": "agt_1", "command_id": "k1",
                                          "action": "click", "node_id": 7, "ok": True}, system)
    names: dict[str, str] = {}
    lines = [_line(e, names) for e in (joined, clicked)]
    assert lines[1] == "Alex clicked on the page"
