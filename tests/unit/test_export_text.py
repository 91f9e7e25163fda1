"""What a trainer reads in an export's transcript.txt of the agent's actions on the shopper's
page (the log keeps them as `control_action`)."""

from __future__ import annotations

from signaling.review.export import control_action_text


def test_control_actions_read_as_what_the_agent_did() -> None:
    assert control_action_text({"action": "click", "ok": True}) == "clicked on the page"
    assert control_action_text({"action": "type", "value": "M", "ok": True}) == "typed “M”"
    assert control_action_text({"action": "select", "value": "Express", "ok": True}) == (
        "chose “Express”")
    assert control_action_text({"action": "navigate", "value": "https://shop.example/cart",
                                "ok": True}) == "opened https://shop.example/cart"
    assert control_action_text({"action": "type", "ok": False,
                                "reason": "private_field"}) == "typed: refused (private field)"
