"""`LocalMediaControl`: the in-process implementation of `MediaControl`.

Validates what signaling passes, owns the calls, and delivers events to signaling's callback in
order from one dispatcher task. Every method must be called on the event loop it runs on.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import os
import re
from pathlib import Path

from media import consent, ice, passthrough, recovery
from media.call import Call
from media.control import (
    Answer,
    EventCallback,
    IceCandidate,
    MediaEvent,
    MediaStats,
    Offer,
    PeerInfo,
    RecordingFile,
    RecordingInfo,
    RecoveredFile,
    TrackSource,
)
from media.errors import (
    InvalidArgument,
    MediaClosed,
    RecordingFailed,
    UnknownCall,
)
from media.settings import MediaSettings

logger = logging.getLogger(__name__)

# Ids end up in SDP (a=msid) and file names: RFC 4566 token characters minus the risky ones.
_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_ROLE = re.compile(r"^[a-z_]{1,32}$")
EVENT_DRAIN_TIMEOUT_S = 5.0


class EventDispatcher:
    """Delivers events to one callback, in order, off the media path."""

    def __init__(self, callback: EventCallback | None, limit: int) -> None:
        self._callback = callback
        self._limit = limit
        self._queue: asyncio.Queue[MediaEvent | None] | None = None
        # The dispatcher's one task; close() drains the queue and awaits it.
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self.dropped = 0

    def emit(self, event: MediaEvent) -> None:
        if self._callback is None or self._closed:
            return
        if self._queue is None:
            self._queue = asyncio.Queue()
            self._task = asyncio.create_task(self._run(self._queue), name="media events")
        if self._queue.qsize() >= self._limit:
            self.dropped += 1
            logger.error("media event queue full: %s dropped", event.type)
            return
        self._queue.put_nowait(event)

    async def _run(self, queue: asyncio.Queue[MediaEvent | None]) -> None:
        while (event := await queue.get()) is not None:
            try:
                result = self._callback(event) if self._callback is not None else None
                if inspect.isawaitable(result):
                    await result
            except Exception:
                logger.exception("media event callback failed on %s", event.type)

    @property
    def task_alive(self) -> bool:
        return self._task is not None and not self._task.done()

    async def close(self) -> None:
        self._closed = True
        if self._queue is None or self._task is None:
            return
        self._queue.put_nowait(None)
        try:
            await asyncio.wait_for(asyncio.shield(self._task), EVENT_DRAIN_TIMEOUT_S)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._queue = None
        self._task = None


class LocalMediaControl:
    """Implements `media.control.MediaControl` in this process."""

    def __init__(self, settings: MediaSettings, on_event: EventCallback | None = None) -> None:
        passthrough.install()
        ice.install()
        consent.install()
        self.settings = settings
        self._calls: dict[str, Call] = {}
        self._events = EventDispatcher(on_event, settings.event_queue_size)
        self._closed = False
        logger.info("media: in-process media plane (aiortc %s, encoded forwarding)",
                    passthrough.AIORTC_VERSION)

    # --- helpers -----------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise MediaClosed("the media plane is closed")

    def _call(self, call_id: str) -> Call:
        self._check_open()
        _check_id("call_id", call_id)
        call = self._calls.get(call_id)
        if call is None:
            raise UnknownCall(f"no call {call_id!r}")
        return call

    def _call_or_create(self, call_id: str) -> Call:
        self._check_open()
        _check_id("call_id", call_id)
        call = self._calls.get(call_id)
        if call is None:
            call = self._calls[call_id] = Call(call_id, self.settings, self._events.emit)
        return call

    # --- MediaControl ------------------------------------------------------------------------

    async def open_peer(self, call_id: str, peer_id: str, role: str) -> PeerInfo:
        _check_id("peer_id", peer_id)
        if not isinstance(role, str) or not _ROLE.match(role):
            raise InvalidArgument("role must be 1-32 lowercase letters or _")
        return await self._call_or_create(call_id).open_peer(peer_id, role)

    async def apply_offer(self, call_id: str, peer_id: str, offer: Offer) -> Answer:
        if not isinstance(offer, Offer) or not isinstance(offer.sources, list) or not all(
            isinstance(s, TrackSource) for s in offer.sources
        ):
            raise InvalidArgument("offer must be an Offer with a list of TrackSource")
        _check_id("peer_id", peer_id)
        return await self._call(call_id).peer(peer_id).apply_offer(offer)

    async def add_ice_candidate(self, call_id: str, peer_id: str, candidate: IceCandidate) -> None:
        if not isinstance(candidate, IceCandidate):
            raise InvalidArgument("candidate must be an IceCandidate")
        _check_id("peer_id", peer_id)
        await self._call(call_id).peer(peer_id).add_ice_candidate(candidate)

    async def close_peer(self, call_id: str, peer_id: str) -> None:
        call = self._calls.get(call_id) if isinstance(call_id, str) else None
        if call is not None and isinstance(peer_id, str):
            await call.close_peer(peer_id)

    async def close_call(self, call_id: str) -> None:
        call = self._calls.pop(call_id, None) if isinstance(call_id, str) else None
        if call is not None:
            await call.close("complete")

    async def start_recording(
        self, call_id: str, directory: str, clock_origin_ms: int
    ) -> RecordingInfo:
        if not isinstance(directory, str) or not directory:
            raise InvalidArgument("directory must be a non-empty path")
        if not isinstance(clock_origin_ms, int) or clock_origin_ms < 0:
            raise InvalidArgument("clock_origin_ms must be unix milliseconds")
        call = self._call_or_create(call_id)
        path = Path(directory)
        try:
            await asyncio.to_thread(_prepare_directory, path)
        except OSError as exc:
            raise RecordingFailed(f"recording directory unusable: {exc.strerror}") from exc
        return await call.start_recording(path, clock_origin_ms)

    async def stop_recording(self, call_id: str) -> list[RecordingFile]:
        return await self._call(call_id).stop_recording("complete")

    async def recording_info(self, call_id: str) -> RecordingInfo | None:
        return self._call(call_id).recording_info()

    async def inspect_recordings(self, directory: str) -> list[RecoveredFile]:
        if not isinstance(directory, str) or not directory:
            raise InvalidArgument("directory must be a non-empty path")
        return await asyncio.to_thread(recovery.inspect_recordings, directory)

    async def stats(self) -> MediaStats:
        totals = {"peers": 0, "peer_connections": 0, "tasks": 0, "threads": 0,
                  "recorder_files": 0, "publications": 0, "receive_slots": 0}
        for call in self._calls.values():
            for name, value in call.stats().items():
                totals[name] += value
        totals["tasks"] += int(self._events.task_alive)
        return MediaStats(calls=len(self._calls), **totals)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        calls, self._calls = list(self._calls.values()), {}
        for call in calls:
            await call.close("aborted")
        await self._events.close()


def _check_id(name: str, value: object) -> None:
    if not isinstance(value, str) or not _ID.match(value):
        raise InvalidArgument(f"{name} must be 1-64 characters of A-Z a-z 0-9 _ . -")


def _prepare_directory(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    if not os.access(path, os.W_OK | os.X_OK):
        raise PermissionError(13, "not writable", str(path))
