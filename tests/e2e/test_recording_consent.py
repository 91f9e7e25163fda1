"""A site that asks for consent to recording, in real browsers: the shopper's co-browse prompt
and call prompts carry an unticked "Record …" choice instead of the notice. Left unticked, the
agent still sees the page (nothing is stored, and the log says the shopper declined); ticked,
the sharing is stored. A call the shopper places asks first, and their consent goes with it;
an agent's call asks in the incoming card. A consent given is withdrawn with one click in the
sharing bar or the call: the sharing or call goes on, unrecorded, and the agent sees so."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import expect

from media.errors import UnknownCall
from tests.e2e.cobrowse_helpers import chat_and_share, eventually, mirror_text, shopper_page
from tests.e2e.conftest import ContextFactory, screenshot
from tests.e2e.test_calls import chatting
from tests.integration.harness import Server

pytestmark = pytest.mark.browser


async def logged(server: Server, kind: str) -> list[dict[str, object]]:
    """The data of every `kind` event in every conversation of the server."""
    store = server.aisle.store
    found = []
    for conv in await store.conversations.find():
        for e in await store.conversations.events_after(conv.id, 0, agent_view=True):
            if e.type == kind:
                found.append(e.data.model_dump())
    return found


async def test_cobrowse_prompt_asks_and_only_a_yes_is_stored(
        recording_server: Server, new_context: ContextFactory) -> None:
    server = recording_server
    alex = await server.add_agent("alex", teams=("support",))
    shopper, _ = await shopper_page(new_context, server, "/demo/product.html?id=harbour-tee")
    agent = await chat_and_share(new_context, server, shopper, alex, told=False)
    prompt = shopper.get_by_test_id("cobrowse-consent")
    await expect(prompt).not_to_contain_text("The session is recorded")
    record = shopper.get_by_test_id("cobrowse-record")
    await expect(record).not_to_be_checked()
    await screenshot(shopper, "cobrowse-consent-to-record")
    await shopper.get_by_test_id("cobrowse-allow").click()
    await expect(agent.get_by_test_id("cobrowse-live")).to_have_attribute("data-live", "live")
    await expect(agent.get_by_test_id("cobrowse-recorded")).to_have_text("Not recorded")
    conv = (await server.aisle.store.conversations.find())[0]
    chunks = server.aisle.cobrowse.recordings_dir(conv.id) / "cobrowse"
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    assert not chunks.exists() or not any(chunks.iterdir())
    assert await logged(server, "recording_paused") == [
        {"kind": "cobrowse", "reason": "declined", "session_id": None, "url": None,
         "since": None}]

    # Control asked and declined; then the shopper stops sharing: what the view said of that
    # sharing goes with it.
    await agent.get_by_test_id("control-request").click()
    await shopper.get_by_test_id("control-decline").click()
    feedback = agent.get_by_test_id("cobrowse-view").locator(".cb-feedback")
    await expect(feedback).to_contain_text("The shopper declined control")

    # Stopped, asked again; this time the shopper ticks the box.
    await shopper.get_by_test_id("cobrowse-stop").click()
    await expect(agent.get_by_test_id("cobrowse-request")).to_be_visible()
    await expect(feedback).to_have_count(0)
    await agent.get_by_test_id("cobrowse-request").click()
    await expect(record).not_to_be_checked()
    await record.check()
    await shopper.get_by_test_id("cobrowse-allow").click()
    await expect(agent.get_by_test_id("cobrowse-live")).to_have_attribute("data-live", "live")
    await expect(agent.get_by_test_id("cobrowse-recorded")).to_have_text("Recorded")
    await expect(feedback).to_have_count(0)

    async def stored() -> bool:
        return chunks.exists() and any(chunks.iterdir())

    await eventually(stored, what="the consented sharing to be stored")
    assert len(await logged(server, "recording_resumed")) == 1

    # The shopper changes their mind: one click; the agent still sees the page.
    bar = shopper.get_by_test_id("cobrowse-bar")
    await expect(bar.get_by_test_id("cobrowse-recorded")).to_contain_text("Recorded")
    await bar.get_by_test_id("cobrowse-stop-recording").click()
    await expect(bar.get_by_test_id("cobrowse-recorded")).to_contain_text("Not recorded")
    await expect(bar.get_by_test_id("cobrowse-stop-recording")).to_have_count(0)
    await expect(agent.get_by_test_id("cobrowse-recorded")).to_have_text("Not recorded")
    await expect(agent.get_by_role("log")).to_contain_text(
        "stopped the recording of the co-browsing; it goes on unrecorded")
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    sizes = {p.name: p.stat().st_size for p in chunks.iterdir()}
    await shopper.evaluate("""() => {
      const p = document.createElement("p");
      p.textContent = "Added after the recording stopped";
      document.querySelector("main").append(p);
    }""")

    async def mirrored() -> bool:
        return "Added after the recording stopped" in await mirror_text(agent)

    await eventually(mirrored, what="the change to reach the agent")
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    assert {p.name: p.stat().st_size for p in chunks.iterdir()} == sizes
    assert [g["reason"] for g in await logged(server, "recording_paused")] == [
        "declined", "withdrawn"]


async def test_call_prompts_ask_and_the_answer_goes_with_the_call(
        recording_server: Server, new_context: ContextFactory) -> None:
    server = recording_server
    shop, agent, errors = await chatting(new_context, server)

    # The agent calls: the incoming card asks, unticked; Accept without ticking.
    await agent.get_by_test_id("call-voice").click()
    incoming = shop.get_by_test_id("aisle-call-incoming")
    await expect(incoming).to_contain_text("Alex is calling you")
    await expect(incoming).not_to_contain_text("This call is recorded")
    await expect(shop.get_by_test_id("aisle-call-record")).not_to_be_checked()
    await shop.get_by_test_id("aisle-call-accept").click()
    await expect(agent.get_by_test_id("call-panel")).to_be_visible()

    async def declined() -> bool:
        return any(g["kind"] == "call" and g["reason"] == "declined"
                   for g in await logged(server, "recording_paused"))

    await eventually(declined, what="the call's recording to be declined")
    await expect(agent.get_by_test_id("call-recorded")).to_contain_text("Not recorded")
    await expect(shop.get_by_test_id("aisle-call-status")).not_to_contain_text("Recorded")
    await shop.get_by_test_id("aisle-call-hangup").click()
    await expect(shop.get_by_test_id("aisle-call-voice")).to_be_enabled()

    # The shopper calls: first the choice, then the call; ticked, it is recorded.
    await shop.get_by_test_id("aisle-call-voice").click()
    confirm = shop.get_by_test_id("aisle-call-confirm")
    await expect(confirm).to_contain_text("with Alex?")
    await shop.get_by_test_id("aisle-call-record").check()
    await screenshot(shop, "call-consent-to-record")
    await shop.get_by_test_id("aisle-call-place").click()
    await expect(shop.get_by_test_id("aisle-call-outgoing")).to_contain_text("Calling Alex")
    await agent.get_by_test_id("call-accept").click()
    conv = (await server.aisle.store.conversations.find())[0]

    async def recorded() -> bool:
        latest = await server.aisle.store.conversations.get(conv.id)
        if latest is None or latest.call_id is None or latest.call != "active":
            return False
        try:
            return await server.aisle.media.recording_info(latest.call_id) is not None
        except UnknownCall:
            return False

    await eventually(recorded, what="the consented call to be recorded")
    await expect(agent.get_by_test_id("call-recorded")).to_have_text(" · Recorded")
    await expect(shop.get_by_test_id("aisle-call-status")).to_contain_text("Recorded")
    assert len([g for g in await logged(server, "recording_paused") if g["kind"] == "call"]) == 1

    # The agent pauses while card details are read out, and resumes.
    await agent.get_by_test_id("call-pause-recording").click()
    await expect(agent.get_by_test_id("call-recorded")).to_have_text(" · Not recorded")
    await expect(agent.get_by_role("log")).to_contain_text("You paused the recording of the call")
    await expect(shop.get_by_test_id("aisle-call-not-recorded")).to_be_visible()
    await expect(shop.get_by_test_id("aisle-call-stop-recording")).to_have_count(0)
    await agent.get_by_test_id("call-resume-recording").click()
    await expect(agent.get_by_test_id("call-recorded")).to_have_text(" · Recorded")
    await expect(shop.get_by_test_id("aisle-call-stop-recording")).to_be_visible()

    # Stopped mid-call with one click: the call goes on, unrecorded, and both sides say so.
    await shop.get_by_test_id("aisle-call-stop-recording").click()
    await expect(shop.get_by_test_id("aisle-call-not-recorded")).to_be_visible()
    await expect(shop.get_by_test_id("aisle-call-stop-recording")).to_have_count(0)
    await expect(agent.get_by_test_id("call-recorded")).to_have_text(" · Not recorded")
    await expect(agent.get_by_role("log")).to_contain_text("stopped the recording of the call")
    await expect(agent.get_by_test_id("call-resume-recording")).to_have_count(0)  # theirs to say
    await expect(shop.get_by_test_id("aisle-call")).to_have_attribute("data-phase", "connected")
    assert [g["reason"] for g in await logged(server, "recording_paused")
            if g["kind"] == "call"] == ["declined", "agent", "withdrawn"]
    stats = await server.aisle.media.stats()
    assert stats.recorder_files == 0 and stats.calls == 1
    assert not errors, errors
