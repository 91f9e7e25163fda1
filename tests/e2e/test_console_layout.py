"""The agent's column holds a chat, a call and a shared page at once: on a 1440 × 900 screen and
a laptop's 1280 × 800, with the shopper's page shown (small or large) and a voice call on too,
the reply box stays in view and some of the chat with it (until 2026-11-24 the call and the page
pushed both out)."""

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
    assert send is not None and log is not None and agent.viewport_size is not None
    return agent.viewport_size["height"] - (send["y"] + send["height"]), log["height"]


async def test_a_call_and_a_shared_page_leave_room_to_reply(
        e2e_server: Server, new_context: ContextFactory) -> None:
    alex = await e2e_server.add_agent("alex", teams=("support",))
    shop, _ = await shopper_page(new_context, e2e_server, "/demo/product.html?id=harbour-tee")
    agent = await chat_and_share(new_context, e2e_server, shop, alex, told=False)
    await shop.get_by_test_id("cobrowse-allow").click()
    await expect(agent.get_by_test_id("cobrowse-live")).to_have_attribute("data-live", "live")
    await check_sizes(agent, "page")
    await agent.get_by_test_id("call-voice").click()
    await shop.get_by_test_id("aisle-call-accept").click()
    await expect(agent.locator(".call-panel")).to_be_visible()
    await expect(agent.get_by_role("log")).to_contain_text("joined the call")
    await check_sizes(agent, "call-and-page")


async def check_sizes(agent: Page, what: str) -> None:
    for width, height in ((1440, 900), (1280, 800)):
        await agent.set_viewport_size({"width": width, "height": height})
        for large in (False, True):
            size = agent.get_by_test_id("cobrowse-size")
            if large != (await size.inner_text() == "Smaller view"):
                await size.click()
            await screenshot(agent, f"console-{what}-{height}-{'large' if large else 'small'}")
            margin, chat = await _in_view(agent)
            where = f"{what}, {width}×{height}, {'large' if large else 'small'} view"
            assert margin >= 0, f"{where}: the Send button is {-margin:.0f} px below the window"
            assert chat >= 40, f"{where}: the chat is {chat:.0f} px tall"
