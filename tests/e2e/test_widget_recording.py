"""The shopper's own transcript says what became of the recording of their page or call: that
they shared it (recorded), that they stopped the recording, that the agent paused and resumed
it, that the server could not save it; and that they stopped sharing. The same lines come back
after a reload (they are the conversation's log, not the page's memory). "Stop recording",
pressed from the keyboard, leaves the focus on the status line that now says "Not recorded".
The agent is a python client; the site asks for consent to recording."""

from __future__ import annotations

import pytest
from playwright.async_api import Locator, Page, expect

from tests.e2e.cobrowse_helpers import shopper_page
from tests.e2e.conftest import ContextFactory, screenshot
from tests.e2e.test_widget import accepted_chat_on
from tests.integration.harness import Client, Server

pytestmark = pytest.mark.browser

STARTED = "You started sharing your page with Alex (recorded)"
WITHDRAWN = "You stopped the recording of your page; sharing goes on unrecorded"
PAUSED = "Alex paused the recording of your page; sharing goes on"
RESUMED = "Alex resumed the recording of your page"
STORAGE = ("The recording of your page stopped because it could not be saved; sharing goes on "
           "unrecorded")
STOPPED = "You stopped sharing your page"


async def share_recorded(page: Page, console: Client, conversation_id: str) -> None:
    """The agent asks to see the page; the shopper ticks "Record" and allows."""
    await console.call("request_cobrowse", {"conversation_id": conversation_id})
    await page.get_by_test_id("cobrowse-record").check()
    await page.get_by_test_id("cobrowse-allow").click()
    await expect(page.get_by_test_id("cobrowse-recorded")).to_contain_text("Recorded")


def notices(page: Page) -> Locator:
    return page.locator("[data-testid=aisle-notice]")


async def test_the_shopper_reads_who_stopped_the_recording_of_their_page(
        recording_server: Server, new_context: ContextFactory) -> None:
    server = recording_server
    alex = await server.add_agent("alex", teams=("support",))
    console = await server.agent_client(alex)
    page, errors = await shopper_page(new_context, server, "/demo/product.html?id=harbour-tee")
    conv = await accepted_chat_on(page, console, page.url, "Dana", "Does it run small?")
    cid = conv["id"]
    bar = page.get_by_test_id("cobrowse-bar")

    # The shopper shares, recorded, then stops the recording from the bar: their own line.
    await share_recorded(page, console, cid)
    await expect(notices(page).filter(has_text="sharing")).to_have_text([STARTED])
    await bar.get_by_test_id("cobrowse-stop-recording").focus()
    await page.keyboard.press("Enter")
    await expect(bar.get_by_test_id("cobrowse-recorded")).to_contain_text("Not recorded")
    await expect(notices(page).last).to_have_text(WITHDRAWN)
    await expect(bar.get_by_role("status")).to_be_focused()
    await screenshot(page, "widget-recording-stopped-by-shopper")

    # So does "Take back control" once it has done its work.
    await console.call("request_control", {"conversation_id": cid})
    await page.get_by_test_id("control-allow").click()
    await bar.get_by_test_id("control-revoke").focus()
    await page.keyboard.press("Enter")
    await expect(bar.get_by_test_id("control-revoke")).to_have_count(0)
    await expect(bar.get_by_role("status")).to_be_focused()
    await bar.get_by_test_id("cobrowse-stop").click()
    await expect(notices(page).last).to_have_text(STOPPED)

    # Shared and recorded again; the agent pauses the recording and resumes it.
    await share_recorded(page, console, cid)
    await console.call("pause_recording", {"conversation_id": cid, "kind": "cobrowse"})
    await expect(notices(page).last).to_have_text(PAUSED)
    await expect(bar.get_by_test_id("cobrowse-recorded")).to_contain_text("Not recorded")
    await console.call("resume_recording", {"conversation_id": cid, "kind": "cobrowse"})
    await expect(notices(page).last).to_have_text(RESUMED)
    await expect(bar.get_by_test_id("cobrowse-recorded")).to_contain_text("Recorded")

    # The server's disk refuses the next chunk (as /dev/full does): the recording stops.
    await console.call("pause_recording", {"conversation_id": cid, "kind": "cobrowse"})
    await expect(notices(page).last).to_have_text(PAUSED)
    last = console.events("cobrowse_batch")[-1]
    folder = server.aisle.cobrowse.recordings_dir(cid) / "cobrowse"
    for batch_no in range(last["batch_no"] + 1, last["batch_no"] + 500):
        (folder / f"{last['session_id']}-{batch_no:06d}.cb").symlink_to("/dev/full")
    await console.call("resume_recording", {"conversation_id": cid, "kind": "cobrowse"})
    await expect(notices(page).last).to_have_text(STORAGE)
    await expect(bar.get_by_test_id("cobrowse-recorded")).to_contain_text("Not recorded")
    await screenshot(page, "widget-recording-not-saved")

    # The next page says the same, from the conversation's log.
    story = [STARTED, WITHDRAWN, STOPPED, STARTED, PAUSED, RESUMED, PAUSED, RESUMED, STORAGE]
    await expect(notices(page)).to_have_text(["Alex joined the chat", *story])
    await page.reload()
    await expect(notices(page)).to_have_text(["Alex joined the chat", *story])
    assert not errors, errors


async def test_the_shopper_reads_who_stopped_the_recording_of_their_call(
        recording_server: Server, new_context: ContextFactory) -> None:
    server = recording_server
    alex = await server.add_agent("alex", teams=("support",))
    console = await server.agent_client(alex)
    page, errors = await shopper_page(new_context, server, "/demo/product.html?id=harbour-tee")
    cid = (await accepted_chat_on(page, console, page.url, "Dana", "Can we talk?"))["id"]

    # The agent calls; the shopper agrees to the recording and answers.
    await console.call("start_call", {"conversation_id": cid, "media": "audio"})
    await page.get_by_test_id("aisle-call-record").check()
    await page.get_by_test_id("aisle-call-accept").click()
    status = page.get_by_test_id("aisle-call-status")
    stop = page.get_by_test_id("aisle-call-stop-recording")
    await expect(stop).to_be_visible()
    # Their microphone is in the call (a line of its own): what follows comes after it.
    await expect(notices(page).filter(has_text="You joined the call")).to_have_count(1)

    await console.call("pause_recording", {"conversation_id": cid, "kind": "call"})
    await expect(notices(page).last).to_have_text(
        "Alex paused the recording of the call; the call goes on")
    await console.call("resume_recording", {"conversation_id": cid, "kind": "call"})
    await expect(notices(page).last).to_have_text("Alex resumed the recording of the call")

    # Stopped from the keyboard: the call goes on, unrecorded, and the shopper's log says so.
    await stop.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_test_id("aisle-call-not-recorded")).to_be_visible()
    await expect(notices(page).last).to_have_text(
        "You stopped the recording of the call; the call goes on unrecorded")
    await expect(status).to_be_focused()
    await expect(page.get_by_test_id("aisle-call")).to_have_attribute("data-phase", "connected")
    await screenshot(page, "widget-call-recording-stopped-by-shopper")
    assert not errors, errors
