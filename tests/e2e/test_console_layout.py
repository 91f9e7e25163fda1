"""The agent's column holds a chat, a call and a shared page at once: on a 1440 × 900 screen,
with a voice call on and the shopper's page shown (small or large), the reply box stays in view
and some of the chat with it (until 2026-11-24 the call and the page pushed both out)."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.e2e.cobrowse_helpers import chat_and_share, shopper_page
from tests.e2e.conftest import ContextFactory, screenshot
from tests.integration.harness import Server

pytestmark = pytest.mark.browser


async def _in_view(agent: Page) -> tuple[float, float]:
    """How far the Send button's bottom is from the window's, and the chat's visible height."""
    send = await agent.get_by_role("button", name="Send").bounding_box()
    log = await agent.get_by_role("log").bounding_box()
    assert send is not None and log is not None
    return 900 - (send["y"] + send["height"]), log["height"]


async def test_a_call_and_a_shared_page_leave_room_to_reply(
        e2e_server: Server, new_context: ContextFactory) -> None:
    alex = await e2e_server.add_agent("alex", teams=("support",))
    shop, _ = await shopper_page(new_context, e2e_server, "/demo/product.html?id=harbour-tee")
    agent = await chat_and_share(new_context, e2e_server, shop, alex, told=False)
    await agent.set_viewport_size({"width": 1440, "height": 900})
    await shop.get_by_test_id("cobrowse-allow").click()
    await expect(agent.get_by_test_id("cobrowse-live")).to_have_attribute("data-live", "live")
    await agent.get_by_test_id("call-voice").click()
    await shop.get_by_test_id("aisle-call-accept").click()
    await expect(agent.locator(".call-panel")).to_be_visible()
    await expect(agent.get_by_role("log")).to_contain_text("joined the call")
    for large in (False, True):
        if large:
            await agent.get_by_test_id("cobrowse-size").click()
            await expect(agent.get_by_test_id("cobrowse-size")).to_have_text("Smaller view")
        margin, chat = await _in_view(agent)
        assert margin >= 0, f"the Send button is {-margin:.0f} px below the window"
        assert chat >= 40, f"the chat is {chat:.0f} px tall"
        await screenshot(agent, f"console-call-and-page-{'large' if large else 'small'}")
