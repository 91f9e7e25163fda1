"""Recording end to end: a conversation with chat, co-browsing and a video call is recorded on
one clock (files decode, durations match, offsets line up with the log), composed into one
video by a background job; and a server killed mid-call leaves files that play and are marked
recovered at the next start."""

from __future__ import annotations

import asyncio
import signal
import statistics
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import pytest

from media.synthetic import read_stamp
from media.testing import ClientPeer, frames_grow, wait_for
from tests.conftest import ServerFactory
from tests.integration.flows import accepted_chat, send
from tests.integration.harness import Server, start_server
from tests.integration.remote import attach, ready, serve
from tests.integration.test_calls import LOOPBACK_MEDIA, follow, join
from tests.integration.test_cobrowse_server import FULL, INCREMENTAL, batch
from tests.integration.test_review import api
from tests.services import free_port

OFFSET_TOLERANCE_MS = 100


def duration_ms(path: Path) -> float:
    """The media time in a file, from its last decodable frame."""
    last = 0.0
    with av.open(str(path)) as container:
        stream = container.streams[0]
        for frame in container.decode(stream):
            if frame.pts is not None and stream.time_base is not None:
                last = float(frame.pts * stream.time_base) * 1000
    return last


def placement_errors_ms(path: Path, start_offset_ms: int, origin_ms: int) -> list[float]:
    """|where a stamped frame sits on the clock − when it was sent|, per frame (ms). The
    stamps are this process's monotonic clock, as is the in-process server's."""
    wall_minus_monotonic_ms = time.time() * 1000 - time.monotonic_ns() / 1e6
    errors = []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        base = stream.time_base or Fraction(1, 1000)
        for packet in container.demux(stream):
            stamp = read_stamp(bytes(packet)) if packet.size else None
            if stamp is None or packet.pts is None:
                continue
            sent = stamp / 1e6 + wall_minus_monotonic_ms - origin_ms
            placed = start_offset_ms + float(packet.pts * base) * 1000
            errors.append(abs(placed - sent))
    return errors


async def call_for(server: Server, seconds: float, peers: list[ClientPeer]
                   ) -> tuple[Any, Any, dict[str, Any], Any]:
    widget, console, conv, agent = await accepted_chat(server)
    cid = conv["id"]
    await send(widget, cid, "Can you show me the blue one?")
    await console.call("request_cobrowse", {"conversation_id": cid})
    await widget.call("answer_cobrowse", {"conversation_id": cid, "allow": True})
    await batch(widget, conv, 0, FULL, full=True)
    await widget.call("start_call", {"conversation_id": cid, "media": "video"})
    await console.call("answer_call", {"conversation_id": cid, "accept": True})
    shopper, agent_peer = ClientPeer("shopper"), ClientPeer("agent")
    peers += [shopper, agent_peer]
    joined = await join(shopper, widget, cid, [("microphone", "audio"), ("camera", "video")],
                        stamp_video=True)
    await join(agent_peer, console, cid, [("microphone", "audio"), ("camera", "video")],
               stamp_video=True)
    await follow(shopper, widget, cid, count=1)
    await frames_grow(shopper, agent.id, "camera", "video", count=10, timeout=10)
    await batch(widget, conv, 1, INCREMENTAL)
    await send(console, cid, "Here it is on screen.")
    deadline = time.monotonic() + seconds
    await wait_for(lambda: time.monotonic() > deadline, seconds + 5, "the call to run")
    return widget, console, conv, joined


async def test_chat_cobrowse_and_call_on_one_clock(make_server: ServerFactory) -> None:
    server = await make_server(**LOOPBACK_MEDIA)
    peers: list[ClientPeer] = []
    try:
        widget, console, conv, joined = await call_for(server, 3.0, peers)
        cid = conv["id"]
        await console.call("hang_up", {"conversation_id": cid})
        await console.call("end_conversation", {"conversation_id": cid})
    finally:
        for peer in peers:
            await peer.close()
    boss = await server.add_agent("boss", role="supervisor", teams=())

    async def finished() -> bool:
        rec = await api(server, boss, "GET", f"/api/v1/recordings/{cid}")
        return sum(1 for m in rec["manifest"]["media"] if m["state"] == "complete") >= 4

    deadline = time.monotonic() + 15
    while not await finished():
        assert time.monotonic() < deadline, "the call's files were not finished"
        await asyncio.sleep(0.1)  # polling the server's state over REST, bounded
    rec = await api(server, boss, "GET", f"/api/v1/recordings/{cid}")
    manifest = rec["manifest"]
    assert manifest["state"] == "complete" and manifest["cobrowse"]
    events = rec["events"]
    origin = rec["conversation"]["created_at"]
    folder = server.settings.data_dir / "recordings" / cid
    for media in manifest["media"]:
        if media["state"] != "complete":
            continue
        path = folder / media["file"]
        decoded = duration_ms(path)
        # Durations match what the server recorded (within a frame or two).
        assert abs(decoded - media["duration_ms"]) < 150, media
        # Each file sits on the conversation's clock: a frame's place in the file plus the
        # file's offset is when the browser sent it (its stamp), within the tolerance.
        if "video" in media["kinds"]:
            errors = placement_errors_ms(path, media["start_offset_ms"], origin)
            assert errors and statistics.median(errors) < OFFSET_TOLERANCE_MS, (media, errors[:5])
        # And the log says the track started before its first frame was recorded.
        added = next(e for e in events if e["type"] == "call_track_added"
                     and e["data"]["participant"] == media["participant"]
                     and e["data"]["source"] == media["source"]
                     and e["data"]["kind"] in media["kinds"])
        assert added["ts"] - origin <= media["start_offset_ms"] + OFFSET_TOLERANCE_MS
    # Chat and co-browse sit on the same clock, between the call's start and end.
    said = next(e for e in events if e["type"] == "message_created"
                and e["data"]["text"] == "Here it is on screen.")
    starts = [m["start_offset_ms"] for m in manifest["media"]]
    assert min(starts) < said["ts"] - origin < max(m["start_offset_ms"] + m["duration_ms"]
                                                  for m in manifest["media"])
    assert manifest["cobrowse"][0]["start_offset_ms"] < said["ts"] - origin

    # Media are served in ranges (seeking), only with the recording's token.
    video = next(m for m in manifest["media"] if "video" in m["kinds"])
    async with server.http.get(server.url + video["url"], headers={"Range": "bytes=0-99"}
                               ) as resp:
        assert resp.status == 206 and len(await resp.read()) == 100
        assert resp.headers["Content-Type"] == "video/webm"
    async with server.http.get(server.url + video["url"].split("?")[0]) as resp:
        assert resp.status == 403
    found = await api(server, boss, "GET", "/api/v1/recordings?has_call=true")
    assert [r["conversation_id"] for r in found["recordings"]] == [cid]

    # The composed video: a background job, visible progress, one file with both streams.
    job = await api(server, boss, "POST", f"/api/v1/recordings/{cid}/compose", expect=202)
    # Asked again while under way: the same job, not a second process.
    again = await api(server, boss, "POST", f"/api/v1/recordings/{cid}/compose", expect=202)
    assert again["id"] == job["id"]
    deadline = time.monotonic() + 120
    while job["state"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        await asyncio.sleep(0.2)  # polling a child process's progress, bounded
        job = await api(server, boss, "GET", f"/api/v1/jobs/{job['id']}")
    assert job["state"] == "done", job
    async with server.http.get(server.url + job["url"]) as resp:
        assert resp.status == 200
        body = await resp.read()
    composed = folder / "composed.webm"
    assert composed.read_bytes() == body
    with av.open(str(composed)) as container:
        kinds = {s.type for s in container.streams}
        assert kinds == {"video", "audio"}
        assert container.streams.video[0].width == 1280  # two participants side by side
    assert duration_ms(composed) > 2500


@pytest.mark.slow
async def test_a_server_killed_mid_call_leaves_playable_files_marked_recovered(
        tmp_path: Path) -> None:
    # The first server is a real process (it will be SIGKILLed); the harness only prepares
    # its data dir (site, teams) with a server of its own, closed before the real one starts.
    data = tmp_path / "data"
    setup = await start_server(data, **LOOPBACK_MEDIA)
    await setup.close()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = serve(data, port)
    peers: list[ClientPeer] = []
    try:
        await ready(url, proc)
        server = await attach(url, data)
        widget, console, conv, joined = await call_for(server, 4.0, peers)
        cid = conv["id"]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        for peer in peers:
            await peer.close()
        await server.close()
        folder = data / "recordings" / cid / "media"
        files = sorted(folder.glob("*.webm"))
        assert len(files) == 4
        # Every file plays, up to at most 2 s before the kill: media flowed for at least the
        # 4 s the call ran after both sides saw frames.
        for path in files:
            assert duration_ms(path) / 1000 >= 4.0 - 2.0, path

        # The next start marks the recording as recovered.
        proc = serve(data, port)
        await ready(url, proc)
        server = await attach(url, data)
        boss = await server.add_agent("boss", role="supervisor", teams=())
        rec = await api(server, boss, "GET", f"/api/v1/recordings/{cid}")
        types = [e["type"] for e in rec["events"]]
        assert "recording_recovered" in types
        ended = next(e for e in rec["events"] if e["type"] == "call_ended")
        assert ended["data"]["reason"] == "server_restart"
        recovered = [m for m in rec["manifest"]["media"] if m["state"] == "recovered"]
        assert len(recovered) == 4
        assert rec["manifest"]["state"] in ("recording", "recovered")
        await server.close()
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)


async def test_a_server_stopping_ends_its_calls_as_a_restart(tmp_path: Path) -> None:
    """SIGTERM (an upgrade): the calls end at once as a restart, both sides hear it before
    their sockets close, the recordings are finished whole, and nobody is logged as having
    left the call (until 2026-11-24 both were, and the next start ended the call)."""
    server = await start_server(tmp_path / "data", **LOOPBACK_MEDIA)
    peers: list[ClientPeer] = []
    try:
        widget, console, conv, _ = await call_for(server, 1.0, peers)
        cid = conv["id"]
        await server.runner.shutdown()  # what `aisle serve` runs first on SIGTERM
        for client in (widget, console):
            ended = await client.wait_for("call_ended")
            assert ended["data"]["reason"] == "server_restart"
        events = await server.aisle.store.conversations.events_after(cid, 0, agent_view=True)
        types = [e.type for e in events]
        assert "call_track_removed" not in types
        finished = {e.data.model_dump()["file"] for e in events if e.type == "media_recorded"
                    and e.data.model_dump()["state"] == "complete"}
        assert len(finished) == 4
    finally:
        for peer in peers:
            await peer.close()
        await server.close()
    # The next start finds nothing to end.
    again = await start_server(tmp_path / "data", **LOOPBACK_MEDIA)
    try:
        events = await again.aisle.store.conversations.events_after(cid, 0, agent_view=True)
        assert [e.type for e in events].count("call_ended") == 1
        assert "recording_recovered" not in [e.type for e in events]
    finally:
        await again.close()
