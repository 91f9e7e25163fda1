"""The contract between signaling and the media plane: `MediaControl` and its plain-data types.

Everything crossing this seam is a dataclass of str/int/float/bool/lists, so that a media worker
in another process can sit behind the same protocol later. Nothing here imports aiortc.
See docs/media.md for the negotiation flow these types carry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

Kind = Literal["audio", "video"]
Source = Literal["microphone", "camera", "screen"]
PeerState = Literal["new", "connecting", "connected", "failed", "closed"]
RecordingState = Literal["recording", "complete", "failed", "aborted"]

SOURCES: tuple[Source, ...] = ("microphone", "camera", "screen")
# Which kinds each source may carry: a screen share can come with tab/system audio.
SOURCE_KINDS: dict[Source, tuple[Kind, ...]] = {
    "microphone": ("audio",),
    "camera": ("video",),
    "screen": ("video", "audio"),
}


# --- requests --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrackSource:
    """What the client publishes on one of its sending m-sections (identified by its mid)."""

    mid: str
    source: Source


@dataclass(frozen=True, slots=True)
class Offer:
    """A client's SDP offer, with the source of every m-section the client sends on."""

    sdp: str
    sources: list[TrackSource] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class IceCandidate:
    """A trickled remote candidate as the browser gives it; `candidate == ""` ends gathering."""

    candidate: str
    sdp_mid: str | None = None
    sdp_mline_index: int | None = None


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RemoteTrack:
    """A track another participant publishes, which this peer can receive."""

    track_id: str  # "<peer_id>:<source>:<kind>", stable across the publisher's rebuilds
    peer_id: str
    source: Source
    kind: Kind


@dataclass(frozen=True, slots=True)
class ReceiveSlot:
    """Which remote track the server sends on one of the client's recvonly m-sections."""

    mid: str
    track_id: str
    peer_id: str
    source: Source
    kind: Kind


@dataclass(frozen=True, slots=True)
class PublishedTrack:
    mid: str
    track_id: str
    source: Source
    kind: Kind


@dataclass(frozen=True, slots=True)
class PeerInfo:
    call_id: str
    peer_id: str
    role: str
    generation: int  # 1 for the first peer of this peer_id in the call, +1 per rebuild
    replaced: bool  # an older peer with this id was closed to make room for this one
    remote_tracks: list[RemoteTrack] = field(default_factory=list)  # offer recvonly slots for these


@dataclass(frozen=True, slots=True)
class Answer:
    sdp: str
    receive: list[ReceiveSlot] = field(default_factory=list)  # recvonly mids carrying media
    published: list[PublishedTrack] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RecordingFile:
    path: str
    call_id: str
    peer_id: str
    source: Source
    kind: Kind
    start_offset_ms: int  # first frame, relative to the recording's clock origin
    state: RecordingState
    duration_ms: int = 0  # written media time; 0 while recording
    frames: int = 0
    dropped_frames: int = 0
    error: str = ""


@dataclass(frozen=True, slots=True)
class RecordingInfo:
    call_id: str
    directory: str
    clock_origin_ms: int
    files: list[RecordingFile] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RecoveredFile:
    """What `inspect_recordings` finds in a recording directory, e.g. after a crash."""

    path: str
    playable: bool
    complete: bool  # finalized (trailer written); False for a file cut by a crash
    duration_ms: int
    frames: int
    peer_id: str = ""
    source: str = ""
    kind: str = ""
    call_id: str = ""
    start_offset_ms: int = 0
    error: str = ""


@dataclass(frozen=True, slots=True)
class MediaStats:
    """Leak accounting: everything here returns to zero once every call is closed."""

    calls: int
    peers: int
    peer_connections: int  # RTCPeerConnections not yet closed
    tasks: int  # asyncio tasks the media plane owns
    threads: int  # recorder writer threads + aiortc decoder threads of our receivers
    recorder_files: int  # recording files open for writing
    publications: int
    receive_slots: int


# --- events ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrackAdded:
    call_id: str
    peer_id: str
    generation: int
    track_id: str
    source: Source
    kind: Kind
    type: Literal["track_added"] = "track_added"


@dataclass(frozen=True, slots=True)
class TrackRemoved:
    call_id: str
    peer_id: str
    generation: int
    track_id: str
    source: Source
    kind: Kind
    # "unpublished", "ended" (RTCP BYE), "peer_closed", "rebuild_expired" (a replaced peer, or
    # one its client closed, not rebuilt in time), "connection_lost" (a peer whose connection
    # was lost, not rebuilt in time)
    reason: str
    type: Literal["track_removed"] = "track_removed"


@dataclass(frozen=True, slots=True)
class PeerStateChanged:
    call_id: str
    peer_id: str
    generation: int  # compare with the current generation: old peers report "closed" late
    state: PeerState
    # for "closed": "requested", "replaced", "remote" (the client closed it), "call_closed";
    # for "failed": one of LOST_REASONS, or "negotiation_failed" (an offer aiortc rejected)
    reason: str = ""
    type: Literal["peer_state_changed"] = "peer_state_changed"


# A failed peer's reasons that say its connection was lost (the client is as good as gone until
# it rebuilds): its ICE consent expired (the client fell silent: its network went away), or
# aiortc found the connection failed (ICE or DTLS).
LOST_REASONS: frozenset[str] = frozenset({"consent_expired", "connection_failed"})


@dataclass(frozen=True, slots=True)
class RemoteTracksChanged:
    """The set of tracks `peer_id` can receive changed: its client should offer again, with at
    least one recvonly transceiver per listed track of each kind."""

    call_id: str
    peer_id: str
    generation: int
    tracks: list[RemoteTrack]
    type: Literal["remote_tracks_changed"] = "remote_tracks_changed"


@dataclass(frozen=True, slots=True)
class RecordingFileStarted:
    call_id: str
    file: RecordingFile
    type: Literal["recording_file_started"] = "recording_file_started"


@dataclass(frozen=True, slots=True)
class RecordingFileFinished:
    call_id: str
    file: RecordingFile
    type: Literal["recording_file_finished"] = "recording_file_finished"


@dataclass(frozen=True, slots=True)
class RecordingStopped:
    """The call's recording stopped by itself: a file could not be written (`reason`
    "storage": a full disk, an I/O error). What its files hold stays playable; every file is
    finished (each reports `recording_file_finished`); the call goes on unrecorded until
    `start_recording` is called again."""

    call_id: str
    reason: Literal["storage"]
    path: str  # the file the disk refused
    error: str
    type: Literal["recording_stopped"] = "recording_stopped"


MediaEvent = (
    TrackAdded
    | TrackRemoved
    | PeerStateChanged
    | RemoteTracksChanged
    | RecordingFileStarted
    | RecordingFileFinished
    | RecordingStopped
)

# Called in order, one event at a time, on the media plane's event loop. A coroutine result is
# awaited before the next event; exceptions are logged and swallowed.
EventCallback = Callable[[MediaEvent], Awaitable[None] | None]


# --- the protocol ----------------------------------------------------------------------------


class MediaControl(Protocol):
    async def open_peer(self, call_id: str, peer_id: str, role: str) -> PeerInfo:
        """Create the server end for a participant; replaces (rebuilds) an existing one."""
        ...

    async def apply_offer(self, call_id: str, peer_id: str, offer: Offer) -> Answer:
        """Apply the client's offer (first or renegotiation) and return the server's answer."""
        ...

    async def add_ice_candidate(self, call_id: str, peer_id: str, candidate: IceCandidate) -> None:
        ...

    async def close_peer(self, call_id: str, peer_id: str) -> None:
        """Idempotent; unknown peers are ignored."""
        ...

    async def close_call(self, call_id: str) -> None:
        """Idempotent; closes the call's peers and its recording."""
        ...

    async def start_recording(
        self, call_id: str, directory: str, clock_origin_ms: int
    ) -> RecordingInfo:
        ...

    async def stop_recording(self, call_id: str) -> list[RecordingFile]:
        """Finalize the call's files; idempotent (returns [] when not recording)."""
        ...

    async def recording_info(self, call_id: str) -> RecordingInfo | None:
        """The running (or last) recording of the call, with its files so far."""
        ...

    async def inspect_recordings(self, directory: str) -> list[RecoveredFile]:
        ...

    async def stats(self) -> MediaStats:
        ...

    async def close(self) -> None:
        """Close every call. Idempotent; later calls raise `MediaClosed`."""
        ...
