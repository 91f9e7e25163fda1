"""Recording by remuxing: each published track's encoded frames into its own WebM file.

One file per published track instance (participant x source x kind; a rebuilt peer or a
re-published source starts a new file), written by one writer thread per file so PyAV muxing
and file I/O never run on the event loop. Files start at a keyframe, carry sanitized PTS
starting at 0, record their start offset on the conversation clock in their own tags, and
close a Matroska cluster at least every `recording_cluster_ms`, which is what a SIGKILL loses.

A file the disk refuses (a full disk, an I/O error, its directory gone) is cut back to the
clusters the muxer wrote whole, so what it holds plays (or removed when that is nothing), and
its whole recording stops: `CallRecording` says so once, in the log and by `RecordingStopped`.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import av

from media.control import (
    MediaEvent,
    RecordingFile,
    RecordingFileFinished,
    RecordingFileStarted,
    RecordingState,
    RecordingStopped,
)
from media.forwarding import AUDIO_CLOCK_RATE, VIDEO_CLOCK_RATE, Publication, TrackKey
from media.keyframes import vp8_dimensions
from media.passthrough import EncodedFrame
from media.timestamps import PtsRebaser

logger = logging.getLogger(__name__)

FILE_SUFFIX = ".webm"
WRITER_CLOSE_TIMEOUT_S = 30.0  # flushing a file's last cluster and its cues takes milliseconds
TAG_PREFIX = "AISLE_"
_STOP = None  # queue sentinel: finish the file
ANCHOR_WINDOW_S = 2  # a file's first seconds, from which its start on the clock is estimated


@dataclass(frozen=True, slots=True)
class _Written:
    """What of a file is on disk whole: its size after the muxer last wrote to it (the header,
    then each cluster as it closes; the packet that closed one opens the next), and the frames
    before that packet."""

    size: int = 0
    frames: int = 0
    last_pts: int = 0


class TrackRecorder:
    """Records one publication into one file. A FrameSink of that publication.

    `on_refused` is called (on the event loop, after the file is finished) when the disk
    refused the file."""

    def __init__(
        self,
        call_id: str,
        key: TrackKey,
        path: Path,
        clock_origin_ms: int,
        cluster_ms: int,
        queue_limit: int,
        emit: Callable[[MediaEvent], None],
        on_refused: Callable[[TrackRecorder], None] | None = None,
    ) -> None:
        self.key = key
        self.path = path
        self._call_id = call_id
        self._clock_origin_ms = clock_origin_ms
        self._cluster_ms = cluster_ms
        self._queue_limit = queue_limit
        self._emit = emit
        self._on_refused = on_refused
        self._clock_rate = VIDEO_CLOCK_RATE if key.kind == "video" else AUDIO_CLOCK_RATE
        self._rebaser = PtsRebaser(self._clock_rate)
        self._queue: queue.Queue[tuple[bytes, int, bool] | None] = queue.Queue()
        self._waiting_keyframe = key.kind == "video"
        self._finishing = False
        self._start_offset_ms: int | None = None
        self._final_state: RecordingState = "complete"
        self._loop = asyncio.get_running_loop()
        self._done: asyncio.Future[None] = self._loop.create_future()
        self.state: RecordingState = "recording"
        self.error = ""
        self.frames = 0  # written by the writer thread
        self.dropped = 0
        self._last_pts = 0
        self._written = _Written()  # by the writer thread
        self._file_open = False
        self._thread = threading.Thread(
            target=self._write, name=f"recorder {path.name}", daemon=True
        )
        self._thread.start()

    # --- FrameSink, on the event loop --------------------------------------------------------

    @property
    def waiting_for_keyframe(self) -> bool:
        return self._waiting_keyframe and not self._finishing

    def resync(self) -> None:
        if self.key.kind == "video":
            self._waiting_keyframe = True

    def push(self, frame: EncodedFrame) -> None:
        if self._finishing:
            return
        if self._waiting_keyframe:
            if not frame.keyframe:
                return
            self._waiting_keyframe = False
        if self._queue.qsize() >= self._queue_limit:
            # The disk or the writer lags: lose frames, never memory. Video resumes at a keyframe.
            self.dropped += 1
            self.resync()
            return
        # Wall time of the frame's arrival; received_at is monotonic, so convert its age.
        wall_ms = time.time() * 1000 - (time.monotonic() - frame.received_at) * 1000
        if self._start_offset_ms is None:
            self._start_offset_ms = round(wall_ms) - self._clock_origin_ms
            self._emit(RecordingFileStarted(call_id=self._call_id, file=self.snapshot()))
        pts = self._rebaser.map(frame.timestamp, frame.received_at)
        if pts < ANCHOR_WINDOW_S * self._clock_rate:
            # The file starts where its frames say, not where its first one arrived: a frame
            # held up (a busy loop, a network burst) would place the whole file late. Each
            # frame's arrival minus its place in the file is an upper bound of the start; the
            # least of the first seconds is the best (later, clock drift would creep in).
            implied = round(wall_ms - pts * 1000 / self._clock_rate) - self._clock_origin_ms
            self._start_offset_ms = min(self._start_offset_ms, implied)
        self._queue.put_nowait((frame.data, pts, frame.keyframe))

    def source_ended(self, publication: Publication) -> None:
        self.finish("complete")

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self._start_offset_ms is not None

    @property
    def open(self) -> bool:
        return self._file_open

    @property
    def thread_alive(self) -> bool:
        return self._thread.is_alive()

    def finish(self, state: RecordingState = "complete") -> None:
        if self._finishing:
            return
        self._finishing = True
        self._final_state = state
        self._queue.put_nowait(_STOP)

    async def wait_closed(self) -> None:
        await asyncio.shield(self._done)

    def snapshot(self) -> RecordingFile:
        return RecordingFile(
            path=str(self.path),
            call_id=self._call_id,
            peer_id=self.key.peer_id,
            source=self.key.source,
            kind=self.key.kind,
            start_offset_ms=self._start_offset_ms or 0,
            state=self.state,
            duration_ms=self._last_pts * 1000 // self._clock_rate,
            frames=self.frames,
            dropped_frames=self.dropped,
            error=self.error,
        )

    # --- the writer thread -------------------------------------------------------------------

    def _write(self) -> None:
        opened: tuple[av.container.OutputContainer, av.stream.Stream] | None = None
        # The file is opened once its start is settled (see push): its tags carry it.
        held: list[tuple[bytes, int, bool]] = []
        window = ANCHOR_WINDOW_S * self._clock_rate
        state: RecordingState = "complete"
        error = ""
        refused = False  # by the disk: the file is cut back to what it holds whole
        try:
            while True:
                item = self._queue.get()
                if item is None:  # _STOP
                    state = self._final_state
                    break
                held.append(item)
                if opened is None and item[1] < window:
                    continue
                opened = opened or self._open(held[0][0])
                self._mux(*opened, held)
                held = []
            if held and opened is None:  # stopped within the first seconds
                opened = self._open(held[0][0])
                self._mux(*opened, held)
        except OSError as exc:  # ENOSPC, EIO, EACCES…: CallRecording logs it, once per recording
            state, error, refused = "failed", _describe(exc), True
        except Exception as exc:  # PyAV/FFmpeg: this file is lost, not the call
            logger.exception("recording %s failed", self.path.name)
            state, error = "failed", _describe(exc)
        finally:
            if opened is not None:
                try:
                    # Writes cues and duration; after a write error FFmpeg writes nothing more.
                    opened[0].close()
                except OSError as exc:
                    state, error, refused = "failed", error or _describe(exc), True
                except Exception as exc:
                    state, error = "failed", error or _describe(exc)
            self._file_open = False
            if refused:
                self._cut()
            with contextlib.suppress(RuntimeError):  # the loop is gone: nobody to tell
                self._loop.call_soon_threadsafe(self._finished, state, error, refused)

    def _cut(self) -> None:
        """What the disk refused is cut off: the file keeps the clusters written whole (it plays
        as a file cut by SIGKILL does, without cues), or goes when that is no frame at all."""
        written = self._written
        self.frames, self._last_pts = written.frames, written.last_pts
        try:
            if written.frames == 0:
                if os.path.lexists(self.path):  # (never created: on a read-only disk, say)
                    self.path.unlink()  # a symlink (to /dev/full, say) itself
            elif os.stat(self.path).st_size > written.size:
                os.truncate(self.path, written.size)
        except OSError as exc:  # a failing disk may refuse this too: the file is as it is
            logger.warning("recording %s: could not cut what was not written (%s)",
                           self.path.name, exc)

    def _mux(self, container: av.container.OutputContainer, stream: av.stream.Stream,
             items: list[tuple[bytes, int, bool]]) -> None:
        time_base = fractions.Fraction(1, self._clock_rate)
        for data, pts, keyframe in items:
            packet = av.Packet(data)
            packet.stream = stream
            packet.pts = packet.dts = pts
            packet.time_base = time_base
            packet.is_keyframe = keyframe
            container.mux(packet)
            # Flushed at once (flush_packets): a size change is a cluster (or the header)
            # written whole, holding every frame before this one.
            size = os.stat(self.path).st_size
            if size != self._written.size:
                self._written = _Written(size, self.frames, self._last_pts)
            self.frames += 1
            self._last_pts = pts

    def _open(self, first: bytes) -> tuple[av.container.OutputContainer, av.stream.Stream]:
        container = av.open(
            str(self.path),
            "w",
            format="webm",
            container_options={
                "cluster_time_limit": str(self._cluster_ms),
                # flush each closed cluster to the OS at once: a SIGKILL loses only the open one
                "flush_packets": "1",
            },
        )
        self._file_open = True
        container.metadata.update(
            {
                f"{TAG_PREFIX}CALL": self._call_id,
                f"{TAG_PREFIX}PEER": self.key.peer_id,
                f"{TAG_PREFIX}SOURCE": self.key.source,
                f"{TAG_PREFIX}KIND": self.key.kind,
                f"{TAG_PREFIX}START_OFFSET_MS": str(self._start_offset_ms or 0),
                f"{TAG_PREFIX}CLOCK_ORIGIN_MS": str(self._clock_origin_ms),
            }
        )
        stream: av.stream.Stream
        if self.key.kind == "video":
            width, height = vp8_dimensions(first) or (0, 0)
            stream = container.add_mux_stream("vp8", width=width, height=height)
        else:
            # An Opus track needs its OpusHead in CodecPrivate; the (never used) encoder context
            # of add_stream() provides it when the header is written.
            stream = container.add_stream("libopus", rate=AUDIO_CLOCK_RATE)
        return container, stream

    def _finished(self, state: RecordingState, error: str, refused: bool) -> None:
        self._finishing = True  # (the writer is gone: no more frames queued for it)
        self.state = state
        self.error = error
        if not self._done.done():
            self._done.set_result(None)
        if refused and self._on_refused is not None:
            self._on_refused(self)
        if self.started:
            self._emit(RecordingFileFinished(call_id=self._call_id, file=self.snapshot()))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:  # (without the path FFmpeg's errors repeat)
        return f"{type(exc).__name__}: [Errno {exc.errno}] {exc.strerror}"
    return f"{type(exc).__name__}: {exc}"


class CallRecording:
    """A call's recording: its directory, clock origin and track recorders. Owned by the Call.

    Stopped by `stop()`, or by itself when the disk refuses one of its files: every file is
    finished then (each as whole as the disk lets it be), rather than the other participants'
    tracks recorded on and a silent hole in the recording."""

    def __init__(
        self,
        call_id: str,
        directory: Path,
        clock_origin_ms: int,
        cluster_ms: int,
        queue_limit: int,
        emit: Callable[[MediaEvent], None],
        numbers: dict[str, int] | None = None,
    ) -> None:
        self.call_id = call_id
        self.directory = directory
        self.clock_origin_ms = clock_origin_ms
        self._cluster_ms = cluster_ms
        self._queue_limit = queue_limit
        self._emit = emit
        self.recorders: list[TrackRecorder] = []
        # Next file number per track name: a second recording in a directory never overwrites.
        self.numbers: dict[str, int] = dict(numbers or {})
        self.stopped = False
        self._refused = False  # a file the disk refused was logged: once per recording

    async def record(self, publication: Publication) -> None:
        if self.stopped:
            return
        key = publication.key
        stem = f"{key.peer_id}-{key.source}-{key.kind}"
        number = self.numbers.get(stem, 0) + 1
        self.numbers[stem] = number
        name = f"{stem}-{number}{FILE_SUFFIX}"
        recorder = TrackRecorder(
            call_id=self.call_id,
            key=key,
            path=self.directory / name,
            clock_origin_ms=self.clock_origin_ms,
            cluster_ms=self._cluster_ms,
            queue_limit=self._queue_limit,
            emit=self._emit,
            on_refused=self._file_refused,
        )
        self.recorders.append(recorder)
        await publication.attach(recorder)

    def _file_refused(self, recorder: TrackRecorder) -> None:
        if self._refused:
            return  # the disk refuses the others too: said once
        self._refused = True
        if self.stopped:  # finishing the files of a stopped recording
            logger.error("call %s: recording file %s could not be finished (%s)", self.call_id,
                         recorder.path, recorder.error)
            return
        logger.error("call %s: recording stopped: %s could not be written (%s); the call goes "
                     "on unrecorded", self.call_id, recorder.path, recorder.error)
        self.stopped = True
        for other in self.recorders:
            other.finish("complete")
        self._emit(RecordingStopped(call_id=self.call_id, reason="storage",
                                    path=str(recorder.path), error=recorder.error))

    async def stop(self, state: RecordingState = "complete") -> list[RecordingFile]:
        """Finish every file and wait for its writer thread. Idempotent."""
        self.stopped = True
        for recorder in self.recorders:
            recorder.finish(state)
        await self.wait_closed()
        return [r.snapshot() for r in self.recorders if r.started]

    async def wait_closed(self) -> None:
        """Until every writer thread has finished its file (after `stop()`, or after the
        recording stopped by itself)."""
        for recorder in self.recorders:
            try:
                await asyncio.wait_for(recorder.wait_closed(), WRITER_CLOSE_TIMEOUT_S)
            except TimeoutError:
                # A stuck disk: report the file as failed rather than hang the call's end.
                logger.error("recording %s: writer thread did not finish", recorder.path.name)
                recorder.state, recorder.error = "failed", "writer thread did not finish"

    def files(self) -> list[RecordingFile]:
        return [r.snapshot() for r in self.recorders if r.started]

    @property
    def open_files(self) -> int:
        return sum(1 for r in self.recorders if r.open)

    @property
    def threads(self) -> int:
        return sum(1 for r in self.recorders if r.thread_alive)
