"""The review player in Chromium against a real server and a real recording (chat, co-browsing
and an aiortc video call made through the server): search filters, one timeline where seeking to
a message shows the co-browse state and the video time of that moment, annotations seen after a
reload and by another reviewer, the scorecard, export, the composed video, and who may review."""

from __future__ import annotations

import asyncio
import io
import re
import time
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, expect

from media.testing import ClientPeer, frames_grow
from tests.e2e.conftest import ContextFactory, screenshot
from tests.e2e.test_console import watch_errors
from tests.integration.flows import accepted_chat, send
from tests.integration.harness import Agent, Server, start_server
from tests.integration.test_calls import follow, join
from tests.integration.test_cobrowse_server import batch
from tests.integration.test_review import api

pytestmark = pytest.mark.browser

M1 = "Here it is on screen."
M2 = "Now I see the blue one."
# How close a video's position must be to the moment sought (s).
VIDEO_TOLERANCE_S = 0.3

# Text of the replayed page, read from the review page (the frame runs no scripts of its own).
REPLAY_TEXT = """() => {
  const frame = document.querySelector('[data-testid=replay] iframe');
  const body = frame && frame.contentDocument && frame.contentDocument.body;
  return body ? body.textContent.replace(/\\s+/g, ' ').trim() : '';
}"""

# Every video's position against where the player should have put it for conversation time t.
VIDEO_ERRORS = """(t) => [...document.querySelectorAll(
  '[data-testid=player] .rv-lane-file[data-offset]')]
  .map((fig) => { const v = fig.querySelector('video');
                  return Math.abs(v.currentTime - (t - Number(fig.dataset.offset)) / 1000); })"""


def page_snapshot(text: str, at: int) -> list[dict[str, Any]]:
    """A Meta and a full snapshot of a tiny page whose heading says `text`."""
    def el(tag: str, node_id: int, children: list[dict[str, Any]],
           attributes: dict[str, str] | None = None) -> dict[str, Any]:
        return {"type": 2, "tagName": tag, "attributes": attributes or {},
                "childNodes": children, "id": node_id}

    heading = el("h1", 6, [{"type": 3, "textContent": text, "id": 7}], {"id": "title"})
    document = {"type": 0, "id": 1, "childNodes": [
        {"type": 1, "name": "html", "publicId": "", "systemId": "", "id": 2},
        el("html", 3, [el("head", 4, []), el("body", 5, [heading])])]}
    return [{"type": 4, "data": {"href": "http://shop.test/mugs", "width": 1024, "height": 640},
             "timestamp": at},
            {"type": 2, "data": {"node": document, "initialOffset": {"left": 0, "top": 0}},
             "timestamp": at + 1}]


def text_change(text: str, at: int) -> list[dict[str, Any]]:
    return [{"type": 3, "data": {"source": 0, "texts": [{"id": 7, "value": text}],
                                 "attributes": [], "removes": [], "adds": []}, "timestamp": at}]


def shopper_now() -> int:
    # The shopper's own clock: ten minutes off the server's, as real ones can be.
    return int(time.time() * 1000) + 600_000


async def recorded_call(server: Server) -> tuple[str, Agent]:
    """A chat with co-browsing and a video call, ended and rated: page one, M1, the page changes
    to page two, M2 — each step a moment of video apart."""
    widget, console, conv, agent = await accepted_chat(server)
    cid = conv["id"]
    peers: list[ClientPeer] = []
    try:
        await send(widget, cid, "Can you show me the blue one?")
        await console.call("request_cobrowse", {"conversation_id": cid})
        await widget.call("answer_cobrowse", {"conversation_id": cid, "allow": True})
        await batch(widget, conv, 0, page_snapshot("Page one", shopper_now()), full=True)
        await widget.call("start_call", {"conversation_id": cid, "media": "video"})
        await console.call("answer_call", {"conversation_id": cid, "accept": True})
        shopper, agent_peer = ClientPeer("shopper"), ClientPeer("agent")
        peers += [shopper, agent_peer]
        await join(shopper, widget, cid, [("microphone", "audio"), ("camera", "video")])
        await join(agent_peer, console, cid, [("microphone", "audio"), ("camera", "video")])
        await follow(shopper, widget, cid, count=1)

        async def some_video() -> None:
            await frames_grow(shopper, agent.id, "camera", "video", count=15, timeout=10)

        await some_video()
        await send(console, cid, M1)
        await some_video()
        # The shopper goes to the next page (a full snapshot, so a second co-browse chunk, which
        # the player fetches only when it gets there), and its heading changes.
        await batch(widget, conv, 1, page_snapshot("Loading…", shopper_now()), full=True)
        await batch(widget, conv, 2, text_change("Page two", shopper_now()))
        await console.wait_for("cobrowse_batch", lambda b: b["batch_no"] == 2)
        await some_video()
        await send(widget, cid, M2)
        await some_video()
        await some_video()  # a tail to play through
        await console.call("hang_up", {"conversation_id": cid})
        await console.call("end_conversation", {"conversation_id": cid})
        await widget.call("rate_conversation", {"conversation_id": cid, "rating": 4})
    finally:
        for peer in peers:
            await peer.close()
    await asyncio.to_thread(server.aisle.cobrowse.flush)
    return cid, agent


async def finished_recording(server: Server, reviewer: Agent, cid: str) -> dict[str, Any]:
    """The recording once all four files are complete (the recorders close after hang-up)."""
    deadline = time.monotonic() + 15
    while True:
        rec: dict[str, Any] = await api(server, reviewer, "GET", f"/api/v1/recordings/{cid}")
        if sum(m["state"] == "complete" for m in rec["manifest"]["media"]) >= 4:
            return rec
        assert time.monotonic() < deadline, rec["manifest"]["media"]
        await asyncio.sleep(0.1)  # polling the server's state over REST, bounded


@pytest.fixture
async def review_server(tmp_path: Path) -> AsyncIterator[Server]:
    server = await start_server(tmp_path / "data", media_host_addresses=("127.0.0.1",))
    yield server
    await server.close()


async def sign_in(page: Page, server: Server, who: Agent, path: str = "/review/") -> None:
    await page.goto(server.url + path)
    await expect(page.get_by_role("heading", name="Sign in to review recordings")).to_be_visible()
    await page.fill("#login-name", who.login)
    await page.fill("#login-password", who.password)
    await page.click("button[type=submit]")
    await expect(page.get_by_test_id("me")).to_contain_text(who.login.title())


def moment(rec: dict[str, Any], text: str) -> int:
    """Conversation ms of the message saying `text`, from the server's log."""
    said = next(e for e in rec["events"] if e["type"] == "message_created"
                and e["data"]["text"] == text)
    return int(said["ts"] - rec["manifest"]["clock_origin_ms"])


async def seek_to_message(page: Page, text: str, t: int, page_text: str) -> None:
    await page.get_by_test_id("transcript").get_by_role("button", name=text).click()
    await expect(page.locator(".rv-line.current")).to_contain_text(text)
    await page.wait_for_function(f"() => ({REPLAY_TEXT})() === {page_text!r}")
    await page.wait_for_function(
        f"(t) => ({VIDEO_ERRORS})(t).every((e) => e < {VIDEO_TOLERANCE_S})", arg=t)
    errors = await page.evaluate(VIDEO_ERRORS, t)
    assert len(errors) == 2 and max(errors) < VIDEO_TOLERANCE_S, errors


async def check_search(page: Page, cid: str, idle: Agent) -> None:
    """The list, and filters that narrow it: words said, an agent chosen by name (one with no
    recordings, known from the agents list), whether there was a call."""
    rows = page.get_by_test_id("results").locator(".rv-row")
    await expect(rows).to_have_count(2)
    await expect(rows.filter(has_text="Call")).to_have_count(1)
    await screenshot(page, "review-list")
    await page.get_by_test_id("filter-words").fill("norway")
    await page.get_by_role("button", name="Search").click()
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("Do you ship to Norway?")
    assert "q=norway" in page.url
    await page.get_by_role("button", name="Clear").click()
    await expect(rows).to_have_count(2)
    await expect(page.locator("#rv-agents option")).to_have_count(5)  # every agent
    await page.locator("input[name=agent]").fill(idle.login.title())
    await page.get_by_role("button", name="Search").click()
    await expect(page.locator("#results-title")).to_have_text("No recordings")
    assert f"agent={idle.id}" in page.url
    await page.get_by_role("button", name="Clear").click()
    await expect(rows).to_have_count(2)
    # Each row's facts line up under the row above's; how each ended is said.
    boxes = [await row.get_by_test_id("outcome").bounding_box() for row in await rows.all()]
    assert len({round(box["x"]) for box in boxes if box}) == 1, boxes
    for row in await rows.all():
        assert await row.get_by_test_id("outcome").inner_text() in {
            "Under way", "Message waiting", "Message answered", "Ended by the agent",
            "Ended by the shopper",
            "Shopper left", "Message closed"}
    # The order, chosen above the results, stays through a new search and Clear.
    newest = await rows.first.get_attribute("data-conversation")
    await page.select_option("select[name=sort]", "oldest")
    await expect(rows.last).to_have_attribute("data-conversation", newest or "")
    assert "sort=oldest" in page.url
    await page.select_option("select[name=scored]", "true")  # nobody has scored either
    await page.get_by_role("button", name="Search").click()
    await expect(page.locator("#results-title")).to_have_text("No recordings")
    # Nor can anyone yet: the team has no scorecard, and the empty list says where one is made.
    await page.select_option("select[name=scored]", "false")
    await page.get_by_role("button", name="Search").click()
    await expect(page.locator("#results-title")).to_have_text("No recordings")
    await expect(page.get_by_test_id("unscored-hint")).to_contain_text("Scorecard tab")
    await page.get_by_role("button", name="Clear").click()
    await expect(page).to_have_url(re.compile(r"/review/\?sort=oldest$"))
    await page.select_option("select[name=sort]", "newest")
    await expect(rows.first).to_have_attribute("data-conversation", newest or "")
    # Words typed and not yet searched survive a change of order, and Search uses both.
    words = page.get_by_role("searchbox", name="Words said in the chat")
    await words.fill("zebra")
    await page.select_option("select[name=sort]", "oldest")
    await expect(page).to_have_url(re.compile(r"/review/\?sort=oldest$"))
    await expect(rows.last).to_have_attribute("data-conversation", newest or "")
    await expect(words).to_have_value("zebra")
    await page.get_by_role("button", name="Search").click()
    await expect(page).to_have_url(re.compile(r"/review/\?q=zebra&sort=oldest$"))
    await expect(page.locator("#results-title")).to_have_text("No recordings")
    await page.get_by_role("button", name="Clear").click()
    await expect(words).to_have_value("")
    await page.select_option("select[name=sort]", "newest")
    await expect(rows.first).to_have_attribute("data-conversation", newest or "")
    # A trainer's search; from a recording, "Recordings" goes back to it as it was left.
    await page.select_option("select[name=has-call]", "true")
    await page.select_option("select[name=outcome]", "agent_ended")
    await page.get_by_role("button", name="Search").click()
    await page.select_option("select[name=sort]", "lowest_rating")
    search = re.compile(r"/review/\?has_call=true&outcome=agent_ended&sort=lowest_rating$")
    await expect(page).to_have_url(search)
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_have_attribute("data-conversation", cid)
    await rows.first.get_by_role("link").click()
    await expect(page.get_by_test_id("player")).to_be_visible()
    await page.get_by_role("main").get_by_role("link", name="Recordings").click()
    await expect(page).to_have_url(search)
    await expect(page.locator("select[name=outcome]")).to_have_value("agent_ended")
    await expect(page.locator("select[name=sort]")).to_have_value("lowest_rating")
    await expect(rows).to_have_count(1)
    await rows.first.get_by_role("link").click()


async def check_timeline(page: Page, t1: int, t2: int) -> None:
    """A message sought shows the page and the videos as they were then; playing moves them
    together; the keyboard plays, pauses and seeks."""
    await expect(page.get_by_test_id("player")).to_be_visible()
    await expect(page.locator(".rv-lane-file[data-offset] video")).to_have_count(2)
    await expect(page.locator(".rv-marker[data-kind=call]")).to_have_count(3)
    await seek_to_message(page, M1, t1, "Page one")
    await seek_to_message(page, M2, t2, "Page two")
    await seek_to_message(page, M1, t1, "Page one")  # and back again
    # The address is a link to that moment.
    await expect(page).to_have_url(re.compile(rf"\?t={t1 // 100 / 10:g}$"))

    # At half speed, so that the end (which pauses) stays well away.
    await page.get_by_label("Playback speed").select_option("0.5")
    await page.get_by_test_id("play").click()
    await page.wait_for_function(
        "() => [...document.querySelectorAll('.rv-lane-file[data-offset] video')]"
        ".every(v => !v.paused && v.playbackRate === 0.5)")
    await page.wait_for_function(f"() => ({REPLAY_TEXT})() === 'Page two'")
    await expect(page.locator(".rv-line.current")).to_contain_text(M2)
    await screenshot(page, "review-player")
    await page.locator("body").press("Space")
    await expect(page.get_by_test_id("play")).to_have_attribute("aria-label", "Play")
    await page.wait_for_function(
        "() => [...document.querySelectorAll('.rv-lane-file[data-offset] video')]"
        ".every(v => v.paused)")
    scrubber = page.get_by_test_id("scrubber")
    await scrubber.focus()
    await page.keyboard.press("Home")
    await expect(scrubber).to_have_attribute("aria-valuenow", "0")
    await page.keyboard.press("ArrowRight")
    await expect(scrubber).to_have_attribute("aria-valuenow", re.compile("[1-9]"))
    await page.wait_for_function(f"() => ({REPLAY_TEXT})() !== ''")


async def check_annotations(page: Page) -> None:
    """One annotation at a moment, one over a range (from M1 to M2)."""
    await page.get_by_role("tab", name="Transcript").click()
    await page.get_by_test_id("transcript").get_by_role("button", name=M1).click()
    await page.get_by_role("tab", name="Annotations").click()
    await page.fill("#annotation-text", "Shows the product on camera")
    await page.get_by_role("button", name="Add annotation").click()
    notes = page.get_by_test_id("annotations")
    await expect(notes).to_contain_text("Shows the product on camera")
    # Ticked at M1, the range starts there (not wherever the playhead is when it is saved).
    await page.locator("label.rv-seg-item", has_text="Over a range").click()
    await page.get_by_role("tab", name="Transcript").click()
    await page.get_by_test_id("transcript").get_by_role("button", name=M2).click()
    await page.get_by_role("tab", name="Annotations").click()
    await page.get_by_role("button", name="End here").click()
    await page.fill("#annotation-text", "The whole demo")
    await page.get_by_role("button", name="Add annotation").click()
    await expect(notes.locator(".rv-note-item")).to_have_count(2)
    await expect(page.locator(".rv-note.range")).to_have_count(1)
    # Reworded by its author.
    first = notes.locator(".rv-note-item", has_text="Shows the product on camera")
    await first.get_by_role("button", name=re.compile("^Edit the annotation")).click()
    # (Being edited, its words are in the box, not the item's text.)
    await notes.get_by_role("textbox", name="Annotation").fill(
        "Shows the product on camera, up close")
    await notes.get_by_role("button", name="Save").click()
    await expect(notes).to_contain_text("Shows the product on camera, up close")
    await expect(notes.locator("textarea")).to_have_count(0)


async def check_scorecard(page: Page) -> None:
    """The supervisor sets the team's criteria, then scores; the summaries count it."""
    await page.get_by_role("tab", name="Scorecard").click()
    await page.get_by_role("button", name="Create criteria").click()
    await page.get_by_label("Criterion 1", exact=True).fill("Greets by name")
    await page.get_by_role("button", name="+ Add a criterion").click()
    await page.get_by_label("Criterion 2", exact=True).fill("Resolves the issue")
    await page.get_by_label("Maximum of criterion 2").fill("10")
    await page.get_by_role("button", name="Save criteria").click()
    form = page.get_by_test_id("score-form")
    await form.locator("select[data-criterion=greets_by_name]").select_option("4")
    # Half a score: the form names what is missing, by its label, and sends nothing.
    await form.get_by_role("button", name="Save score").click()
    await expect(form.get_by_role("alert")).to_have_text(
        "Score every criterion: “Resolves the issue” is missing.")
    await form.locator("select[data-criterion=resolves_the_issue]").select_option("8")
    await form.get_by_label("Comment").fill("Clear demo of the product.")
    await form.get_by_role("button", name="Save score").click()
    await expect(form.get_by_role("status")).to_have_text("Saved: 80%.")
    await screenshot(page, "review-scorecard")


async def check_summaries(page: Page, handler: Agent) -> None:
    await page.get_by_role("navigation", name="Review").get_by_role("link",
                                                                   name="Score summaries").click()
    table = page.get_by_test_id("summary")
    await expect(table.locator("tbody tr")).to_have_count(1)
    await expect(table).to_contain_text(handler.login.title())
    await expect(table).to_contain_text("80%")
    await expect(table.locator("thead")).to_contain_text("Resolves the issue")
    await screenshot(page, "review-summaries")
    await page.get_by_role("link", name="By team").click()
    await expect(table.locator("tbody tr")).to_contain_text("support")
    await page.go_back()
    await page.go_back()
    await expect(page.get_by_test_id("player")).to_be_visible()


async def check_exports(page: Page, cid: str) -> None:
    """The zip downloads; the composed video shows its progress, then plays here."""
    async with page.expect_download() as download_info:
        await page.get_by_test_id("export-zip").click()
    download = await download_info.value
    assert download.suggested_filename == f"aisle-{cid}.zip"
    data = await asyncio.to_thread(Path(await download.path()).read_bytes)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert {"manifest.json", "transcript.txt"} <= set(archive.namelist())
    assert M1 in archive.read("transcript.txt").decode()

    await page.get_by_test_id("compose").click()
    job = page.get_by_test_id("compose-job")
    await expect(job.get_by_role("progressbar")).to_be_visible()
    await expect(page.get_by_test_id("compose")).to_be_disabled()
    await screenshot(page, "review-compose-progress")
    await expect(job).to_have_attribute("data-state", "done", timeout=60_000)
    await job.get_by_role("button", name="Play").click()
    video = page.get_by_test_id("composed-video")
    await expect(video).to_be_visible()
    await page.wait_for_function(
        "() => document.querySelector('[data-testid=composed-video]').duration > 2")
    await page.keyboard.press("Escape")
    await expect(video).to_have_count(0)
    assert "/files/composed.webm?t=" in (
        await job.get_by_test_id("composed-download").get_attribute("href") or "")


async def test_review_player(review_server: Server, new_context: ContextFactory) -> None:
    server = review_server
    boss = await server.add_agent("boss", role="supervisor", teams=())
    trainer = await server.add_agent("trainer", role="trainer", teams=())
    plain = await server.add_agent("plain")
    cid, handler = await recorded_call(server)
    w2, c2, conv2, _ = await accepted_chat(server)
    await send(w2, conv2["id"], "Do you ship to Norway?")
    await c2.call("end_conversation", {"conversation_id": conv2["id"]})
    rec = await finished_recording(server, boss, cid)
    t1, t2 = moment(rec, M1), moment(rec, M2)

    page = await (await new_context(accept_downloads=True)).new_page()
    errors = watch_errors(page)
    await sign_in(page, server, boss)
    await check_search(page, cid, plain)
    await check_timeline(page, t1, t2)
    await check_annotations(page)
    await check_scorecard(page)
    await check_summaries(page, handler)
    # Reloaded: the annotations are still there.
    await page.reload()
    await page.get_by_role("tab", name="Annotations").click()
    await expect(page.get_by_test_id("annotations").locator(".rv-note-item")).to_have_count(2)
    await screenshot(page, "review-annotations")
    await check_exports(page, cid)
    assert not errors, errors  # CSP violations, uncaught exceptions, failed requests

    # Another reviewer, on a narrow screen, sees the annotations and the score.
    other = await (await new_context(viewport={"width": 414, "height": 896})).new_page()
    other_errors = watch_errors(other)
    await sign_in(other, server, trainer, f"/review/recordings/{cid}")
    await seek_to_message(other, M2, t2, "Page two")
    await screenshot(other, "review-player-narrow")
    await other.get_by_role("tab", name="Annotations").click()
    await expect(other.get_by_test_id("annotations")).to_contain_text("The whole demo")
    await other.get_by_role("tab", name="Scorecard").click()
    await expect(other.get_by_test_id("scores")).to_contain_text("Boss")
    await expect(other.get_by_test_id("scores")).to_contain_text("80%")
    assert not other_errors, other_errors

    # A plain agent may not review: not the list, not a recording.
    agent_page = await (await new_context()).new_page()
    agent_errors = watch_errors(agent_page)
    await sign_in(agent_page, server, plain)
    await expect(agent_page.get_by_test_id("not-allowed")).to_contain_text(
        "Not open to agents here")
    await expect(agent_page.locator("select[name=sort]")).to_have_count(0)  # no search form
    assert not agent_errors, agent_errors  # (nor a refused request for the agents' list)
    await agent_page.goto(server.url + f"/review/recordings/{cid}")
    await expect(agent_page.get_by_test_id("not-allowed")).to_contain_text("Not allowed")
    await screenshot(agent_page, "review-not-allowed")
