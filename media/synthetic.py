"""Synthetic pre-encoded media for tests and benchmarks: VP8 and Opus clips encoded once with
PyAV, replayed in real time as `av.Packet`s so that publishing costs no encoding.

A video frame can carry a send timestamp in a 16-byte trailer (`stamp=True`): VP8 decoders
ignore bytes after the last partition, and nothing on the forwarding path decodes, so the
trailer measures one-way latency across processes (CLOCK_MONOTONIC is system-wide).
"""

from __future__ import annotations

import asyncio
import fractions
import functools
import math
import random
import struct
import time
from dataclasses import dataclass

import av
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from av.stream import Stream

from media.control import Kind

STAMP_MAGIC = b"AISLE-TS"
STAMP_BYTES = len(STAMP_MAGIC) + 8  # magic + monotonic nanoseconds, big-endian
OPUS_FRAME_S = 0.020  # 20 ms, as browsers send
OPUS_SAMPLES = 960  # per channel per 20 ms frame at 48 kHz
_SOFT_NOISE = bytes(64 + (v & 127) for v in range(256))  # noise of half the luma range


@dataclass(frozen=True, slots=True)
class EncodedClip:
    kind: Kind
    packets: tuple[bytes, ...]
    keyframes: tuple[bool, ...]
    clock_rate: int
    frame_ticks: int  # pts step between packets
    width: int = 0
    height: int = 0

    @property
    def frame_interval_s(self) -> float:
        return self.frame_ticks / self.clock_rate


@functools.cache
def vp8_clip(
    width: int = 640, height: int = 360, fps: int = 30, frames: int = 60,
    bitrate: int = 1_000_000, seed: int = 1,
) -> EncodedClip:
    """`frames` VP8 frames, a keyframe first and none after, of moving noise.

    The picture scrolls (cheap for motion compensation) while a band of fresh noise moves over
    it, which keeps the encoder near `bitrate` like camera content would.
    """
    rng = random.Random(seed)
    step = 4  # pixels of scroll per frame
    block = 8  # texture cells are 8x8 pixels: detailed enough, yet compressible
    texture_width = width + frames * step
    cells = [rng.randbytes(texture_width // block + 1) for _ in range(height // block + 1)]
    expanded = [bytes(v for v in row for _ in range(block))[:texture_width] for row in cells]
    texture = [expanded[r // block] for r in range(height)]
    band_height = max(16, height // 12)
    codec = av.CodecContext.create("libvpx", "w")
    codec.width, codec.height = width, height
    codec.pix_fmt = "yuv420p"
    codec.time_base = fractions.Fraction(1, fps)
    codec.framerate = fractions.Fraction(fps, 1)
    codec.bit_rate = bitrate
    codec.gop_size = frames + 1  # one keyframe per clip: the loop restarts on it
    codec.options = {"deadline": "realtime", "cpu-used": "8", "lag-in-frames": "0",
                     "minrate": str(bitrate), "maxrate": str(bitrate)}
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    packets: list[av.Packet[Stream]] = []
    for index in range(frames):
        offset = index * step
        rows = [row[offset : offset + width] for row in texture]
        band_top = (index * 7) % max(1, height - band_height)
        for r in range(band_top, band_top + band_height):
            rows[r] = rng.randbytes(width).translate(_SOFT_NOISE)
        frame = av.VideoFrame(width, height, "yuv420p")
        frame.planes[0].update(_plane(rows, frame.planes[0].line_size, width))
        frame.planes[1].update(_plane_flat(chroma, frame.planes[1].line_size, width // 2))
        frame.planes[2].update(_plane_flat(chroma, frame.planes[2].line_size, width // 2))
        frame.pts = index
        frame.time_base = codec.time_base
        packets += codec.encode(frame)
    packets += codec.encode(None)
    return EncodedClip(
        kind="video",
        packets=tuple(bytes(p) for p in packets),
        keyframes=tuple(bool(p.is_keyframe) for p in packets),
        clock_rate=90_000,
        frame_ticks=90_000 // fps,
        width=width,
        height=height,
    )


def _plane(rows: list[bytes], line_size: int, width: int) -> bytes:
    pad = bytes(line_size - width)
    return b"".join(row + pad for row in rows) if pad else b"".join(rows)


def _plane_flat(data: bytes, line_size: int, width: int) -> bytes:
    if line_size == width:
        return data
    rows = [data[i : i + width] for i in range(0, len(data), width)]
    return _plane(rows, line_size, width)


@functools.cache
def opus_clip(seconds: float = 1.0, frequency_hz: float = 440.0) -> EncodedClip:
    codec = av.CodecContext.create("libopus", "w")
    codec.sample_rate = 48_000
    codec.layout = "stereo"
    codec.format = "s16"
    codec.bit_rate = 48_000
    codec.time_base = fractions.Fraction(1, 48_000)
    packets: list[av.Packet[Stream]] = []
    for index in range(round(seconds / OPUS_FRAME_S)):
        samples = bytearray()
        for n in range(OPUS_SAMPLES):
            value = int(6000 * math.sin(2 * math.pi * frequency_hz * (index * OPUS_SAMPLES + n)
                                        / 48_000))
            samples += struct.pack("<hh", value, value)
        frame = av.AudioFrame(format="s16", layout="stereo", samples=OPUS_SAMPLES)
        frame.planes[0].update(bytes(samples))
        frame.sample_rate = 48_000
        frame.pts = index * OPUS_SAMPLES
        frame.time_base = codec.time_base
        packets += codec.encode(frame)
    return EncodedClip(
        kind="audio",
        packets=tuple(bytes(p) for p in packets),
        keyframes=tuple(True for _ in packets),
        clock_rate=48_000,
        frame_ticks=OPUS_SAMPLES,
    )


def read_stamp(data: bytes) -> int | None:
    """The send time (monotonic ns) a stamped frame carries, if any."""
    if len(data) > STAMP_BYTES and data[-STAMP_BYTES:-8] == STAMP_MAGIC:
        value: int = struct.unpack(">Q", data[-8:])[0]
        return value
    return None


def strip_stamp(data: bytes) -> bytes:
    return data[:-STAMP_BYTES] if read_stamp(data) is not None else data


class ClipTrack(MediaStreamTrack):
    """Replays a clip in real time, looping; `request_keyframe()` restarts it at its keyframe."""

    def __init__(self, clip: EncodedClip, stamp: bool = False, start_index: int = 0) -> None:
        super().__init__()
        self.kind = clip.kind
        self._clip = clip
        self._stamp = stamp and clip.kind == "video"
        self._index = start_index % len(clip.packets)  # > 0: start mid-GOP, as a running encoder
        self._sent = 0
        self._start: float | None = None
        self.keyframe_requests = 0
        # The bitrates the receiving end asked for (REMB), in order (the clip plays on as it is:
        # it is recorded, not re-encoded).
        self.remb: list[int] = []

    @property
    def sent(self) -> int:
        return self._sent

    def request_keyframe(self) -> None:
        self.keyframe_requests += 1
        self._index = 0

    async def on_keyframe_request(self) -> None:
        self.request_keyframe()

    async def on_bitrate(self, bps: int) -> None:
        self.remb.append(bps)

    async def recv(self) -> av.Packet[Stream]:
        if self.readyState != "live":
            raise MediaStreamError
        now = time.monotonic()
        if self._start is None:
            self._start = now
        due = self._start + self._sent * self._clip.frame_interval_s
        if due > now:
            await asyncio.sleep(due - now)
        data = self._clip.packets[self._index]
        self._index = (self._index + 1) % len(self._clip.packets)
        if self._stamp:
            data = data + STAMP_MAGIC + struct.pack(">Q", time.monotonic_ns())
        packet = av.Packet(data)
        packet.pts = self._sent * self._clip.frame_ticks
        packet.time_base = fractions.Fraction(1, self._clip.clock_rate)
        self._sent += 1
        return packet
