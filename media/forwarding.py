"""Forwarding encoded frames: a publisher's track fanned out to viewers' tracks and recorders.

A `Publication` reads one remote track (encoded frames, see passthrough.py) and pushes each frame
to its sinks without awaiting them. A `ForwardedTrack` is the sink behind one viewer's receive
slot: aiortc's `RTCRtpSender` reads `av.Packet`s from it and only packetizes them
(`Encoder.pack()`, rtcrtpsender.py:323). Nothing is decoded or re-encoded on this path.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import logging
import time
from collections import deque
from collections.abc import Callable
from typing import NamedTuple, Protocol

import av
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.rtcrtpreceiver import RemoteStreamTrack, RTCRtpReceiver
from av.stream import Stream

from media import passthrough
from media.control import Kind, Source
from media.keyframes import KeyframeRequester
from media.passthrough import GAP, EncodedFrame
from media.timestamps import PtsRebaser

logger = logging.getLogger(__name__)

VIDEO_CLOCK_RATE = 90_000  # Hz, RTP clock of VP8
AUDIO_CLOCK_RATE = 48_000  # Hz, RTP clock of Opus
# A viewer's REMB limits its publisher this long (browsers send one about every second, and at
# once when their estimate drops); a viewer that stopped sending them limits nobody.
REMB_FRESH_S = 3.0
# The limit goes to the publisher at once when it drops by more than this, else once a second.
REMB_DROP = 0.97
REMB_EVERY_S = 1.0


class TrackKey(NamedTuple):
    """A published track's identity in a call; survives the publisher's peer being rebuilt."""

    peer_id: str
    source: Source
    kind: Kind

    @property
    def track_id(self) -> str:
        return f"{self.peer_id}:{self.source}:{self.kind}"


class FrameSink(Protocol):
    """Fed by a Publication on the event loop; `push` must never block."""

    @property
    def waiting_for_keyframe(self) -> bool: ...

    def push(self, frame: EncodedFrame) -> None: ...

    def resync(self) -> None:
        """Frames were lost upstream: drop until the next keyframe."""
        ...

    def source_ended(self, publication: Publication) -> None: ...


class Publication:
    """One published track of one peer generation. Owned by its Peer, which closes it."""

    def __init__(
        self,
        key: TrackKey,
        receiver: RTCRtpReceiver,
        track: RemoteStreamTrack,
        ssrc: int | None,
        keyframe_min_interval_s: float,
        on_ended: Callable[[Publication], None],
    ) -> None:
        self.key = key
        self._receiver = receiver
        self._track = track
        self._ssrc = ssrc
        self._on_ended = on_ended
        self._sinks: list[FrameSink] = []
        self._keyframes = KeyframeRequester(self._send_pli, keyframe_min_interval_s)
        self._closed = False
        # What each viewer's browser says it can receive (REMB): the publisher is told the
        # lowest, so it sends what every viewer can take (no simulcast: one stream for all).
        self._viewer_bps: dict[int, tuple[int, float]] = {}
        self._told: tuple[int, float] | None = None
        # The server's own estimate of the publisher's uplink (its REMB), when it has one: a
        # viewer's higher figure must not lift a congested uplink's.
        self._own_bps: tuple[int, float] | None = None
        if key.kind == "video":
            passthrough.cap_remb(receiver, self.viewer_limit, self._own_estimate)
        self.frames = 0
        self.keyframes = 0
        self.gaps = 0
        # The pump task, like the requester's deferred PLI, belongs to this publication;
        # close() cancels and awaits both.
        self._pump_task: asyncio.Task[None] = asyncio.create_task(
            self._pump(), name=f"publication {key.track_id}"
        )

    @property
    def plis_sent(self) -> int:
        return self._keyframes.sent

    @property
    def transport_state(self) -> str:
        return str(self._receiver.transport.state)

    @property
    def tasks_alive(self) -> int:
        return int(not self._pump_task.done()) + int(self._keyframes.busy)

    async def attach(self, sink: FrameSink) -> None:
        if self._closed or sink in self._sinks:
            return
        self._sinks.append(sink)
        sink.resync()
        if sink.waiting_for_keyframe:
            await self.request_keyframe()

    def detach(self, sink: FrameSink) -> None:
        with contextlib.suppress(ValueError):
            self._sinks.remove(sink)
        self._viewer_bps.pop(id(sink), None)

    def _own_estimate(self, bps: int) -> None:
        self._own_bps = (bps, time.monotonic())

    def viewer_limit(self) -> int | None:
        """The lowest bitrate a viewer can receive now (None: no viewer says)."""
        now = time.monotonic()
        fresh = [bps for bps, at in self._viewer_bps.values() if now - at <= REMB_FRESH_S]
        return min(fresh) if fresh else None

    async def viewer_estimate(self, sink: FrameSink, bps: int) -> None:
        """A viewer's REMB: relayed to the publisher when it is the lowest (a viewer on a
        slow link would otherwise get more than it can take: frozen video, broken audio)."""
        if self._closed or sink not in self._sinks:
            return
        now = time.monotonic()
        self._viewer_bps[id(sink)] = (bps, now)
        limit = self.viewer_limit()
        own = self._own_bps
        if limit is not None and own is not None and now - own[1] <= REMB_FRESH_S:
            limit = min(limit, own[0])
        told = self._told
        if limit is None or (told is not None and limit >= told[0] * REMB_DROP
                             and now - told[1] < REMB_EVERY_S):
            return
        ssrc = self._ssrc
        ssrcs = [ssrc] if ssrc is not None else passthrough.active_ssrcs(self._receiver)
        if self.transport_state == "connected" and ssrcs:
            self._told = (limit, now)
            await passthrough.send_remb(self._receiver, limit, ssrcs)

    async def request_keyframe(self) -> None:
        if self.key.kind == "video" and not self._closed:
            await self._keyframes.request()

    async def _send_pli(self) -> None:
        if self.transport_state != "connected":
            raise ConnectionError("publisher transport not connected")  # aiortc would drop it
        ssrc = self._ssrc
        if ssrc is None:
            # The offer had no a=ssrc: use what the receiver has seen (RTX would be ignored).
            ssrcs = passthrough.active_ssrcs(self._receiver)
            if not ssrcs:
                return
            ssrc = ssrcs[0]
        await passthrough.send_pli(self._receiver, ssrc)

    async def _pump(self) -> None:
        while True:
            try:
                frame: object = await self._track.recv()
            except MediaStreamError:
                break
            if frame is GAP:
                self.gaps += 1
                for sink in self._sinks:
                    sink.resync()
                await self.request_keyframe()
                continue
            if not isinstance(frame, EncodedFrame):
                # Never forward decoded frames: adoption failed for this receiver.
                logger.warning("publication %s got a decoded frame; dropped", self.key.track_id)
                continue
            self.frames += 1
            if frame.keyframe:
                self.keyframes += 1
                self._keyframes.keyframe_arrived()
            waiting = False
            for sink in self._sinks:
                sink.push(frame)
                waiting = waiting or sink.waiting_for_keyframe
            if waiting and not frame.keyframe:
                await self.request_keyframe()
        if not self._closed:
            self._on_ended(self)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._pump_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._pump_task
        await self._keyframes.close()
        sinks, self._sinks = self._sinks, []
        for sink in sinks:
            sink.source_ended(self)


class ForwardedTrack(MediaStreamTrack):
    """The track a viewer's receive slot sends: frames of whichever publication is attached.

    It lives as long as the slot: aiortc's sender stops for good once its track raises
    MediaStreamError (rtcrtpsender.py:386), so between publications this track idles instead.
    """

    def __init__(self, kind: Kind, track_id: str, queue_limit: int) -> None:
        super().__init__()
        self.kind = kind
        self._id = track_id  # MediaStreamTrack's id, as RemoteStreamTrack sets it: the a=msid
        self._queue_limit = queue_limit
        self._frames: deque[EncodedFrame] = deque()
        self._waiter: asyncio.Future[None] | None = None
        self._publication: Publication | None = None
        self._rebaser = PtsRebaser(VIDEO_CLOCK_RATE if kind == "video" else AUDIO_CLOCK_RATE)
        self._reading = False  # the viewer's sender has started: before that, frames are stale
        self._waiting_keyframe = kind == "video"
        self.frames_out = 0
        self.dropped = 0

    @property
    def publication(self) -> Publication | None:
        return self._publication

    @property
    def waiting_for_keyframe(self) -> bool:
        return self._reading and self._waiting_keyframe

    async def attach(self, publication: Publication) -> None:
        if publication is self._publication or self.readyState != "live":
            return
        self.detach()
        self._publication = publication
        self._rebaser.switch_source()
        await publication.attach(self)

    def detach(self) -> None:
        if self._publication is not None:
            self._publication.detach(self)
            self._publication = None
        self._frames.clear()  # the old source's: the next goes out after a keyframe

    def source_ended(self, publication: Publication) -> None:
        if publication is self._publication:
            self._publication = None

    def resync(self) -> None:
        if self.kind == "video":
            self._waiting_keyframe = True

    def push(self, frame: EncodedFrame) -> None:
        if not self._reading:
            return
        if self._waiting_keyframe:
            if not frame.keyframe:
                return
            self._waiting_keyframe = False
        if len(self._frames) >= self._queue_limit:
            # The viewer's sender lags (loop overloaded): skip ahead rather than grow.
            if self.kind == "video":
                self.dropped += len(self._frames) + 1
                self._frames.clear()
                self._waiting_keyframe = True
                return
            self._frames.popleft()
            self.dropped += 1
        self._frames.append(frame)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def recv(self) -> av.Packet[Stream]:
        if self.readyState != "live":
            raise MediaStreamError
        if not self._reading:
            self._reading = True
            if self._publication is not None:
                await self._publication.request_keyframe()
        while not self._frames:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
            if self.readyState != "live":
                raise MediaStreamError
        frame = self._frames.popleft()
        packet = av.Packet(frame.data)
        packet.pts = self._rebaser.map(frame.timestamp, frame.received_at)
        packet.time_base = fractions.Fraction(1, frame.clock_rate)
        self.frames_out += 1
        return packet

    def stop(self) -> None:
        self.detach()
        super().stop()
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)
