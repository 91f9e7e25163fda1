"""Forwarding through the server: both ways in a 1:1 call, bit-exact, keyframes on demand."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiortc.rtp import RTCP_PSFB_APP, RtcpPsfbPacket, pack_remb_fci

from media import passthrough
from media.control import PeerStateChanged
from media.synthetic import ClipTrack, opus_clip, vp8_clip
from media.testing import Harness, frames_grow, publish, wait_for


async def test_one_to_one_call_forwards_both_ways_without_reencoding(harness: Harness) -> None:
    agent, visitor = harness.client("agent", keep_payloads=True), harness.client("visitor")
    publish(agent, "microphone", "audio")
    publish(agent, "camera", "video")
    visitor_mic = publish(visitor, "microphone", "audio")
    visitor_cam = publish(visitor, "camera", "video")

    await harness.join("cnv_1", "agt_1", agent, role="agent")
    _, answer = await harness.join("cnv_1", "vis_1", visitor)
    assert {(s.peer_id, s.source, s.kind) for s in answer.receive} == {
        ("agt_1", "microphone", "audio"), ("agt_1", "camera", "video")}
    await harness.wait_event(lambda e: getattr(e, "type", "") == "remote_tracks_changed"
                             and getattr(e, "peer_id", "") == "agt_1")
    await harness.follow("cnv_1", "agt_1", agent)

    await asyncio.gather(
        frames_grow(agent, "vis_1", "camera", "video", count=20),
        frames_grow(agent, "vis_1", "microphone", "audio", count=20),
        frames_grow(visitor, "agt_1", "camera", "video", count=20),
        frames_grow(visitor, "agt_1", "microphone", "audio", count=20),
    )

    # The server never decoded nor re-encoded: every frame is byte for byte one the visitor sent.
    video = agent.reception("vis_1", "camera", "video")
    audio = agent.reception("vis_1", "microphone", "audio")
    assert video is not None and audio is not None
    assert video.payloads <= set(visitor_cam._clip.packets)
    assert audio.payloads <= set(visitor_mic._clip.packets)
    assert video.keyframes >= 1

    states = {(e.peer_id, e.state) for e in harness.events if isinstance(e, PeerStateChanged)}
    assert {("agt_1", "connected"), ("vis_1", "connected")} <= states
    stats = await harness.control.stats()
    assert (stats.calls, stats.peers, stats.peer_connections, stats.publications) == (1, 2, 2, 4)


async def test_late_viewer_gets_a_keyframe_at_once(harness: Harness) -> None:
    # A publisher whose encoder would next send a keyframe only 10 s from now.
    rare_keyframes = vp8_clip(320, 180, 30, 300, 300_000)
    agent, visitor = harness.client("agent"), harness.client("visitor")
    camera = ClipTrack(rare_keyframes)
    agent.publish("camera", camera)
    await harness.join("cnv_2", "agt_1", agent)
    await wait_for(lambda: camera.sent >= 45, 5, "1.5 s of the agent's camera")
    requests_before = camera.keyframe_requests

    start = time.monotonic()
    await harness.join("cnv_2", "vis_1", visitor)
    await frames_grow(visitor, "agt_1", "camera", "video", count=5)
    reception = visitor.reception("agt_1", "camera", "video")
    assert reception is not None and reception.first_keyframe_at is not None
    # The first frame forwarded to a new viewer is a keyframe obtained by a relayed PLI.
    assert reception.first_frame_at == reception.first_keyframe_at
    assert reception.first_keyframe_at - start < 1.5
    assert camera.keyframe_requests > requests_before


async def test_viewer_pli_reaches_the_publisher(harness: Harness) -> None:
    agent, visitor = harness.client("agent"), harness.client("visitor")
    camera = ClipTrack(vp8_clip(320, 180, 30, 300, 300_000))
    agent.publish("camera", camera)
    agent.publish("microphone", ClipTrack(opus_clip()))
    await harness.join("cnv_3", "agt_1", agent)
    await harness.join("cnv_3", "vis_1", visitor)
    await frames_grow(visitor, "agt_1", "camera", "video", count=10)
    reception = visitor.reception("agt_1", "camera", "video")
    assert reception is not None
    keyframes, requests = reception.keyframes, camera.keyframe_requests

    # The viewer's receiver reports picture loss, as a browser does after packet loss.
    receiver = next(t.receiver for t in visitor.pc.getTransceivers() if t.mid == reception.mid)
    await wait_for(lambda: passthrough.active_ssrcs(receiver), 2, "viewer saw an SSRC")
    await passthrough.send_pli(receiver, passthrough.active_ssrcs(receiver)[0])

    await wait_for(lambda: camera.keyframe_requests > requests, 2, "PLI relayed to publisher")
    await wait_for(lambda: reception.keyframes > keyframes, 2, "new keyframe at the viewer")


async def test_a_viewer_on_a_slow_link_limits_what_the_publisher_sends(harness: Harness) -> None:
    """The viewer's REMB (what its link can take) reaches the publisher. The server's own
    estimate of the publisher's uplink never lifts it above that; and when the uplink is the
    slower one, the viewer's figure does not lift that either."""
    agent, visitor = harness.client("agent"), harness.client("visitor")
    camera = ClipTrack(vp8_clip(320, 180, 30, 300, 300_000))
    agent.publish("camera", camera)
    await harness.join("cnv_4", "agt_1", agent)
    await harness.join("cnv_4", "vis_1", visitor)
    await frames_grow(visitor, "agt_1", "camera", "video", count=10)
    reception = visitor.reception("agt_1", "camera", "video")
    assert reception is not None
    receiver = next(t.receiver for t in visitor.pc.getTransceivers() if t.mid == reception.mid)
    # Only what the test says: the viewer's own estimator would add figures of its own.
    setattr(receiver, "_RTCRtpReceiver__remote_bitrate_estimator", None)  # noqa: B010
    await wait_for(lambda: passthrough.active_ssrcs(receiver), 2, "viewer saw an SSRC")
    server_ssrc = passthrough.active_ssrcs(receiver)[0]
    [publication] = [p for p in harness.control._calls["cnv_4"].peers["agt_1"]
                     .publications.values() if p.key.kind == "video"]
    uplink = publication._receiver

    await passthrough.send_remb(receiver, 123_456, [server_ssrc])
    await wait_for(lambda: 123_456 in camera.remb, 2, "the viewer's limit at the publisher")
    # The server's own estimate of a fast uplink (what aiortc sends when the publisher stamps
    # abs-send-time, as browsers do) is lowered to what the viewer can take.
    await own_remb(uplink, 2_000_000)
    await frames_grow(visitor, "agt_1", "camera", "video", count=5)
    assert set(camera.remb) == {123_456}, camera.remb
    # A lower limit goes at once.
    await passthrough.send_remb(receiver, 99_000, [server_ssrc])
    await wait_for(lambda: 99_000 in camera.remb, 2, "a lower limit at the publisher")
    # The uplink congested below the viewer's figure: the viewer's does not lift it.
    await own_remb(uplink, 80_000)
    congested = len(camera.remb)
    await passthrough.send_remb(receiver, 95_000, [server_ssrc])  # lower: relayed at once
    await passthrough.send_remb(receiver, 70_000, [server_ssrc])
    await wait_for(lambda: 70_000 in camera.remb, 2, "the viewer's lower limit")
    assert max(camera.remb[congested:]) == 80_000, camera.remb[congested:]


async def own_remb(uplink: Any, bitrate: int) -> None:
    """A REMB of the server's own estimator, sent as aiortc sends it (rtcrtpreceiver.py:498)."""
    rtcp_ssrc = getattr(uplink, "_RTCRtpReceiver__rtcp_ssrc")  # noqa: B009
    await uplink._send_rtcp(RtcpPsfbPacket(fmt=RTCP_PSFB_APP, ssrc=rtcp_ssrc, media_ssrc=0,
                                           fci=pack_remb_fci(bitrate,
                                                             passthrough.active_ssrcs(uplink))))
