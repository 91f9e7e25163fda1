"""A call's recording on a disk that refuses it (full: here /dev/full, which answers every write
with ENOSPC), as co-browsing's: the recording stops with a gap the player shows ("storage"),
both sides hear the call is not recorded, the call goes on, nothing unplayable is left behind,
and the agent resumes the recording once there is room."""

from __future__ import annotations

import logging
from typing import Any

import av
import pytest

from media.testing import ClientPeer, frames_grow
from signaling.protocol.calls import MediaRecordedData
from signaling.review.manifest import build as build_manifest
from tests.conftest import ServerFactory
from tests.integration.flows import accepted_chat
from tests.integration.test_calls import LOOPBACK_MEDIA, follow, join
from tests.integration.test_recording_consent import replays_to_state


async def test_a_call_recording_the_disk_refuses_stops_and_says_so(
        make_server: ServerFactory, caplog: pytest.LogCaptureFixture) -> None:
    server = await make_server(**LOOPBACK_MEDIA)
    widget, console, conv, agent = await accepted_chat(server)
    cid = conv["id"]
    stored = await server.aisle.store.conversations.get(cid)
    assert stored is not None
    visitor_id = stored.visitor_id
    await console.call("start_call", {"conversation_id": cid, "media": "audio"})
    await widget.call("answer_call", {"conversation_id": cid, "accept": True})
    await widget.wait_for("conversation_updated",
                          lambda u: u["conversation"]["call_recorded"] is True)
    folder = server.settings.data_dir / "recordings" / cid / "media"
    refused = folder / f"{visitor_id}-microphone-audio-1.webm"
    refused.symlink_to("/dev/full")  # the shopper's voice is the first file the disk refuses
    shopper, agent_peer = ClientPeer("shopper"), ClientPeer("agent")
    try:
        with caplog.at_level(logging.WARNING, logger="media"):
            await join(agent_peer, console, cid, [("microphone", "audio")])
            await join(shopper, widget, cid, [("microphone", "audio")])
            await follow(agent_peer, console, cid, count=1)
            paused = await console.wait_for("recording_paused")
        await stopped_and_resumed(server, widget, console, cid, agent.id, visitor_id,
                                  paused, shopper, agent_peer)
    finally:
        await shopper.close()
        await agent_peer.close()
    # One line in the server's log says what failed.
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(said) == 1 and str(refused) in said[0] and "No space left" in said[0], said


async def stopped_and_resumed(server: Any, widget: Any, console: Any, cid: str, agent_id: str,
                              visitor_id: str, paused: dict[str, Any], shopper: ClientPeer,
                              agent_peer: ClientPeer) -> None:
    assert (paused["data"]["kind"], paused["data"]["reason"]) == ("call", "storage")
    assert paused["actor"]["kind"] == "system"
    for client in (widget, console):  # both sides: not recorded
        await client.wait_for("conversation_updated",
                              lambda u: u["conversation"]["call_recorded"] is False)

    def finished(e: dict[str, Any]) -> bool:
        return e["data"]["state"] != "recording"  # type: ignore[no-any-return]

    # Every file is finished: the refused one failed and holds nothing (it is gone, not left
    # behind unplayable), the agent's is finished whole.
    await console.wait_for("media_recorded", finished, count=2)
    states = {e["data"]["participant"]: (e["data"]["state"], e["data"]["duration_ms"])
              for e in console.events("media_recorded", finished)}
    assert states[visitor_id] == ("failed", 0) and states[agent_id][0] == "complete"
    folder = server.settings.data_dir / "recordings" / cid / "media"
    assert sorted(p.name for p in folder.iterdir()) == [f"{agent_id}-microphone-audio-1.webm"]
    assert (await server.aisle.media.stats()).recorder_files == 0
    # The call goes on.
    await frames_grow(agent_peer, visitor_id, "microphone", "audio", count=20, timeout=10)
    await frames_grow(shopper, agent_id, "microphone", "audio", count=20, timeout=10)

    # Room again: the agent resumes, new files follow (never over the earlier ones).
    await console.call("resume_recording", {"conversation_id": cid})
    resumed = await console.wait_for("recording_resumed")
    assert resumed["data"]["kind"] == "call" and resumed["actor"]["kind"] == "agent"
    await widget.wait_for("conversation_updated",
                          lambda u: u["conversation"]["call_recorded"] is True, count=2)
    await console.wait_for("media_recorded", lambda e: e["data"]["state"] == "recording",
                           count=4)
    await frames_grow(agent_peer, visitor_id, "microphone", "audio", count=50, timeout=10)
    await console.call("hang_up", {"conversation_id": cid})
    ended = await console.wait_for("call_ended")
    await console.wait_for("media_recorded", lambda e: e["data"]["state"] == "complete",
                           count=3)
    state = await server.aisle.store.conversations.get(cid)
    events = await server.aisle.store.conversations.events_after(cid, 0, agent_view=True)
    files = [e.data for e in events if e.type == "media_recorded"
             and isinstance(e.data, MediaRecordedData) and e.data.state == "complete"]
    assert {f.file for f in files} == {f"media/{agent_id}-microphone-audio-1.webm",
                                       f"media/{agent_id}-microphone-audio-2.webm",
                                       f"media/{visitor_id}-microphone-audio-2.webm"}
    for file in files:
        with av.open(str(folder.parent / file.file)) as container:
            assert sum(1 for _ in container.demux(container.streams[0])) > 1
    # The review timeline shows the gap, from the failure to the resume.
    assert state is not None
    manifest = build_manifest(state, events, lambda f: f)
    assert [(g.kind, g.reason) for g in manifest.gaps] == [("call", "storage")]
    [gap] = manifest.gaps
    assert gap.start_offset_ms == paused["ts"] - state.created_at
    assert gap.end_offset_ms == resumed["ts"] - state.created_at < ended["ts"] - state.created_at
    await replays_to_state(server, cid)


async def test_a_call_whose_recording_cannot_start_is_logged_unrecorded(
        make_server: ServerFactory, caplog: pytest.LogCaptureFixture) -> None:
    """The recording's folder cannot be made (here a file stands in its way, as a full or
    read-only disk would refuse it): the call is answered and goes on, said not recorded from
    its start rather than "recorded" with nothing written."""
    server = await make_server(**LOOPBACK_MEDIA)
    widget, console, conv, _ = await accepted_chat(server)
    cid = conv["id"]
    folder = server.settings.data_dir / "recordings" / cid / "media"
    folder.parent.mkdir(parents=True)
    folder.write_bytes(b"")
    await console.call("start_call", {"conversation_id": cid, "media": "audio"})
    with caplog.at_level(logging.ERROR, logger="signaling.calls"):
        await widget.call("answer_call", {"conversation_id": cid, "accept": True})
        paused = await console.wait_for("recording_paused")
    assert paused["data"]["kind"] == "call" and paused["data"]["reason"] == "storage"
    await widget.wait_for("conversation_updated",
                          lambda u: u["conversation"]["call_recorded"] is False)
    said = [r.getMessage() for r in caplog.records if r.name == "signaling.calls.service"]
    assert len(said) == 1 and "could not start" in said[0], said
    state = await server.aisle.store.conversations.get(cid)
    assert state is not None and state.call == "active"
