"""Calls in real browsers: a shopper in the demo store and an agent in the console, both in
Chromium with fake camera, microphone and screen, through the real server and its media plane on
loopback. Video both ways (frames must keep arriving on the <video> elements), the agent's
screen share, mute, a page change mid-call, hanging up; a voice call upgraded to video in the
same connection; a declined call; a camera the page may not use."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from playwright.async_api import Locator, Page, expect

from tests.e2e.conftest import ContextFactory, screenshot
from tests.e2e.test_console import accept_offer, nav, open_console, watch_errors
from tests.e2e.test_widget import Store, allow_origin, start_chat
from tests.integration.harness import Agent, Server, start_server

pytestmark = pytest.mark.browser

SHOP_NOISE = re.compile(r"Failed to load resource")
CONNECT_S = 20  # a first connection on a loaded 2-core machine: ICE, DTLS, first keyframe

# Test instrumentation, not product code: every RTCPeerConnection the page makes is kept, so
# the test can look at senders (mute, bitrate caps) and count connections.
TRACK_PEERS = """
(() => {
  const Native = window.RTCPeerConnection;
  if (!Native) return;
  const made = [];
  window.__pcs = made;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); made.push(this); }
  };
})();
"""


@pytest.fixture
async def e2e_server(tmp_path: Path) -> AsyncIterator[Server]:
    server = await start_server(tmp_path / "data", media_host_addresses=("127.0.0.1",),
                                offer_timeout_s=30.0)
    yield server
    await server.close()


class PolicyStore(Store):
    """test_widget's store (its own origin), serving its pages with a Permissions-Policy."""

    def __init__(self, aisle: Server, policy: str) -> None:
        super().__init__(aisle)
        self.policy = policy

    async def _page(self, request: web.Request) -> web.Response:
        response = await super()._page(request)
        response.headers["Permissions-Policy"] = self.policy
        return response


async def shopper(new_context: ContextFactory, server: Server,
                  url: str | None = None) -> tuple[Page, list[str]]:
    context = await new_context(reduced_motion="reduce")
    await context.add_init_script(TRACK_PEERS)
    page = await context.new_page()
    errors = watch_errors(page)
    await page.goto(url or server.url + "/demo/")
    await expect(page.locator("[data-testid=aisle-launcher]")).to_be_visible()
    return page, errors


async def agent_console(new_context: ContextFactory, server: Server,
                        agent: Agent) -> tuple[Page, list[str]]:
    page, errors = await open_console(new_context, server, agent)
    await page.add_init_script(TRACK_PEERS)
    await page.reload()  # the instrumentation is in place from the console's first script on
    await expect(page.get_by_test_id("connection")).to_have_text("Connected")
    return page, errors


async def chatting(new_context: ContextFactory, server: Server, name: str = "Dana",
                   url: str | None = None) -> tuple[Page, Page, list[str]]:
    """A shopper (in the demo store, or at `url`) and Alex in an accepted chat: (shopper,
    agent, all page errors)."""
    alex = await server.add_agent("alex", teams=("support",))
    agent, agent_errors = await agent_console(new_context, server, alex)
    shop, shop_errors = await shopper(new_context, server, url)
    await shop.locator("[data-testid=aisle-launcher]").click()
    await start_chat(shop, topic="order", name=name, message="Can you show me the mug?")
    await accept_offer(agent, name)
    await expect(shop.locator("[data-testid=aisle-title]")).to_have_text("Alex")
    return shop, agent, agent_errors + shop_errors


async def frames_advance(video: Locator, by: int = 15, timeout_s: float = CONNECT_S) -> None:
    """Frames keep being presented on this <video> (decoded and shown, not only received)."""
    handle = await video.element_handle(timeout=timeout_s * 1000)
    start: int = await handle.evaluate("v => v.getVideoPlaybackQuality().totalVideoFrames")
    await video.page.wait_for_function(
        "([v, n]) => v.isConnected && v.getVideoPlaybackQuality().totalVideoFrames >= n",
        arg=[handle, start + by], timeout=timeout_s * 1000)


async def sender_track(page: Page, kind: str) -> dict[str, Any]:
    """The live connection's sender of `kind`: its track's state and its encoding caps."""
    result: dict[str, Any] = await page.evaluate("""(kind) => {
      const pc = window.__pcs.filter((p) => p.connectionState !== 'closed').at(-1);
      const s = pc.getSenders().find((x) => x.track && x.track.kind === kind);
      if (!s) return null;
      const e = s.getParameters().encodings[0] || {};
      return {enabled: s.track.enabled, label: s.track.label, maxBitrate: e.maxBitrate ?? null,
              peers: window.__pcs.length};
    }""", kind)
    return result


# True when the widget's chat is scrolled to its newest message (its body's end in view).
NEWEST_IN_VIEW = """(want) => {
  const body = document.getElementById('aisle-widget-host').shadowRoot
    .querySelector('#aisle-panel .body');
  return (body.scrollHeight - body.scrollTop - body.clientHeight < 2) === want;
}"""


def log_of(page: Page) -> Locator:
    return page.get_by_role("log")


async def test_video_call_screen_share_page_change_and_hang_up(
        e2e_server: Server, new_context: ContextFactory) -> None:
    server = e2e_server
    shop, agent, errors = await chatting(new_context, server)

    # A few answers, enough to fill the chat.
    composer = agent.get_by_role("combobox", name="Reply to the visitor")
    for i in range(6):
        await composer.fill(f"Here is detail {i} of the mug, line after line after line.")
        await composer.press("Enter")
    await expect(shop.locator("[data-testid=aisle-message]", has_text="detail 5 of the mug")) \
        .to_be_in_viewport()

    # Dana calls with video: her camera preview shows while it rings.
    await shop.get_by_test_id("aisle-call-video").click()
    await expect(shop.get_by_test_id("aisle-call-outgoing")).to_contain_text("Calling Alex")
    await expect(shop.get_by_test_id("aisle-call-preview")).to_be_visible()
    incoming = agent.get_by_test_id("call-incoming")
    await expect(incoming).to_contain_text("Dana is calling you")
    await expect(incoming).to_contain_text("Video call")
    await screenshot(agent, "call-agent-incoming")
    await screenshot(shop, "call-shopper-calling")
    await agent.get_by_test_id("call-accept").click()

    # Both see the other's camera, frames advancing; each sees itself small.
    shop_remote = shop.get_by_test_id("aisle-call-remote")
    agent_remote = agent.get_by_test_id("call-remote")
    await frames_advance(shop_remote)
    await frames_advance(agent_remote)
    await expect(shop.get_by_test_id("aisle-call-self")).to_be_visible()
    await expect(agent.get_by_test_id("call-self")).to_be_visible()
    await expect(shop.get_by_test_id("aisle-call")).to_have_attribute("data-phase", "connected")
    await expect(agent.get_by_test_id("call-status")).to_contain_text(re.compile(r"\d\d:\d\d"))
    await screenshot(shop, "call-shopper-in-video-call")
    await screenshot(agent, "call-agent-in-video-call")

    # The call takes half the panel: the chat below it still shows the newest message, and
    # follows new ones, unless Dana has scrolled back to read something.
    await shop.wait_for_function(NEWEST_IN_VIEW, arg=True, timeout=5_000)
    await log_of(agent).evaluate("""l => new Promise((done, fail) => {
      const at = () => l.scrollHeight - l.scrollTop - l.clientHeight < 2;
      const start = performance.now();
      const look = () => at() ? done(true)
        : performance.now() - start > 5000 ? fail(new Error('not at the end'))
        : requestAnimationFrame(look);
      look();
    })""")
    await shop.locator("#aisle-panel .body").evaluate(
        "b => { b.scrollTop = 0; b.dispatchEvent(new Event('scroll')); }")
    await composer.fill("One more thing about the mug.")
    await composer.press("Enter")
    await expect(shop.locator("[data-testid=aisle-message]", has_text="One more thing")) \
        .to_have_count(1)
    assert await shop.evaluate(NEWEST_IN_VIEW, False)

    # The browser caps what it sends (one encoding, no simulcast).
    video = await sender_track(shop, "video")
    assert video["maxBitrate"] == 1_200_000
    assert (await sender_track(agent, "audio"))["maxBitrate"] == 64_000

    # Mute: the microphone's track is disabled (silence), not removed; Alex sees she is muted;
    # and back.
    await shop.get_by_test_id("aisle-call-mute").click()
    await expect(shop.get_by_test_id("aisle-call-mute")).to_have_attribute("aria-pressed", "true")
    assert (await sender_track(shop, "audio"))["enabled"] is False
    await expect(agent.get_by_test_id("call-remote-muted")).to_have_text(" · Dana is muted")
    await shop.get_by_test_id("aisle-call-mute").click()
    assert (await sender_track(shop, "audio"))["enabled"] is True
    await expect(agent.get_by_test_id("call-remote-muted")).to_have_count(0)
    # Alex mutes: Dana sees it.
    await agent.get_by_test_id("call-mute").click()
    await expect(shop.get_by_test_id("aisle-call-remote-muted")).to_contain_text("Alex is muted")
    await agent.get_by_test_id("call-mute").click()
    await expect(shop.get_by_test_id("aisle-call-remote-muted")).to_have_count(0)

    # The agent shows their screen (a product demo): Dana sees it big, frames advancing.
    await agent.get_by_test_id("call-share").click()
    screen = shop.locator("[data-testid=aisle-call-remote][data-source=screen]")
    await frames_advance(screen)
    await expect(agent.get_by_test_id("call-self-screen")).to_be_visible()
    await expect(shop.get_by_test_id("aisle-call-tile")).to_have_count(1)  # the camera, small
    screen_sender = await agent.evaluate("""() => {
      const pc = window.__pcs.at(-1);
      const s = pc.getSenders().find((x) => x.track && x.track.label.startsWith('screen'));
      return {max: s.getParameters().encodings[0].maxBitrate, hint: s.track.contentHint};
    }""")
    assert screen_sender == {"max": 1_500_000, "hint": "detail"}
    await screenshot(shop, "call-shopper-sees-screen-share")
    await screenshot(agent, "call-agent-sharing-screen")
    await agent.get_by_test_id("call-share").click()
    camera = shop.locator("[data-testid=aisle-call-remote][data-source=camera]")
    await expect(camera).to_be_visible()
    await expect(log_of(agent)).to_contain_text("You stopped sharing your screen")

    # Dana goes to her cart mid-call: the new page joins again and the call goes on.
    peers_before = (await sender_track(agent, "video"))["peers"]
    await shop.locator("[data-testid=cart-link]").click()
    await shop.wait_for_url(re.compile(r"/demo/cart\.html"))
    await frames_advance(shop.get_by_test_id("aisle-call-remote"), timeout_s=10)
    await frames_advance(agent_remote, timeout_s=10)
    assert (await sender_track(agent, "video"))["peers"] == peers_before  # agent kept theirs
    await expect(shop.get_by_test_id("aisle-call")).to_have_attribute("data-phase", "connected")

    # Dana's connection drops (no word from her page): Alex reads it in the call, which waits
    # for her; she is back and the call goes on.
    status = agent.get_by_test_id("call-status")
    [held] = await server.aisle.store.conversations.find(status=["active"])
    for sid, _ in server.aisle.sio.manager.get_participants("/visitor",
                                                            f"vis:{held.visitor_id}"):
        await server.aisle.sio.disconnect(sid, namespace="/visitor")
    await expect(status).to_contain_text("Dana's connection dropped: waiting for them")
    await expect(status).to_contain_text(re.compile(r"\d\d:\d\d"), timeout=15_000)
    await frames_advance(agent_remote, timeout_s=10)

    # Dana hangs up: both are back to the chat, and both transcripts say so.
    await shop.get_by_test_id("aisle-call-hangup").click()
    await expect(shop.get_by_test_id("aisle-call")).to_have_count(0)
    await expect(agent.get_by_test_id("call-panel")).to_have_count(0)
    await expect(shop.get_by_test_id("aisle-call-video")).to_be_visible()
    await expect(agent.get_by_test_id("call-video")).to_be_visible()
    await expect(shop.locator("[data-testid=aisle-notice]", has_text="You ended the call")) \
        .to_have_count(1)
    await expect(log_of(agent)).to_contain_text("Dana ended the call")
    await screenshot(agent, "call-agent-after-hang-up")
    await screenshot(shop, "call-shopper-after-hang-up")
    for line in ("Dana started a video call", "You answered the call",
                 "You started sharing your screen", "Dana turned on their camera"):
        await expect(log_of(agent)).to_contain_text(line)
    await expect(log_of(shop)).to_contain_text("Alex started sharing their screen")
    # Each side's connection is closed and no device is left on.
    for page in (shop, agent):
        assert await page.evaluate(
            "() => window.__pcs.every((pc) => pc.connectionState === 'closed')")
    conv = (await server.aisle.store.conversations.find(status=["active"]))[0]
    assert conv.call == "off"
    stats = await server.aisle.media.stats()
    assert (stats.calls, stats.peer_connections) == (0, 0)
    assert [e for e in errors if not SHOP_NOISE.search(e)] == []


async def test_voice_call_becomes_video_without_reloading_and_a_declined_call(
        e2e_server: Server, new_context: ContextFactory) -> None:
    server = e2e_server
    shop, agent, errors = await chatting(new_context, server, name="Eli")

    # Eli rings; Alex declines: both are told, nothing stays open.
    await shop.get_by_test_id("aisle-call-voice").click()
    await agent.get_by_test_id("call-decline").click()
    await expect(shop.get_by_test_id("aisle-call-outgoing")).to_have_count(0)
    await expect(log_of(shop)).to_contain_text("Alex declined the call")
    await expect(log_of(agent)).to_contain_text("You declined the call")
    await expect(shop.get_by_test_id("aisle-call-voice")).to_be_enabled()

    # Alex rings back (voice) while Eli, the chat minimised, types in the store's search: the
    # ringing opens the panel without taking his keystrokes. He sees who calls, for what, and
    # that calls are recorded.
    await shop.get_by_role("button", name="Minimise chat").click()
    search = shop.get_by_label("Search products")
    await search.click()
    await search.press_sequentially("red ")
    await agent.get_by_test_id("call-voice").click()
    prompt = shop.get_by_test_id("aisle-call-incoming")
    await expect(prompt).to_contain_text("Alex is calling you")
    await search.press_sequentially("jacket")
    await expect(search).to_have_value("red jacket")
    await expect(search).to_be_focused()
    await expect(prompt).to_contain_text("Voice call")
    await expect(prompt).to_contain_text("recorded")
    await screenshot(shop, "call-shopper-incoming")
    await shop.get_by_test_id("aisle-call-accept").click()
    await expect(shop.get_by_test_id("aisle-call")).to_have_attribute("data-phase", "connected")
    await expect(agent.get_by_test_id("call-panel")).to_have_attribute("data-phase", "connected")
    await expect(shop.get_by_test_id("aisle-call-remote")).to_have_count(0)  # voice: no video
    await expect(shop.get_by_test_id("aisle-call-audio")).to_have_count(1)
    await screenshot(shop, "call-shopper-voice")

    # Minimised (on a phone, the only way to see the page), the chat goes on playing Alex's
    # voice, and the launcher says a call is on; opening it finds the call as it was.
    audio = shop.get_by_test_id("aisle-call-audio")
    playing = ("(a) => !a.paused && a.srcObject !== null"
               " && a.srcObject.getAudioTracks().some((t) => t.readyState === 'live')")
    await shop.get_by_role("button", name="Minimise chat").click()
    await expect(shop.get_by_test_id("aisle-call")).to_have_count(0)
    await expect(audio).to_have_count(1)
    assert await audio.evaluate(playing)
    launcher = shop.get_by_test_id("aisle-launcher")
    await expect(launcher).to_have_attribute("aria-label", "Open chat: call in progress")
    await launcher.click()
    await expect(shop.get_by_test_id("aisle-call")).to_have_attribute("data-phase", "connected")
    await expect(audio).to_have_count(1)
    await expect(launcher).to_have_attribute("aria-label", "Close chat")

    # Eli is about to read out his card number: Alex pauses the recording, then resumes it.
    status = shop.get_by_test_id("aisle-call-status")
    await expect(status).to_contain_text("Recorded")
    await agent.get_by_test_id("call-pause-recording").click()
    await expect(status).to_contain_text("Recording paused")
    await expect(agent.get_by_test_id("call-recorded")).to_have_text(" · Not recorded")
    await agent.get_by_test_id("call-resume-recording").click()
    await expect(status).to_contain_text("Recorded")
    await expect(status).not_to_contain_text("paused")

    # Eli turns his camera on: the same connection, renegotiated; Alex sees him.
    await shop.get_by_test_id("aisle-call-camera").click()
    await frames_advance(agent.get_by_test_id("call-remote"))
    assert (await sender_track(shop, "video"))["peers"] == 1
    # Alex too; then picks another microphone (the same sender, a new track).
    await agent.get_by_test_id("call-camera").click()
    await frames_advance(shop.get_by_test_id("aisle-call-remote"))
    # A phone turned sideways (844 × 390): the video gives way, the controls and the message
    # box stay on screen.
    await shop.set_viewport_size({"width": 844, "height": 390})
    await expect(shop.get_by_test_id("aisle-call-hangup")).to_be_in_viewport(ratio=1)
    await expect(shop.get_by_test_id("aisle-input")).to_be_in_viewport(ratio=1)
    await screenshot(shop, "call-shopper-landscape")
    await shop.set_viewport_size({"width": 1280, "height": 800})

    # The server loses Eli's connection: his page notices, builds a new one (joining again with
    # the same tracks) and the call goes on within seconds, both ways.
    conv = (await server.aisle.store.conversations.find(status=["active"]))[0]
    assert conv.call_id is not None
    await server.aisle.media.close_peer(conv.call_id, conv.visitor_id)
    in_call = shop.get_by_test_id("aisle-call")
    await expect(in_call).to_have_attribute("data-phase", "reconnecting", timeout=15_000)
    await expect(in_call).to_have_attribute("data-phase", "connected", timeout=15_000)
    await frames_advance(agent.get_by_test_id("call-remote"), timeout_s=10)
    await frames_advance(shop.get_by_test_id("aisle-call-remote"), timeout_s=10)
    assert await shop.evaluate("() => window.__pcs.length") == 2

    await agent.get_by_test_id("call-devices").click()
    await agent.get_by_test_id("call-microphone").select_option(label="Fake Audio Input 1")
    await agent.wait_for_function("""() => window.__pcs.at(-1).getSenders()
      .some((s) => s.track && s.track.label === 'Fake Audio Input 1')""")
    # Eli turns his camera off: Alex is back to the voice picture.
    await shop.get_by_test_id("aisle-call-camera").click()
    await expect(agent.get_by_test_id("call-remote")).to_have_count(0)
    await expect(log_of(agent)).to_contain_text("Eli turned off their camera")
    await screenshot(agent, "call-agent-after-camera-off")

    # Eli shows his screen: a notice first, then the browser's picker; Alex sees it.
    await shop.get_by_test_id("aisle-call-screen").click()
    await expect(shop.get_by_test_id("aisle-call-screen-consent")).to_contain_text(
        "Show your screen to Alex?")
    await shop.get_by_test_id("aisle-call-screen-share").click()
    await expect(shop.get_by_test_id("aisle-call-sharing")).to_contain_text(
        "You're showing your screen to Alex")
    await frames_advance(agent.locator("[data-testid=call-remote][data-source=screen]"))
    await screenshot(shop, "call-shopper-sharing-screen")
    sharing = shop.get_by_test_id("aisle-call-sharing")
    await sharing.get_by_role("button", name="Stop showing my screen").click()
    await expect(agent.get_by_test_id("call-remote")).to_have_count(0)

    # Alex hangs up.
    await agent.get_by_test_id("call-hangup").click()
    await expect(shop.get_by_test_id("aisle-call")).to_have_count(0)
    await expect(log_of(shop)).to_contain_text("Alex ended the call")
    assert await shop.evaluate("() => window.__pcs.map((pc) => pc.connectionState)") == [
        "closed", "closed"]
    assert [e for e in errors if not SHOP_NOISE.search(e)] == []


async def test_a_camera_the_page_may_not_use_is_explained(
        e2e_server: Server, new_context: ContextFactory) -> None:
    server = e2e_server
    # The store forbids the camera (the same refusal as a person blocking it: NotAllowedError).
    store = PolicyStore(server, "camera=()")
    await store.start()
    await allow_origin(server, store.url)
    try:
        await camera_refused(server, new_context, store.url + "/test-store/a.html")
    finally:
        await store.close()


async def camera_refused(server: Server, new_context: ContextFactory, url: str) -> None:
    shop, agent, _ = await chatting(new_context, server, name="Fay", url=url)
    await shop.get_by_test_id("aisle-call-video").click()
    problem = shop.get_by_test_id("aisle-call-problem")
    await expect(problem).to_contain_text("Your browser is blocking the camera")
    await expect(agent.get_by_test_id("call-incoming")).to_have_count(0)  # nobody was rung
    await screenshot(shop, "call-shopper-camera-blocked")
    # A voice call still works.
    await shop.get_by_test_id("aisle-call-voice").click()
    await expect(agent.get_by_test_id("call-incoming")).to_contain_text("Voice call")
    await shop.get_by_test_id("aisle-call-cancel").click()
    await expect(agent.get_by_test_id("call-incoming")).to_have_count(0)
    await expect(log_of(agent)).to_contain_text("Fay ended the call")


async def test_a_supervisor_joins_the_call_and_leaves_it(
        e2e_server: Server, new_context: ContextFactory) -> None:
    server = e2e_server
    sam_agent = await server.add_agent("sam", teams=("support",), role="supervisor",
                                       status="away")
    shop, agent, errors = await chatting(new_context, server, name="Gus")
    await shop.get_by_test_id("aisle-call-voice").click()
    await agent.get_by_test_id("call-accept").click()
    await expect(agent.get_by_test_id("call-panel")).to_have_attribute("data-phase", "connected")

    # Sam observes, joins the chat, then its call: he hears both of them.
    sam, sam_errors = await agent_console(new_context, server, sam_agent)
    await nav(sam, "Dashboard").click()
    await sam.locator(".active-list li", has_text="Gus").get_by_role(
        "button", name=re.compile("Observe")).click()
    await sam.get_by_role("button", name="Join", exact=True).click()
    join_call = sam.get_by_test_id("call-join")
    await expect(join_call).to_have_text("Join call")
    await join_call.click()
    await expect(sam.get_by_test_id("call-panel")).to_have_attribute("data-phase", "connected")
    await sam.wait_for_function("""async () => {
      const stats = await window.__pcs.at(-1).getStats();
      let hearing = 0;
      stats.forEach((r) => { if (r.type === 'inbound-rtp' && r.kind === 'audio'
                                 && r.packetsReceived > 20) hearing++; });
      return hearing === 2;
    }""", polling=250, timeout=CONNECT_S * 1000)
    await expect(sam.get_by_test_id("call-audio")).to_have_count(2)
    await expect(log_of(shop)).to_contain_text("Sam joined the call")
    await screenshot(sam, "call-supervisor-joined")

    # Sam leaves the conversation: his connection ends, the call goes on for the other two.
    await sam.get_by_role("button", name="Leave").click()
    await expect(log_of(agent)).to_contain_text("Sam left the call")
    assert await sam.evaluate("() => window.__pcs.at(-1).connectionState") == "closed"
    await expect(agent.get_by_test_id("call-panel")).to_have_attribute("data-phase", "connected")
    await expect(shop.get_by_test_id("aisle-call")).to_have_attribute("data-phase", "connected")
    assert [e for e in errors + sam_errors if not SHOP_NOISE.search(e)] == []
