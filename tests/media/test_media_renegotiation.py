"""Renegotiation, always offered by the client: voice -> video -> + screen share -> back."""

from __future__ import annotations

from media.control import RemoteTracksChanged, TrackAdded, TrackRemoved
from media.testing import Harness, frames_grow, publish


def _is_remote_change(peer_id: str, count: int):  # type: ignore[no-untyped-def]
    return lambda e: isinstance(e, RemoteTracksChanged) and e.peer_id == peer_id and len(
        e.tracks) == count


async def test_voice_call_upgrades_to_video_then_screen_share_and_back(harness: Harness) -> None:
    agent, visitor = harness.client("agent"), harness.client("visitor")
    publish(agent, "microphone", "audio")
    publish(visitor, "microphone", "audio")
    await harness.join("cnv_r", "agt_1", agent, role="agent")
    await harness.join("cnv_r", "vis_1", visitor)
    await harness.wait_event(_is_remote_change("agt_1", 1))
    await harness.follow("cnv_r", "agt_1", agent)
    await frames_grow(agent, "vis_1", "microphone", "audio", count=20)
    await frames_grow(visitor, "agt_1", "microphone", "audio", count=20)

    # The visitor turns the camera on: it offers again; the agent is told and offers a slot.
    publish(visitor, "camera", "video")
    answer = await visitor.negotiate(harness.control, "cnv_r", "vis_1")
    assert {(p.source, p.kind) for p in answer.published} == {("microphone", "audio"),
                                                              ("camera", "video")}
    await harness.wait_event(lambda e: isinstance(e, TrackAdded) and e.source == "camera")
    await harness.wait_event(_is_remote_change("agt_1", 2))
    answer = await harness.follow("cnv_r", "agt_1", agent)
    assert ("vis_1", "camera", "video") in {(s.peer_id, s.source, s.kind) for s in answer.receive}
    await frames_grow(agent, "vis_1", "camera", "video", count=15)

    # The agent shares a screen, then stops.
    publish(agent, "screen", "video")
    await agent.negotiate(harness.control, "cnv_r", "agt_1")
    await harness.wait_event(_is_remote_change("vis_1", 2))
    await harness.follow("cnv_r", "vis_1", visitor)
    await frames_grow(visitor, "agt_1", "screen", "video", count=15)
    screen_mid = next(m for m, s in visitor.mapping.items() if s.source == "screen")

    agent.unpublish("screen", "video")
    answer = await agent.negotiate(harness.control, "cnv_r", "agt_1")
    assert ("screen", "video") not in {(p.source, p.kind) for p in answer.published}
    removed = await harness.wait_event(lambda e: isinstance(e, TrackRemoved))
    assert isinstance(removed, TrackRemoved)
    assert (removed.peer_id, removed.source, removed.reason) == ("agt_1", "screen", "unpublished")
    await harness.wait_event(_is_remote_change("vis_1", 1))
    answer = await harness.follow("cnv_r", "vis_1", visitor)
    assert screen_mid not in {s.mid for s in answer.receive}
    await frames_grow(agent, "vis_1", "camera", "video", count=10)  # the rest keeps flowing

    # Sharing again reuses the visitor's free slot: no new m-section on its side.
    sections_before = len(visitor.pc.getTransceivers())
    publish(agent, "screen", "video")
    await agent.negotiate(harness.control, "cnv_r", "agt_1")
    await harness.wait_event(_is_remote_change("vis_1", 2))
    answer = await harness.follow("cnv_r", "vis_1", visitor)
    assert len(visitor.pc.getTransceivers()) == sections_before
    assert screen_mid in {s.mid for s in answer.receive}
    await frames_grow(visitor, "agt_1", "screen", "video", count=10)

    # Back to voice: the visitor turns its camera off.
    visitor.unpublish("camera", "video")
    await visitor.negotiate(harness.control, "cnv_r", "vis_1")
    await harness.wait_event(
        lambda e: isinstance(e, TrackRemoved) and e.peer_id == "vis_1" and e.source == "camera")
    await frames_grow(agent, "vis_1", "microphone", "audio", count=20)
    stats = await harness.control.stats()
    assert stats.publications == 3  # visitor mic, agent mic, agent screen
