"""A lost participant rebuilds: a new RTCPeerConnection under the same peer id."""

from __future__ import annotations

import asyncio

from media.control import PeerStateChanged, RemoteTracksChanged, TrackRemoved
from media.synthetic import ClipTrack, vp8_clip
from media.testing import (
    ClientPeer,
    Harness,
    frames_grow,
    loopback_settings,
    open_harness,
    publish,
    wait_for,
)


async def _call(harness: Harness, call_id: str) -> tuple[ClientPeer, ClientPeer]:
    agent, visitor = harness.client("agent"), harness.client("visitor")
    publish(agent, "microphone", "audio")
    publish(agent, "camera", "video")
    publish(visitor, "microphone", "audio")
    await harness.join(call_id, "agt_1", agent, role="agent")
    await harness.join(call_id, "vis_1", visitor)
    await frames_grow(visitor, "agt_1", "camera", "video", count=10)
    return agent, visitor


async def test_dropped_peer_is_replaced_and_viewers_reattach_without_renegotiating(
    harness: Harness,
) -> None:
    agent, visitor = await _call(harness, "cnv_d")
    mapping_before = dict(visitor.mapping)
    answers_before = visitor.answers

    # The agent's network goes away: its sockets close, nothing (no BYE, no DTLS close) is
    # sent. The server would notice only by ICE consent failure, ~30 s later.
    ice_transport = agent.pc.getTransceivers()[0].receiver.transport.transport
    await ice_transport.stop()

    # The agent's page rebuilds: a new RTCPeerConnection under the same peer id.
    # Its encoder does not start on a keyframe: the viewer only sees video after a relayed PLI.
    rebuilt = harness.client("agent-rebuilt")
    camera = ClipTrack(vp8_clip(320, 180, 30, 300, 300_000), start_index=30)
    rebuilt.publish("camera", camera)
    publish(rebuilt, "microphone", "audio")
    info, _ = await harness.join("cnv_d", "agt_1", rebuilt, role="agent")
    assert (info.generation, info.replaced) == (2, True)

    # The visitor's slots re-attach to the new tracks: same mids, no new offer from it.
    await frames_grow(visitor, "agt_1", "camera", "video", count=15)
    await frames_grow(visitor, "agt_1", "microphone", "audio", count=20)
    assert visitor.mapping == mapping_before and visitor.answers == answers_before
    assert camera.keyframe_requests >= 1  # a PLI went to the new publisher
    assert not [e for e in harness.events if isinstance(e, TrackRemoved)]
    closed = [e for e in harness.events
              if isinstance(e, PeerStateChanged) and e.state == "closed"]
    assert [(e.peer_id, e.generation, e.reason) for e in closed] == [("agt_1", 1, "replaced")]
    stats = await harness.control.stats()
    assert (stats.peers, stats.peer_connections) == (2, 2)


async def test_peer_closed_by_its_client_is_reported_and_can_rejoin(harness: Harness) -> None:
    agent, visitor = await _call(harness, "cnv_c")
    await agent.close()  # a clean close: RTCP BYE and DTLS close_notify reach the server
    await harness.wait_event(
        lambda e: isinstance(e, PeerStateChanged) and e.peer_id == "agt_1" and e.state == "closed",
        what="agent reported closed")
    stats = await harness.control.stats()
    assert stats.peer_connections == 1

    rebuilt = harness.client("agent-2")
    publish(rebuilt, "camera", "video")
    publish(rebuilt, "microphone", "audio")
    await harness.join("cnv_c", "agt_1", rebuilt, role="agent")
    await harness.wait_event(
        lambda e: isinstance(e, RemoteTracksChanged) and e.peer_id == "vis_1"
        and len(e.tracks) == 2 and e.generation == 1)
    await harness.follow("cnv_c", "vis_1", visitor)
    await frames_grow(visitor, "agt_1", "camera", "video", count=15)


async def test_a_client_that_falls_silent_is_lost_not_closed() -> None:
    """The agent's network goes away without a word: the server hears nothing more, and its
    consent checks go unanswered. That is a lost connection ("failed", `consent_expired`), and
    so are its tracks when no rebuild comes, never the client's clean close ("closed",
    `remote`). The checks are MediaSettings' (shortened here: ~1 s instead of ~33 s)."""
    settings = loopback_settings(ice_consent_interval_s=0.2, ice_consent_failures=2,
                                 rebuild_grace_s=0.5)
    async with open_harness(settings) as harness:
        agent, visitor = await _call(harness, "cnv_s")
        # Its sockets close; nothing (no BYE, no DTLS close) reaches the server.
        await agent.pc.getTransceivers()[0].receiver.transport.transport.stop()
        ended = await harness.wait_event(
            lambda e: isinstance(e, PeerStateChanged) and e.peer_id == "agt_1"
            and e.state in ("failed", "closed"), timeout=10, what="the agent's end noticed")
        assert isinstance(ended, PeerStateChanged)
        assert (ended.state, ended.reason, ended.generation) == ("failed", "consent_expired", 1)
        await wait_for(lambda: len([e for e in harness.events if isinstance(e, TrackRemoved)])
                       == 2, 5, "the agent's tracks removed")
        removed = [e for e in harness.events if isinstance(e, TrackRemoved)]
        assert {(e.source, e.reason) for e in removed} == {("microphone", "connection_lost"),
                                                           ("camera", "connection_lost")}
        # The visitor, who answered its checks all along, is not taken for lost.
        assert [e.peer_id for e in harness.events if isinstance(e, PeerStateChanged)
                and e.state in ("failed", "closed")] == ["agt_1"]


async def test_stale_tracks_expire_when_no_rebuild_comes() -> None:
    async with open_harness(loopback_settings(rebuild_grace_s=0.5)) as harness:
        await _call(harness, "cnv_e")
        await harness.control.open_peer("cnv_e", "agt_1", "agent")  # replaced, never offers
        removed = await harness.wait_event(lambda e: isinstance(e, TrackRemoved), timeout=3,
                                           what="tracks expire after rebuild_grace_s")
        assert isinstance(removed, TrackRemoved) and removed.reason == "rebuild_expired"
        await wait_for(lambda: (r := harness.latest_remote_tracks("vis_1")) is not None
                       and not r.tracks, 3, "visitor told the agent's tracks are gone")


async def test_concurrent_rebuilds_leave_one_peer(harness: Harness) -> None:
    await harness.control.open_peer("cnv_cc", "agt_1", "agent")
    infos = await asyncio.gather(*(harness.control.open_peer("cnv_cc", "agt_1", "agent")
                                   for _ in range(3)))
    assert sorted(i.generation for i in infos) == [2, 3, 4]
    stats = await harness.control.stats()
    assert (stats.peers, stats.peer_connections) == (1, 1)
