"""Chromium against the media plane: the browser side of docs/media.md's negotiation, for real.

Two pages (agent, visitor) with fake camera/microphone/screen publish on sendonly transceivers,
receive on recvonly ones, trickle their candidates, and decode what the server forwards. Guards
every aiortc upgrade (the forwarding relies on aiortc private hooks).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from playwright.async_api import Browser, Page, async_playwright

from media.control import Answer, IceCandidate, Offer, RemoteTracksChanged, TrackSource
from media.testing import Harness, wait_for
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

PAGE_URL = "http://localhost/media-test"  # served by page.route: a secure context, no server

# The client rules of docs/media.md, as a page script.
CLIENT_JS = """
window.aisle = {
  pc: new RTCPeerConnection({iceServers: [], bundlePolicy: 'max-bundle'}),
  sources: new Map(),          // transceiver -> 'microphone' | 'camera' | 'screen'
  candidates: [],              // trickled, sent by the test after the answer
  mapping: [],
  init() {
    this.pc.onicecandidate = (e) => this.candidates.push(e.candidate
      ? {candidate: e.candidate.candidate, sdpMid: e.candidate.sdpMid,
         sdpMLineIndex: e.candidate.sdpMLineIndex}
      : {candidate: '', sdpMid: null, sdpMLineIndex: null});
  },
  async publish(source) {
    const stream = source === 'screen'
      ? await navigator.mediaDevices.getDisplayMedia({video: true})
      : await navigator.mediaDevices.getUserMedia(
          source === 'camera' ? {video: {width: 640, height: 360}} : {audio: true});
    const track = stream.getTracks()[0];
    const t = this.pc.addTransceiver(track, {direction: 'sendonly', streams: [stream]});
    this.sources.set(t, source);
  },
  unpublish(source) {
    for (const [t, s] of this.sources) {
      if (s === source) { this.pc.removeTrack(t.sender); this.sources.delete(t); }
    }
  },
  ensureSlots(audio, video) {
    const have = {audio: 0, video: 0};
    for (const t of this.pc.getTransceivers()) {
      if (t.direction === 'recvonly') have[t.receiver.track.kind]++;
    }
    const want = {audio, video};
    for (const kind of ['audio', 'video']) {
      for (let i = have[kind]; i < want[kind]; i++) {
        this.pc.addTransceiver(kind, {direction: 'recvonly'});
      }
    }
  },
  async offer() {
    await this.pc.setLocalDescription();
    const sources = [];
    for (const [t, s] of this.sources) {
      if (t.direction === 'sendonly' || t.direction === 'sendrecv') {
        sources.push({mid: t.mid, source: s});
      }
    }
    return {sdp: this.pc.localDescription.sdp, sources};
  },
  async accept(answer) {
    await this.pc.setRemoteDescription({type: 'answer', sdp: answer.sdp});
    this.mapping = answer.receive;
  },
  takeCandidates() { return this.candidates.splice(0); },
  async received() {
    // frames decoded (video) / packets received (audio), by the remote track each mid carries
    const byMid = {};
    (await this.pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp') byMid[r.mid] = r.kind === 'video' ? (r.framesDecoded || 0)
                                                                       : (r.packetsReceived || 0);
    });
    const out = {};
    for (const slot of this.mapping) {
      out[`${slot.peer_id}:${slot.source}:${slot.kind}`] = byMid[slot.mid] || 0;
    }
    return out;
  },
};
window.aisle.init();
"""


@pytest.fixture
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                           args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


async def _page(browser: Browser) -> Page:
    context = await browser.new_context()
    page = await context.new_page()
    await page.route(PAGE_URL, lambda route: route.fulfill(
        body="<!doctype html><title>media test</title>", content_type="text/html"))
    await page.goto(PAGE_URL)
    await page.evaluate(CLIENT_JS)
    return page


class BrowserClient:
    def __init__(self, harness: Harness, page: Page, call_id: str, peer_id: str) -> None:
        self.harness, self.page, self.call_id, self.peer_id = harness, page, call_id, peer_id

    async def negotiate(self) -> Answer:
        data: dict[str, Any] = await self.page.evaluate("aisle.offer()")
        offer = Offer(sdp=data["sdp"], sources=[TrackSource(mid=s["mid"], source=s["source"])
                                                for s in data["sources"]])
        answer = await self.harness.control.apply_offer(self.call_id, self.peer_id, offer)
        await self.page.evaluate("(a) => aisle.accept(a)", {
            "sdp": answer.sdp,
            "receive": [{"mid": s.mid, "peer_id": s.peer_id, "source": s.source,
                         "kind": s.kind} for s in answer.receive]})
        await self.trickle()
        return answer

    async def trickle(self) -> None:
        for c in await self.page.evaluate("aisle.takeCandidates()"):
            await self.harness.control.add_ice_candidate(
                self.call_id, self.peer_id,
                IceCandidate(c["candidate"], c["sdpMid"], c["sdpMLineIndex"]))

    async def follow(self) -> Answer:
        latest = self.harness.latest_remote_tracks(self.peer_id)
        tracks = latest.tracks if latest else []
        await self.page.evaluate(
            f"aisle.ensureSlots({sum(t.kind == 'audio' for t in tracks)}, "
            f"{sum(t.kind == 'video' for t in tracks)})")
        return await self.negotiate()

    async def received(self) -> dict[str, int]:
        await self.trickle()  # late candidates (gathering goes on after the offer)
        result: dict[str, int] = await self.page.evaluate("aisle.received()")
        return result

    async def wait_received(self, track_id: str, at_least: int, timeout: float = 10) -> None:
        counts: dict[str, int] = {}

        async def poll() -> None:
            while counts.get(track_id, 0) < at_least:
                counts.update(await self.received())

        try:
            await asyncio.wait_for(poll(), timeout)
        except TimeoutError:
            raise AssertionError(f"{self.peer_id} got {counts} waiting for {track_id}") from None


async def test_chromium_call_through_the_media_plane(harness: Harness,
                                                     chromium: Browser) -> None:
    agent = BrowserClient(harness, await _page(chromium), "cnv_b", "agt_1")
    visitor = BrowserClient(harness, await _page(chromium), "cnv_b", "vis_1")
    for client in (agent, visitor):
        await client.page.evaluate("aisle.publish('microphone')")
        await client.page.evaluate("aisle.publish('camera')")

    await harness.control.open_peer("cnv_b", "agt_1", "agent")
    await agent.negotiate()
    info = await harness.control.open_peer("cnv_b", "vis_1", "visitor")
    assert len(info.remote_tracks) == 2
    await visitor.page.evaluate("aisle.ensureSlots(1, 1)")
    answer = await visitor.negotiate()
    assert {s.track_id for s in answer.receive} == {"agt_1:microphone:audio",
                                                    "agt_1:camera:video"}
    await wait_for(lambda: harness.latest_remote_tracks("agt_1") is not None, 5, "event")
    await agent.follow()

    await visitor.wait_received("agt_1:camera:video", 20)
    await agent.wait_received("vis_1:camera:video", 20)
    await agent.wait_received("vis_1:microphone:audio", 50)
    await visitor.wait_received("agt_1:microphone:audio", 50)

    # Renegotiation from the browser: a screen share, then back.
    await agent.page.evaluate("aisle.publish('screen')")
    await agent.negotiate()
    await wait_for(lambda: any(isinstance(e, RemoteTracksChanged) and e.peer_id == "vis_1"
                               and len(e.tracks) == 3 for e in harness.events), 5, "screen")
    await visitor.follow()
    await visitor.wait_received("agt_1:screen:video", 10)
    await agent.page.evaluate("aisle.unpublish('screen')")
    answer = await agent.negotiate()
    assert "screen" not in {p.source for p in answer.published}
    counts = await visitor.received()
    await visitor.wait_received("agt_1:camera:video", counts["agt_1:camera:video"] + 20)
