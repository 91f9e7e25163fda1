"""Recording by remuxing: files PyAV decodes, on the conversation clock, and crash-safe."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from fractions import Fraction
from pathlib import Path

import av

from media.control import (
    RecordingFileFinished,
    RecordingFileStarted,
    TrackRemoved,
)
from media.forwarding import TrackKey
from media.passthrough import EncodedFrame
from media.recorder import TrackRecorder
from media.recovery import inspect_recordings
from media.testing import Harness, frames_grow, publish, wait_for

REPO = Path(__file__).resolve().parents[2]
KILL_AFTER_MS = 3000  # of recorded video before the child is killed
MAX_LOSS_ON_KILL_MS = 2000


def decode_all(path: str) -> tuple[int, list[float]]:
    """Frames decoded and every packet's pts in seconds; raises on any decoding error."""
    decoded = 0
    times: list[float] = []
    with av.open(path) as container:
        stream = container.streams[0]
        for packet in container.demux(stream):
            if packet.pts is None:
                continue
            times.append(float(packet.pts * (packet.time_base or Fraction(1, 1000))))
            decoded += len(packet.decode())
    return decoded, times


async def test_call_recording_remuxes_decodable_files_on_the_clock(
    harness: Harness, tmp_path: Path
) -> None:
    agent, visitor = harness.client("agent"), harness.client("visitor")
    for client in (agent, visitor):
        publish(client, "microphone", "audio")
        publish(client, "camera", "video")
    await harness.join("cnv_rec", "agt_1", agent, role="agent")
    await harness.join("cnv_rec", "vis_1", visitor)
    origin_ms = int(time.time() * 1000) - 1000  # the conversation started a second ago
    info = await harness.control.start_recording("cnv_rec", str(tmp_path), origin_ms)
    assert info.directory == str(tmp_path)
    await wait_for(lambda: len([e for e in harness.events
                                if isinstance(e, RecordingFileStarted)]) == 4, 5, "4 files")
    await frames_grow(visitor, "agt_1", "camera", "video", count=60, timeout=10)  # ~2 s

    files = await harness.control.stop_recording("cnv_rec")
    assert await harness.control.stop_recording("cnv_rec") == []  # idempotent
    assert {(f.peer_id, f.source, f.kind, f.state) for f in files} == {
        (p, s, k, "complete") for p in ("agt_1", "vis_1")
        for s, k in (("microphone", "audio"), ("camera", "video"))}
    finished = [e.file for e in harness.events if isinstance(e, RecordingFileFinished)]
    assert sorted(f.path for f in finished) == sorted(f.path for f in files)

    for file in files:
        decoded, times = decode_all(file.path)
        assert decoded == file.frames > 0
        assert times == sorted(times) and len(set(times)) == len(times)  # strictly monotonic
        assert times[0] == 0.0
        assert 1.5 <= times[-1] <= 6.0, (file.path, times[-1])
        assert abs(file.duration_ms - times[-1] * 1000) < 50
        assert 1000 <= file.start_offset_ms < 4000, file.start_offset_ms
        if file.kind == "video":
            with av.open(file.path) as container:
                first = next(container.demux(container.streams[0]))
                assert first.is_keyframe

    recovered = {r.path: r for r in await harness.control.inspect_recordings(str(tmp_path))}
    for file in files:
        found = recovered[file.path]
        assert found.playable and found.complete and not found.error
        assert (found.peer_id, found.source, found.kind) == (file.peer_id, file.source,
                                                             file.kind)
        assert found.start_offset_ms == file.start_offset_ms
        assert abs(found.duration_ms - file.duration_ms) <= 100


async def test_a_track_removed_while_recording_ends_its_file(
    harness: Harness, tmp_path: Path
) -> None:
    agent = harness.client("agent")
    publish(agent, "microphone", "audio")
    publish(agent, "screen", "video")
    await harness.join("cnv_rs", "agt_1", agent, role="agent")
    await harness.control.start_recording("cnv_rs", str(tmp_path), int(time.time() * 1000))
    await wait_for(lambda: len([e for e in harness.events
                                if isinstance(e, RecordingFileStarted)]) == 2, 5, "2 files")
    agent.unpublish("screen", "video")
    await agent.negotiate(harness.control, "cnv_rs", "agt_1")
    await harness.wait_event(lambda e: isinstance(e, TrackRemoved))
    event = await harness.wait_event(lambda e: isinstance(e, RecordingFileFinished))
    assert isinstance(event, RecordingFileFinished)
    assert (event.file.source, event.file.state) == ("screen", "complete")
    decode_all(event.file.path)

    # A second recording in the same directory never overwrites the first one's files.
    files = await harness.control.stop_recording("cnv_rs")
    await harness.control.start_recording("cnv_rs", str(tmp_path), int(time.time() * 1000))
    await wait_for(lambda: len([e for e in harness.events
                                if isinstance(e, RecordingFileStarted)]) == 3, 5, "3rd file")
    later = await harness.control.stop_recording("cnv_rs")
    paths = [f.path for f in files + later]
    assert len(set(paths)) == 3
    assert all(await asyncio.gather(*(asyncio.to_thread(os.path.exists, p) for p in paths)))


async def test_sigkilled_recorder_leaves_files_playable_to_the_last_two_seconds(
    tmp_path: Path,
) -> None:
    child = await asyncio.create_subprocess_exec(
        sys.executable, str(REPO / "tests" / "media" / "recorder_child.py"), str(tmp_path),
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert child.stdout is not None
    progress: dict[str, int] = {}
    reported_at = 0.0
    try:
        while not progress or min(progress.values()) < KILL_AFTER_MS or len(progress) < 2:
            line = await asyncio.wait_for(child.stdout.readline(), timeout=20)
            assert line, "the recorder child exited early"
            report = json.loads(line)
            progress, reported_at = report["files"], report["at"]
        child.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
    finally:
        if child.returncode is None:
            child.kill()
        await child.wait()

    recovered = {r.path: r for r in await asyncio.to_thread(inspect_recordings, tmp_path)}
    assert set(recovered) == set(progress)
    for path, written_ms in progress.items():
        media_at_kill_ms = written_ms + (killed_at - reported_at) * 1000
        found = recovered[path]
        assert found.playable and not found.complete, found
        decoded, times = decode_all(path)
        assert decoded == found.frames and times == sorted(times)
        assert times[-1] * 1000 >= media_at_kill_ms - MAX_LOSS_ON_KILL_MS, (path, times[-1])


async def test_a_file_starts_where_its_frames_say_not_where_the_first_one_arrived(
        tmp_path: Path) -> None:
    """The first frame is held up 150 ms (a busy loop, a burst); the ones after it arrive on
    time. The file's start on the conversation clock is the frames' own, and the file is
    tagged with it, so a recovery after a crash agrees."""
    events: list[object] = []
    origin_ms = int(time.time() * 1000) - 10_000
    recorder = TrackRecorder("cnv_anchor", TrackKey("vis_1", "microphone", "audio"),
                             tmp_path / "anchor.webm", origin_ms, cluster_ms=1000,
                             queue_limit=512, emit=events.append)
    start = time.monotonic() - 3.0  # when the first frame was really sent, 3 s ago
    for i in range(150):  # 3 s of 20 ms Opus frames
        late = 0.150 if i == 0 else 0.0
        recorder.push(EncodedFrame(data=b"\xf8\xff\xfe", timestamp=1_000 + i * 960,
                                   clock_rate=48_000, keyframe=True,
                                   received_at=start + i * 0.020 + late))
    recorder.finish()
    await recorder.wait_closed()
    file = recorder.snapshot()
    expected = round((time.time() - (time.monotonic() - start)) * 1000) - origin_ms
    started = next(e for e in events if isinstance(e, RecordingFileStarted))
    assert abs(started.file.start_offset_ms - (expected + 150)) <= 2  # where it arrived
    assert file.state == "complete" and abs(file.start_offset_ms - expected) <= 2
    [found] = await asyncio.to_thread(inspect_recordings, str(tmp_path))
    assert found.start_offset_ms == file.start_offset_ms
