"""Cheap real peers for tests and benchmarks: an aiortc "browser" that publishes synthetic
pre-encoded media, offers like our JS client must, and counts what it receives without decoding;
and `Harness`, a media plane on loopback whose close checks that nothing leaked.

It follows the client rules of docs/media.md: publish on sendonly transceivers, receive on
recvonly ones, always be the offerer, map received mids with the answer's `receive` list.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field, replace

from aiortc import (
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpTransceiver,
    RTCSessionDescription,
)
from aiortc.mediastreams import MediaStreamError
from aiortc.rtcrtpreceiver import RemoteStreamTrack

from media import ice, passthrough
from media.control import (
    Answer,
    Kind,
    MediaControl,
    MediaEvent,
    Offer,
    PeerInfo,
    ReceiveSlot,
    RemoteTrack,
    RemoteTracksChanged,
    Source,
    TrackSource,
)
from media.local import LocalMediaControl
from media.passthrough import EncodedFrame
from media.settings import MediaSettings
from media.synthetic import ClipTrack, EncodedClip, opus_clip, read_stamp, strip_stamp, vp8_clip

LOOPBACK = ice.IceOptions(host_addresses=("127.0.0.1",))
CLIENT_QUEUE_FRAMES = 15  # 0.5 s of video, as the server's default: a lagging client drops


@dataclass
class Reception:
    """What one of the client's receivers got."""

    mid: str
    kind: str
    frames: int = 0
    keyframes: int = 0
    byte_count: int = 0
    first_frame_at: float | None = None  # time.monotonic()
    first_keyframe_at: float | None = None
    last_frame_at: float | None = None
    latencies_ms: list[float] = field(default_factory=list)
    payloads: set[bytes] = field(default_factory=set)  # kept only when asked (bit-exactness)
    keep_payloads: bool = False

    def add(self, frame: EncodedFrame) -> None:
        now = time.monotonic()
        self.frames += 1
        self.byte_count += len(frame.data)
        if self.first_frame_at is None:
            self.first_frame_at = now
        if frame.keyframe:
            self.keyframes += 1
            if self.first_keyframe_at is None:
                self.first_keyframe_at = now
        self.last_frame_at = now
        sent_ns = read_stamp(frame.data)
        if sent_ns is not None:
            self.latencies_ms.append((time.monotonic_ns() - sent_ns) / 1e6)
        if self.keep_payloads:
            self.payloads.add(strip_stamp(frame.data))


class ClientPeer:
    """One participant's RTCPeerConnection, driven like the browser client."""

    def __init__(self, name: str, ice_options: ice.IceOptions = LOOPBACK,
                 low_latency: bool = True, keep_payloads: bool = False) -> None:
        passthrough.install()
        self.name = name
        self._ice = ice_options
        self._low_latency = low_latency
        self._keep_payloads = keep_payloads
        self.pc = RTCPeerConnection(
            RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)
        )
        self.pc.on("track", self._on_track)
        self.sources: dict[RTCRtpTransceiver, Source] = {}
        self.tracks: dict[Source | str, ClipTrack] = {}
        self.receptions: dict[str, Reception] = {}  # by mid
        self.mapping: dict[str, ReceiveSlot] = {}  # by mid, from the latest answer
        self.answers = 0
        # One counting task per received track; close() cancels them.
        self._pumps: set[asyncio.Task[None]] = set()

    # --- publishing --------------------------------------------------------------------------

    def publish(self, source: Source, track: ClipTrack) -> RTCRtpTransceiver:
        transceiver = self.pc.addTransceiver(track, direction="sendonly")
        passthrough.watch_keyframe_requests(transceiver.sender, track.on_keyframe_request,
                                            track.on_bitrate)
        self.sources[transceiver] = source
        self.tracks[f"{source}:{track.kind}"] = track
        return transceiver

    def unpublish(self, source: Source, kind: Kind) -> None:
        """As a browser's removeTrack: the m-section stays, no longer sending."""
        for transceiver, s in list(self.sources.items()):
            if s == source and transceiver.kind == kind and transceiver.direction != "inactive":
                transceiver.direction = "inactive"
                del self.sources[transceiver]

    def ensure_receive_slots(self, audio: int, video: int) -> None:
        """At least this many recvonly transceivers of each kind (slots are never removed)."""
        for kind, wanted in (("audio", audio), ("video", video)):
            have = sum(1 for t in self.pc.getTransceivers()
                       if t.kind == kind and t.direction == "recvonly")
            for _ in range(wanted - have):
                self.pc.addTransceiver(kind, direction="recvonly")

    # --- negotiation -------------------------------------------------------------------------

    async def offer(self) -> Offer:
        offer = await self.pc.createOffer()
        with ice.gathering(self._ice):
            await self.pc.setLocalDescription(offer)
        sources = [
            TrackSource(mid=t.mid, source=source)
            for t, source in self.sources.items()
            if t.mid is not None and t.direction in ("sendonly", "sendrecv")
        ]
        return Offer(sdp=self.pc.localDescription.sdp, sources=sources)

    async def accept(self, answer: Answer) -> None:
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=answer.sdp, type="answer"))
        self.mapping = {slot.mid: slot for slot in answer.receive}
        self.answers += 1

    async def negotiate(self, control: MediaControl, call_id: str, peer_id: str) -> Answer:
        answer = await control.apply_offer(call_id, peer_id, await self.offer())
        await self.accept(answer)
        return answer

    # --- receiving ---------------------------------------------------------------------------

    def _on_track(self, track: RemoteStreamTrack) -> None:
        for transceiver in self.pc.getTransceivers():
            if transceiver.receiver.track is track and transceiver.mid is not None:
                passthrough.adopt_receiver(transceiver.receiver, low_latency=self._low_latency,
                                           queue_limit=CLIENT_QUEUE_FRAMES)
                reception = Reception(mid=transceiver.mid, kind=track.kind,
                                      keep_payloads=self._keep_payloads)
                self.receptions[transceiver.mid] = reception
                task = asyncio.create_task(self._count(track, reception))
                self._pumps.add(task)
                task.add_done_callback(self._pumps.discard)

    async def _count(self, track: RemoteStreamTrack, reception: Reception) -> None:
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await track.recv()
                if isinstance(frame, EncodedFrame):
                    reception.add(frame)

    def reception(self, peer_id: str, source: Source, kind: Kind) -> Reception | None:
        """What arrived on the slot the latest answer maps to that remote track."""
        for mid, slot in self.mapping.items():
            if (slot.peer_id, slot.source, slot.kind) == (peer_id, source, kind):
                return self.receptions.get(mid)
        return None

    async def close(self) -> None:
        for task in list(self._pumps):
            task.cancel()
        await self.pc.close()
        for task in list(self._pumps):
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def wait_for(condition: Callable[[], object], timeout: float, what: str = "condition",
                   interval: float = 0.02) -> None:
    """Poll `condition` until it is truthy; TimeoutError naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(interval)


# --- a media plane with clients, for tests ------------------------------------------------

LOOPBACK_SETTINGS = MediaSettings(ice_host_addresses=("127.0.0.1",), rebuild_grace_s=5.0)


def loopback_settings(**changes: object) -> MediaSettings:
    return replace(LOOPBACK_SETTINGS, **changes)  # type: ignore[arg-type]


@dataclass
class Harness:
    """The media plane under test plus everything a test opened against it."""

    control: LocalMediaControl
    events: list[MediaEvent] = field(default_factory=list)
    clients: list[ClientPeer] = field(default_factory=list)

    def client(self, name: str, keep_payloads: bool = False) -> ClientPeer:
        client = ClientPeer(name, keep_payloads=keep_payloads)
        self.clients.append(client)
        return client

    async def join(self, call_id: str, peer_id: str, client: ClientPeer,
                   role: str = "visitor") -> tuple[PeerInfo, Answer]:
        """open_peer, then a first offer with a receive slot per remote track already there."""
        info = await self.control.open_peer(call_id, peer_id, role)
        client.ensure_receive_slots(*_slot_counts(info.remote_tracks))
        answer = await client.negotiate(self.control, call_id, peer_id)
        return info, answer

    async def follow(self, call_id: str, peer_id: str, client: ClientPeer) -> Answer:
        """What a client does on remote_tracks_changed: enough slots, then offer again."""
        latest = self.latest_remote_tracks(peer_id)
        client.ensure_receive_slots(*_slot_counts(latest.tracks if latest else []))
        return await client.negotiate(self.control, call_id, peer_id)

    def latest_remote_tracks(self, peer_id: str) -> RemoteTracksChanged | None:
        for event in reversed(self.events):
            if isinstance(event, RemoteTracksChanged) and event.peer_id == peer_id:
                return event
        return None

    async def wait_event(self, predicate: Callable[[MediaEvent], bool], timeout: float = 5.0,
                         what: str = "event") -> MediaEvent:
        found: list[MediaEvent] = []

        def seen() -> bool:
            found[:] = [e for e in self.events if predicate(e)]
            return bool(found)

        await wait_for(seen, timeout, what)
        return found[-1]


def _slot_counts(tracks: Sequence[RemoteTrack]) -> tuple[int, int]:
    kinds = [t.kind for t in tracks]
    return kinds.count("audio"), kinds.count("video")


def camera_clip() -> EncodedClip:
    return vp8_clip(640, 360, 30, 60, 800_000)


def publish(client: ClientPeer, source: Source, kind: Kind,
            clip: EncodedClip | None = None) -> ClipTrack:
    track = ClipTrack(clip or (opus_clip() if kind == "audio" else camera_clip()))
    client.publish(source, track)
    return track


async def frames_grow(client: ClientPeer, peer_id: str, source: Source, kind: Kind,
                      count: int = 10, timeout: float = 5.0) -> None:
    """Wait until `count` more frames of that remote track arrived at `client`."""
    reception = client.reception(peer_id, source, kind)
    start = reception.frames if reception is not None else 0

    def grown() -> bool:
        r = client.reception(peer_id, source, kind)
        return r is not None and r.frames >= start + count

    await wait_for(grown, timeout, f"{count} {kind} frames of {peer_id}:{source} at {client.name}")


@contextlib.asynccontextmanager
async def open_harness(settings: MediaSettings = LOOPBACK_SETTINGS) -> AsyncIterator[Harness]:
    """A media plane for one test; on exit everything is closed and must be released."""
    events: list[MediaEvent] = []
    control = LocalMediaControl(settings, on_event=events.append)
    h = Harness(control=control, events=events)
    try:
        yield h
    finally:
        for client in h.clients:
            await client.close()
        await control.close()
        stats = await control.stats()
        if (stats.peer_connections, stats.tasks, stats.threads, stats.recorder_files) != (
                0, 0, 0, 0):
            raise AssertionError(f"media plane leaked: {stats}")
