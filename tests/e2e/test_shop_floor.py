"""Both sides in real browsers, as a newcomer plays them after `make serve`: shoppers in the
demo store (/demo/) with the widget, agents and a supervisor in the console (/agent/), all
through one real server. Chat with typing both ways, a page change mid-chat, two shoppers at
once, the supervisor watching, a transfer, the end and CSAT, and an offline message answered
and seen on the next visit."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from tests.e2e.conftest import ContextFactory, screenshot
from tests.e2e.test_console import accept_offer, nav, open_console, watch_errors
from tests.e2e.test_widget import messages, start_chat
from tests.integration.flows import gone
from tests.integration.harness import Server, start_server

pytestmark = pytest.mark.browser

SHOP_NOISE = re.compile(r"Failed to load resource")


@pytest.fixture
async def e2e_server(tmp_path: Path) -> AsyncIterator[Server]:
    server = await start_server(tmp_path / "data", offer_timeout_s=30.0)
    yield server
    await server.close()


async def shopper_in_store(new_context: ContextFactory, server: Server,
                           path: str = "/demo/") -> tuple[Page, list[str]]:
    context = await new_context(reduced_motion="reduce")
    page = await context.new_page()
    errors = watch_errors(page)
    await page.goto(server.url + path)
    await expect(page.locator("[data-testid=aisle-launcher]")).to_be_visible()
    return page, errors


def agent_composer(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("combobox", name="Reply to the visitor")


async def test_two_shoppers_one_agent_supervisor_transfer_and_csat(
        e2e_server: Server, new_context: ContextFactory) -> None:
    server = e2e_server
    alex = await server.add_agent("alex", teams=("support",))
    boss = await server.add_agent("sam", teams=("support", "billing"), role="supervisor",
                                  status="away")
    agent, agent_errors = await open_console(new_context, server, alex)
    supervisor, _ = await open_console(new_context, server, boss)

    # Dana, on a product page, asks about her order.
    dana, dana_errors = await shopper_in_store(new_context, server,
                                               "/demo/product.html?id=enamel-mug")
    await dana.locator("[data-testid=aisle-launcher]").click()
    await start_chat(dana, topic="order", name="Dana", message="Where is my order 1042?")
    await accept_offer(agent, "Dana")
    await expect(dana.locator("[data-testid=aisle-title]")).to_have_text("Alex")

    # Typing both ways, then messages both ways.
    composer = agent_composer(agent)
    await composer.press_sequentially("It ships")
    await expect(dana.locator("[data-testid=aisle-typing]")).to_contain_text("Alex is typing")
    await composer.press_sequentially(" today.")
    await composer.press("Enter")
    await expect(messages(dana, "agent")).to_contain_text(["It ships today."])
    box = dana.locator("[data-testid=aisle-input]")
    await box.press_sequentially("Great")
    await expect(agent.get_by_test_id("visitor-typing")).to_contain_text("Dana is typing")
    await box.press_sequentially(", thanks!")
    await box.press("Enter")
    await expect(agent.get_by_role("log")).to_contain_text("Great, thanks!")

    # Dana moves to her cart mid-chat: same conversation, nothing lost or doubled, and the
    # agent sees where she is.
    await dana.locator("[data-testid=cart-link]").click()
    await dana.wait_for_url(re.compile(r"/demo/cart\.html"))
    # The panel stays open across pages.
    await expect(dana.locator("[data-testid=aisle-launcher]")).to_have_attribute(
        "aria-expanded", "true")
    await expect(messages(dana)).to_contain_text(["Where is my order 1042?", "It ships today.",
                                                 "Great, thanks!"])
    await expect(messages(dana)).to_have_count(3)
    await expect(agent.get_by_test_id("visitor-panel")).to_contain_text("cart.html")
    await composer.fill("Anything else in your cart I can help with?")
    await composer.press("Enter")
    await expect(messages(dana, "agent")).to_have_count(2)

    # Eli, a second shopper, is served by the same agent at once.
    eli, eli_errors = await shopper_in_store(new_context, server)
    await eli.locator("[data-testid=aisle-launcher]").click()
    await start_chat(eli, topic="order", name="Eli", message="Do you ship to Norway?")
    await accept_offer(agent, "Eli")
    await expect(agent.locator("[role=tab]")).to_have_count(2)
    await composer.fill("Yes, in 3–5 days.")
    await composer.press("Enter")
    await expect(messages(eli, "agent")).to_contain_text(["Yes, in 3–5 days."])
    await screenshot(agent, "floor-agent-two-shoppers")

    # The supervisor sees both.
    await nav(supervisor, "Dashboard").click()
    active = supervisor.locator(".active-list li")
    await expect(active).to_have_count(2)
    await expect(supervisor.locator(".active-list")).to_contain_text("Dana")
    await expect(supervisor.locator(".active-list")).to_contain_text("Eli")
    await screenshot(supervisor, "floor-supervisor")

    # Dana's question becomes a billing one: transferred with a note; the supervisor (billing
    # too) goes online and is offered it.
    await supervisor.select_option("#status", "online")
    await agent.locator("[role=tab]", has_text="Dana").click()
    await agent.get_by_role("button", name="Transfer").click()
    dialog = agent.get_by_role("dialog", name="Transfer conversation")
    await dialog.locator("#transfer-team").select_option("billing")
    await dialog.locator("#transfer-note").fill("Refund for a chipped mug")
    await dialog.get_by_role("button", name="Transfer").click()
    await nav(supervisor, "Chats").click()
    await accept_offer(supervisor, "Dana")
    await expect(supervisor.get_by_role("log")).to_contain_text("Refund for a chipped mug")
    await expect(dana.locator("[data-testid=aisle-title]")).to_have_text(re.compile("Sam"))
    await expect(dana.locator("[data-testid=aisle-panel]")).not_to_contain_text(
        "Refund for a chipped mug")

    # Eli's chat ends; he rates it.
    await agent.locator("[role=tab]", has_text="Eli").click()
    await agent.get_by_role("button", name="End chat").click()
    await agent.get_by_role("dialog").get_by_role("button", name="End conversation").click()
    await expect(eli.locator("[data-testid=aisle-csat]")).to_be_visible()
    await eli.locator("input[name=rating][value='5']").check()
    await eli.locator("[data-testid=aisle-csat] textarea").fill("Quick and clear")
    await eli.locator("[data-testid=aisle-csat] button[type=submit]").click()
    ended = await server.aisle.store.conversations.find(status=["ended"])
    assert len(ended) == 1
    await expect(agent.get_by_role("log")).to_contain_text(re.compile("Rated|★"))
    state = await server.aisle.store.conversations.get(ended[0].id)
    assert state is not None and (state.rating, state.rating_comment) == (5, "Quick and clear")

    assert [e for e in dana_errors + eli_errors if not SHOP_NOISE.search(e)] == []
    assert agent_errors == []


async def test_offline_message_from_the_store_answered_in_the_console(
        e2e_server: Server, new_context: ContextFactory) -> None:
    server = e2e_server
    robin, _ = await shopper_in_store(new_context, server)
    await robin.locator("[data-testid=aisle-launcher]").click()
    await robin.locator("input[name=topic][value=payment]").check()
    form = robin.locator("[data-testid=aisle-prechat]")
    await expect(form).to_have_attribute("data-mode", "offline")
    await robin.locator("#aisle-name").fill("Robin")
    await robin.locator("#aisle-message").fill("Was I charged twice for order 2231?")
    await form.locator("button[type=submit]").click()
    await expect(robin.locator("[data-testid=aisle-offline-sent]")).to_be_visible()
    await robin.locator("[data-testid=aisle-launcher]").click()  # and closes the chat
    # Robin leaves the store before Billie comes.
    [left] = await server.aisle.store.conversations.find(status=["offline"])
    await robin.goto("about:blank")
    await gone(server, left.visitor_id)

    billie = await server.add_agent("billie", teams=("billing",))
    agent, errors = await open_console(new_context, server, billie)
    offline = nav(agent, "Offline")
    await expect(offline.locator(".badge")).to_have_text("1")
    await offline.click()
    await agent.locator(".inbox-row", has_text="Robin").click()
    composer = agent_composer(agent)
    await composer.fill("Only once — the second was a hold, already released.")
    await composer.press("Enter")
    await expect(agent.get_by_role("log")).to_contain_text("already released")

    # Robin's next visit shows the answer, flagged on the launcher.
    await robin.goto(server.url + "/demo/")
    launcher = robin.locator("[data-testid=aisle-launcher]")
    await expect(launcher).to_have_attribute("aria-expanded", "false")
    await expect(launcher).to_contain_text("1")
    await launcher.click()
    await expect(messages(robin, "agent")).to_contain_text(
        ["Only once — the second was a hold, already released."])
    assert errors == []
