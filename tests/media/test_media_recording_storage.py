"""A disk that refuses a call's recording (full, or failing): the file it refused is cut back
to the clusters written whole, so what it holds plays; the whole recording stops, said once in
the log and by `RecordingStopped`; the call goes on; a later recording starts new files."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from pathlib import Path

import pytest

from media.call import Call
from media.control import RecordingFileFinished, RecordingFileStarted, RecordingStopped
from media.errors import AlreadyRecording
from media.settings import MediaSettings
from media.testing import Harness, frames_grow, publish, wait_for
from tests.media.test_media_recording import decode_all


def fill_the_disk_under(path: Path) -> int:
    """The disk fills up under an open file: every descriptor of this process open on `path`
    writes to /dev/full from now on, which answers each write with ENOSPC as a full disk does.
    What the file holds so far stays in it."""
    full = os.open("/dev/full", os.O_WRONLY)
    replaced = 0
    try:
        for fd in os.listdir("/proc/self/fd"):
            with contextlib.suppress(OSError):  # (descriptors closing meanwhile)
                if os.readlink(f"/proc/self/fd/{fd}") == str(path):
                    os.dup2(full, int(fd))
                    replaced += 1
    finally:
        os.close(full)
    return replaced


def finished(harness: Harness) -> dict[str, RecordingFileFinished]:
    return {Path(e.file.path).name: e for e in harness.events
            if isinstance(e, RecordingFileFinished)}


async def test_a_file_the_disk_refuses_mid_call_is_cut_and_the_recording_stops(
        harness: Harness, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    agent, visitor = harness.client("agent"), harness.client("visitor")
    publish(agent, "microphone", "audio")
    publish(agent, "camera", "video")
    publish(visitor, "microphone", "audio")
    await harness.join("cal_full", "agt_1", agent, role="agent")
    await harness.join("cal_full", "vis_1", visitor)
    await harness.control.start_recording("cal_full", str(tmp_path), int(time.time() * 1000))
    await wait_for(lambda: len([e for e in harness.events
                                if isinstance(e, RecordingFileStarted)]) == 3, 5, "3 files")
    camera = tmp_path / "agt_1-camera-video-1.webm"
    await frames_grow(visitor, "agt_1", "camera", "video", count=100, timeout=15)  # ~3 s
    with caplog.at_level(logging.WARNING, logger="media"):
        assert fill_the_disk_under(camera) == 1
        stopped = await harness.wait_event(lambda e: isinstance(e, RecordingStopped),
                                           timeout=10, what="the recording stopped")
        await wait_for(lambda: len(finished(harness)) == 3, 10, "every file finished")
    assert isinstance(stopped, RecordingStopped)
    assert (stopped.reason, stopped.path) == ("storage", str(camera))
    assert "No space left on device" in stopped.error
    # Said once in the log, with what failed.
    said = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(said) == 1, [r.getMessage() for r in said]
    assert str(camera) in said[0].getMessage() and "No space left" in said[0].getMessage()

    # The refused file plays, up to its last whole cluster, and says truly how much it holds;
    # the others are finished whole.
    files = finished(harness)
    cut = files[camera.name].file
    assert cut.state == "failed" and "No space left on device" in cut.error
    decoded, times = decode_all(str(camera))
    assert decoded == cut.frames >= 30
    assert abs(times[-1] * 1000 - cut.duration_ms) < 50
    for name in ("agt_1-microphone-audio-1.webm", "vis_1-microphone-audio-1.webm"):
        file = files[name].file
        assert file.state == "complete"
        assert decode_all(file.path)[0] == file.frames > 0
    stats = await harness.control.stats()
    assert stats.recorder_files == 0
    assert await harness.control.stop_recording("cal_full") == []

    # The call goes on; once there is room, a new recording starts new files.
    await frames_grow(visitor, "agt_1", "camera", "video", count=20)
    await harness.control.start_recording("cal_full", str(tmp_path), int(time.time() * 1000))
    await wait_for(lambda: len([e for e in harness.events
                                if isinstance(e, RecordingFileStarted)]) == 6, 5, "3 more")
    again = await harness.control.stop_recording("cal_full")
    assert {Path(f.path).name for f in again} == {
        "agt_1-camera-video-2.webm", "agt_1-microphone-audio-2.webm",
        "vis_1-microphone-audio-2.webm"}
    assert all(f.state == "complete" for f in again)


async def test_a_file_refused_from_its_first_byte_is_removed_and_its_number_not_reused(
        harness: Harness, tmp_path: Path) -> None:
    agent = harness.client("agent")
    publish(agent, "microphone", "audio")
    await harness.join("cal_none", "agt_1", agent, role="agent")
    await harness.control.start_recording("cal_none", str(tmp_path), int(time.time() * 1000))
    refused = tmp_path / "agt_1-microphone-audio-1.webm"
    refused.symlink_to("/dev/full")  # opened ~2 s after the first frame: refused at once
    stopped = await harness.wait_event(lambda e: isinstance(e, RecordingStopped), timeout=10)
    assert isinstance(stopped, RecordingStopped) and stopped.path == str(refused)
    await wait_for(lambda: len(finished(harness)) == 1, 5, "the file finished")
    file = finished(harness)[refused.name].file
    assert (file.state, file.frames, file.duration_ms) == ("failed", 0, 0)
    assert not refused.is_symlink() and not refused.exists()  # nothing left that would not play
    await harness.control.start_recording("cal_none", str(tmp_path), int(time.time() * 1000))
    await wait_for(lambda: len([e for e in harness.events
                                if isinstance(e, RecordingFileStarted)]) == 2, 5, "a new file")
    [again] = await harness.control.stop_recording("cal_none")
    assert Path(again.path).name == "agt_1-microphone-audio-2.webm"
    assert again.state == "complete"


async def test_two_starts_at_once_give_one_recording(tmp_path: Path) -> None:
    """A resume clicked twice after a recording stopped by itself (its files still finishing):
    the second start finds the first's recording and is refused, instead of both writing the
    same files (the first's then orphaned, its writer threads running on)."""
    class Stopped:  # a recording the disk stopped; its writers take a moment to finish
        stopped = True
        directory = tmp_path
        numbers: dict[str, int] = {}

        async def wait_closed(self) -> None:
            await asyncio.sleep(0)

    call = Call("c1", MediaSettings(), lambda _: None)
    call.recording = Stopped()  # type: ignore[assignment]
    results = await asyncio.gather(call.start_recording(tmp_path, 0),
                                   call.start_recording(tmp_path, 0), return_exceptions=True)
    assert sum(isinstance(r, AlreadyRecording) for r in results) == 1
    assert call.recording is not None and not call.recording.stopped
    await call.close()
