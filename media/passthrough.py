"""aiortc private hooks: make our receivers yield encoded frames, and see viewers' PLI/FIR.

Written against aiortc 1.16.0 only (pinned in pyproject.toml); each hook names the aiortc line
it relies on. Apart from media/ice.py, nothing else in `media/` touches aiortc internals.

Only receivers passed to `adopt_receiver` (our server peers, our test clients) change; every
other receiver in the process keeps aiortc's decoders. For an adopted receiver:
- complete frames become `EncodedFrame`s on the event loop, in place of the decoder queue, so
  they never cross to the decoder thread and back (-20 to 25% server CPU, measured);
- `aiortc.rtcrtpreceiver.get_decoder` is replaced by a scoped pass-through as a second line:
  were a frame ever to reach an adopted receiver's decoder thread, it would not be decoded;
- its remote track's queue is bounded, and (optionally) its jitter buffer emits frames as soon
  as they are complete.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiortc
import aiortc.rtcrtpreceiver as aiortc_receiver_module
from aiortc.codecs.base import Decoder
from aiortc.jitterbuffer import JitterBuffer, JitterFrame
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from aiortc.rtcrtpreceiver import RemoteStreamTrack, RTCRtpReceiver
from aiortc.rtcrtpsender import RTCRtpSender
from aiortc.rtp import (
    RTCP_PSFB_APP,
    RTCP_PSFB_FIR,
    RTCP_PSFB_PLI,
    RtcpPsfbPacket,
    RtpPacket,
    pack_remb_fci,
    unpack_remb_fci,
)
from aiortc.utils import uint16_add, uint16_gt

from media.keyframes import is_vp8_keyframe

logger = logging.getLogger(__name__)

AIORTC_VERSION = "1.16.0"
# Name-mangled private attributes of RTCRtpReceiver (rtcrtpreceiver.py:286-301).
_DECODER_THREAD = "_RTCRtpReceiver__decoder_thread"
_JITTER_BUFFER = "_RTCRtpReceiver__jitter_buffer"
_DECODER_QUEUE = "_RTCRtpReceiver__decoder_queue"
_RTCP_SSRC = "_RTCRtpReceiver__rtcp_ssrc"
VIDEO_JITTER_CAPACITY = 512  # packets, as aiortc 1.16 (rtcrtpreceiver.py:299): fits keyframes
AUDIO_JITTER_CAPACITY = 16  # packets, as aiortc (rtcrtpreceiver.py:295)
# How long a missing video packet may hold the frames behind it: a NACKed retransmission
# normally comes back within one round trip.
MAX_HOLE_S = 0.25


@dataclass(frozen=True, slots=True)
class EncodedFrame:
    """One complete encoded frame, as our pass-through decoder hands it to the remote track."""

    data: bytes
    timestamp: int  # RTP ticks through aiortc's TimestampMapper (can false-wrap: timestamps.py)
    clock_rate: int
    keyframe: bool  # always True for audio
    received_at: float  # time.monotonic() when the frame was complete


class Gap:
    """Queued in place of frames dropped on overflow: the consumer must resync on a keyframe."""


GAP = Gap()


class FrameQueue(asyncio.Queue[Any]):
    """Replaces a RemoteStreamTrack's unbounded queue (rtcrtpreceiver.py:215).

    aiortc's decoder thread fills it through `put()` (rtcrtpreceiver.py:87); if the consumer
    lags, frames are dropped rather than piling up, and a `GAP` marks the hole.
    """

    def __init__(self, limit: int) -> None:
        super().__init__()
        self._limit = limit
        self.dropped = 0

    def put_nowait(self, item: Any) -> None:
        if item is not None and self.qsize() >= self._limit:
            while not self.empty():
                if super().get_nowait() is not None:
                    self.dropped += 1
            super().put_nowait(GAP)
        super().put_nowait(item)


class _InlineDecoderQueue:
    """Stands in for a receiver's decoder queue (rtcrtpreceiver.py:286, fed at :567).

    The receiver hands each complete frame to its decoder thread, which then posts the result
    back to the event loop: two thread hops and a Task per frame, for a decoder that does
    nothing. This turns the frame into an EncodedFrame right on the loop instead; only the stop
    sentinel (None, rtcrtpreceiver.py:647) reaches the idle thread.
    """

    def __init__(self, thread_queue: Any, track_queue: FrameQueue) -> None:
        self._thread_queue = thread_queue
        self._track_queue = track_queue

    def put(self, item: Any) -> None:
        if item is None:
            self._thread_queue.put(None)
            # End the track ourselves: if the thread started before adoption, it reports the
            # end to the track's original queue, which nobody reads any more.
            self._track_queue.put_nowait(None)
            return
        codec, encoded_frame = item
        if isinstance(encoded_frame, _FrameAfterHole):
            self._track_queue.put_nowait(GAP)
        self._track_queue.put_nowait(_encoded(codec, encoded_frame))

    def get(self) -> Any:
        # receive() gives the decoder thread this object as its input (rtcrtpreceiver.py:401)
        return self._thread_queue.get()


def _encoded(codec: RTCRtpCodecParameters, encoded_frame: JitterFrame) -> EncodedFrame:
    data = encoded_frame.data
    video = codec.mimeType.lower().startswith("video/")
    return EncodedFrame(
        data=data,
        timestamp=encoded_frame.timestamp,
        clock_rate=codec.clockRate,
        keyframe=is_vp8_keyframe(data) if video else True,
        received_at=time.monotonic(),
    )


class _PassThroughDecoder(Decoder):
    """Returned by `get_decoder` for adopted receivers: no decoding, one EncodedFrame out."""

    def __init__(self, codec: RTCRtpCodecParameters) -> None:
        self._codec = codec

    def decode(self, encoded_frame: JitterFrame) -> list[Any]:
        return [_encoded(self._codec, encoded_frame)]


class _FrameAfterHole(JitterFrame):
    """The first frame emitted after a skipped hole: viewers must resync on a keyframe."""


class _MarkerJitterBuffer(JitterBuffer):
    """Completes a video frame on its RTP marker bit, and gives up on a lost packet in time.

    aiortc's buffer only emits a frame once the next frame's first packet arrives
    (jitterbuffer.py:77), one frame interval late. Frames are still emitted in order and only
    when contiguous from the buffer's origin, as aiortc does; but where aiortc waits for a
    missing packet until 512 packets pile up behind it (seconds of frozen video when the NACKed
    retransmission never comes: aiortc NACKs a packet once), this skips the hole after
    `max_hole_s`. A hole is any missing packet with a later one already here: the head frame's
    first packet, or one in its middle (most packets lost from a frame of several are). The
    next frame out is a `_FrameAfterHole`: our queue turns it into a GAP, viewers wait for a
    keyframe and the publication asks for one through its rate limiter (not aiortc's
    unthrottled PLI).
    """

    def __init__(self, capacity: int, max_hole_s: float = MAX_HOLE_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(capacity=capacity, is_video=True)
        self._max_hole_s = max_hole_s
        self._clock = clock
        self._hole_since: float | None = None
        self._after_hole = False
        self._highest: int | None = None  # the newest sequence number received
        # A packet skipped a number (or the buffer restarted): look for holes until none is
        # left. Packets in order, the usual case, cost no scan.
        self._gap = False
        self.holes_skipped = 0

    def add(self, packet: RtpPacket) -> tuple[bool, JitterFrame | None]:
        sequence = packet.sequence_number
        if self._highest is None or uint16_gt(sequence, self._highest):
            if self._highest is not None and sequence != uint16_add(self._highest, 1):
                self._gap = True
            self._highest = sequence
        pli_flag, frame = super().add(packet)
        if pli_flag:  # aiortc restarted or cleared its buffer (a far jump, a late straggler)
            self._gap = True
        if self._origin is not None and uint16_gt(self._origin, uint16_add(self._highest, 1)):
            self._highest = sequence  # the buffer restarted ahead of everything seen so far
            self._gap = True
        if self._gap:
            self._gap = self._missing_before_highest()
        if frame is not None or not self._gap:
            self._hole_since = None  # the head frame may just be incomplete so far
        else:
            now = self._clock()
            if self._hole_since is None:
                self._hole_since = now
            elif now - self._hole_since > self._max_hole_s and self._skip_hole():
                self.holes_skipped += 1
                self._after_hole = True
                frame = self._remove_frame(packet.sequence_number)
        if frame is not None:
            self._hole_since = None
            if self._after_hole:
                self._after_hole = False
                frame = _FrameAfterHole(data=frame.data, timestamp=frame.timestamp)
        return pli_flag, frame

    def _missing_before_highest(self) -> bool:
        if self._origin is None or self._highest is None:
            return False
        return any(self._packets[(self._origin + i) % self.capacity] is None
                   for i in range(uint16_add(self._highest, -self._origin)))

    def _skip_hole(self) -> bool:
        """Drop everything up to the end of the first frame after the hole."""
        if self._origin is None:
            return False
        for count in range(self.capacity):
            packet = self._packets[(self._origin + count) % self.capacity]
            if packet is not None and packet.marker:
                self.remove(count + 1)
                return True
        return False

    def _remove_frame(self, sequence_number: int) -> JitterFrame | None:
        if self._origin is None:  # add() sets it before calling us (jitterbuffer.py:32)
            return None
        packets: list[RtpPacket] = []
        timestamp: int | None = None
        for count in range(self.capacity):
            packet = self._packets[(self._origin + count) % self.capacity]
            if packet is None:
                return None
            if timestamp is None:
                timestamp = packet.timestamp
            elif packet.timestamp != timestamp:
                # The next frame started although this one had no marker (lost marker packet).
                self.remove(count)
                return _joined(packets, timestamp)
            packets.append(packet)
            if packet.marker:
                self.remove(count + 1)
                return _joined(packets, timestamp)
        return None


class _ArrivalOrderAudioBuffer(JitterBuffer):
    """Hands each new audio packet on at once; late or duplicate packets are dropped.

    aiortc prefetches 4 packets (+80 ms, rtcrtpreceiver.py:295); a forwarder needs none: the
    browser's NetEq downstream reorders and conceals.
    """

    def __init__(self) -> None:
        super().__init__(capacity=AUDIO_JITTER_CAPACITY)
        self._last_sequence: int | None = None

    def add(self, packet: RtpPacket) -> tuple[bool, JitterFrame | None]:
        if self._last_sequence is not None and not uint16_gt(
            packet.sequence_number, self._last_sequence
        ):
            return False, None
        self._last_sequence = packet.sequence_number
        return False, JitterFrame(data=_payload(packet), timestamp=packet.timestamp)


def _payload(packet: RtpPacket) -> bytes:
    # The receiver stores the depayloaded codec data on the packet (rtcrtpreceiver.py:544).
    data: bytes = getattr(packet, "_data", b"")
    return data


def _joined(packets: list[RtpPacket], timestamp: int) -> JitterFrame:
    return JitterFrame(data=b"".join(_payload(p) for p in packets), timestamp=timestamp)


# --- the hooks -------------------------------------------------------------------------------

_adopted: weakref.WeakSet[RTCRtpReceiver] = weakref.WeakSet()
_adopted_lock = threading.Lock()  # get_decoder runs in decoder threads, adoption on the loop
_original_get_decoder: Callable[[RTCRtpCodecParameters], Decoder] | None = None


def _get_decoder(codec: RTCRtpCodecParameters) -> Decoder:
    # Called in a receiver's decoder thread when its first frame (or a new codec) arrives
    # (rtcrtpreceiver.py:70). That thread was stored on the receiver by receive() before it
    # started (rtcrtpreceiver.py:397-406), so it identifies the receiver without a race.
    current = threading.current_thread()
    with _adopted_lock:
        adopted = list(_adopted)
    for receiver in adopted:
        if getattr(receiver, _DECODER_THREAD, None) is current:
            return _PassThroughDecoder(codec)
    if _original_get_decoder is None:  # unreachable: we are only installed by install()
        raise RuntimeError("pass-through decoder hook called before install()")
    return _original_get_decoder(codec)


def install() -> None:
    """Install the decoder hook once per process; refuses an aiortc it was not written for."""
    global _original_get_decoder
    if _original_get_decoder is not None:
        return
    if aiortc.__version__ != AIORTC_VERSION:
        raise RuntimeError(
            f"media.passthrough hooks aiortc {AIORTC_VERSION} internals, found "
            f"{aiortc.__version__}: re-check every hook before changing the pin"
        )
    for name in ("_send_rtcp_pli", "_send_rtcp", "_handle_rtcp_packet", "_handle_rtp_packet"):
        if not hasattr(RTCRtpReceiver, name):
            raise RuntimeError(f"aiortc RTCRtpReceiver has no {name}")
    _original_get_decoder = getattr(aiortc_receiver_module, "get_decoder")  # noqa: B009
    setattr(aiortc_receiver_module, "get_decoder", _get_decoder)  # noqa: B010


def adopt_receiver(
    receiver: RTCRtpReceiver, *, low_latency: bool, queue_limit: int
) -> RemoteStreamTrack:
    """Switch one receiver to pass-through. Call from the RTCPeerConnection "track" event.

    That event fires inside setRemoteDescription (rtcpeerconnection.py:1051), usually before
    `receiver.receive()` starts the decoder thread (rtcpeerconnection.py:891). Not always: a
    `__connect` task left by an earlier negotiation can reach receive() while this
    setRemoteDescription awaits (rtcpeerconnection.py:1045-1049). Adoption works either way:
    from now on frames go to the replaced track queue, and at most the few frames already
    handed to the thread are lost.
    """
    install()
    track = receiver.track
    if not isinstance(track, RemoteStreamTrack):
        raise RuntimeError("receiver has no remote track yet")
    if isinstance(getattr(receiver, _DECODER_QUEUE), _InlineDecoderQueue):
        return track  # adopted already
    frames = FrameQueue(queue_limit)
    track._queue = frames
    setattr(receiver, _DECODER_QUEUE,
            _InlineDecoderQueue(getattr(receiver, _DECODER_QUEUE), frames))
    if low_latency:
        buffer: JitterBuffer
        if track.kind == "video":
            buffer = _MarkerJitterBuffer(capacity=VIDEO_JITTER_CAPACITY)
        else:
            buffer = _ArrivalOrderAudioBuffer()
        setattr(receiver, _JITTER_BUFFER, buffer)
    with _adopted_lock:
        _adopted.add(receiver)
    return track


def decoder_thread_alive(receiver: RTCRtpReceiver) -> bool:
    thread = getattr(receiver, _DECODER_THREAD, None)
    return isinstance(thread, threading.Thread) and thread.is_alive()


async def send_pli(receiver: RTCRtpReceiver, ssrc: int) -> None:
    """Ask the publisher behind `receiver` for a keyframe (rtcrtpreceiver.py:622)."""
    await receiver._send_rtcp_pli(ssrc)


def active_ssrcs(receiver: RTCRtpReceiver) -> list[int]:
    return [source.source for source in receiver.getSynchronizationSources()]


def watch_keyframe_requests(
    sender: RTCRtpSender, on_request: Callable[[], Awaitable[None]],
    on_bitrate: Callable[[int], Awaitable[None]] | None = None,
) -> None:
    """Call `on_request` when the remote end of `sender` sends PLI or FIR, and `on_bitrate`
    with what it says it can receive (REMB, bits per second).

    aiortc only sets a force-keyframe flag that the encoder reads (rtcrtpsender.py:277-281,
    :316), so on the pass-through path the request would be lost; a REMB only sets the target
    of an encoder that does not run (:282-291). The DTLS transport's RTCP router calls the
    instance attribute (rtcdtlstransport.py:612), so wrapping it is enough.
    """
    original: Callable[[Any], Awaitable[None]] = sender._handle_rtcp_packet

    async def handle_rtcp_packet(packet: Any) -> None:
        await original(packet)
        if not isinstance(packet, RtcpPsfbPacket):
            return
        if packet.fmt in (RTCP_PSFB_PLI, RTCP_PSFB_FIR):
            await on_request()
        elif packet.fmt == RTCP_PSFB_APP and on_bitrate is not None:
            try:
                bitrate, ssrcs = unpack_remb_fci(packet.fci)
            except ValueError:
                return
            if sender._ssrc in ssrcs:
                await on_bitrate(bitrate)

    setattr(sender, "_handle_rtcp_packet", handle_rtcp_packet)  # noqa: B010 - shadows a method


_SEND_RTCP_AS_IS = "_aisle_send_rtcp_as_is"


async def send_remb(receiver: RTCRtpReceiver, bitrate: int, ssrcs: list[int]) -> None:
    """Tell the publisher behind `receiver` to send at most `bitrate` (REMB), as the receiver
    does with its own estimate (rtcrtpreceiver.py:490-498); not lowered by `cap_remb`, which
    is for the receiver's own estimates."""
    rtcp_ssrc = getattr(receiver, _RTCP_SSRC, None)
    if rtcp_ssrc is not None and ssrcs:
        send: Callable[[Any], Awaitable[None]] = getattr(receiver, _SEND_RTCP_AS_IS,
                                                         receiver._send_rtcp)
        await send(RtcpPsfbPacket(fmt=RTCP_PSFB_APP, ssrc=rtcp_ssrc, media_ssrc=0,
                                  fci=pack_remb_fci(bitrate, ssrcs)))


def cap_remb(receiver: RTCRtpReceiver, cap: Callable[[], int | None],
             on_own: Callable[[int], None]) -> None:
    """The receiver's own REMB of its publisher's uplink: told to `on_own`, and lowered to
    `cap()` (when not None), so it never lifts the limit a viewer's downlink set. Wraps the
    instance's `_send_rtcp`, which aiortc calls for it (rtcrtpreceiver.py:498)."""
    original: Callable[[Any], Awaitable[None]] = receiver._send_rtcp

    async def send_rtcp(packet: Any) -> None:
        if isinstance(packet, RtcpPsfbPacket) and packet.fmt == RTCP_PSFB_APP:
            try:
                bitrate, ssrcs = unpack_remb_fci(packet.fci)
            except ValueError:
                bitrate, ssrcs = 0, []
            on_own(bitrate)
            limit = cap()
            if limit is not None and bitrate > limit:
                packet = RtcpPsfbPacket(fmt=RTCP_PSFB_APP, ssrc=packet.ssrc, media_ssrc=0,
                                        fci=pack_remb_fci(limit, ssrcs))
        await original(packet)

    setattr(receiver, "_send_rtcp", send_rtcp)  # noqa: B010 - shadows a method
    setattr(receiver, _SEND_RTCP_AS_IS, original)


def set_msid_stream(sender: RTCRtpSender, stream_id: str) -> None:
    """Name the MediaStream an answer's a=msid puts this sender's track in.

    createAnswer writes `sender._stream_id` (rtcpeerconnection.py:226); one stream per remote
    participant lets the browser lip-sync that participant's audio and video.
    """
    sender._stream_id = stream_id
