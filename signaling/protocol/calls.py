"""Calls on the wire: ringing, answering, joining (the server is each participant's WebRTC
peer; the browser always offers), trickled candidates, hanging up, and what is recorded."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .base import Id, Model

CallMedia = Literal["audio", "video", "screen"]
Source = Literal["microphone", "camera", "screen"]
Kind = Literal["audio", "video"]
CallEndReason = Literal["hangup", "declined", "unanswered", "left", "connection_lost",
                        "conversation_ended", "server_restart", "failed"]

# Large enough for a real offer with several transceivers; the media plane enforces 32 KB.
MAX_SDP_CHARS = 65_536


# ---- log event data -----------------------------------------------------------------------


class CallRequestedData(Model):
    call_id: str
    media: CallMedia
    by: Literal["visitor", "agent"]


class CallAcceptedData(Model):
    call_id: str
    # Whether the call is recorded (None in logs written before calls said so).
    recorded: bool | None = None


class CallEndedData(Model):
    call_id: str
    reason: CallEndReason


class CallTrackData(Model):
    call_id: str
    participant: str  # the visitor's or an agent's id
    source: Source
    kind: Kind
    reason: str | None = None


class MediaRecordedData(Model):
    """A participant's recorded audio or video file, placed on the conversation's clock."""

    file: str  # relative to the conversation's recording folder
    participant: str
    source: Source
    kinds: list[Kind]
    start_offset_ms: int
    duration_ms: int
    state: Literal["recording", "complete", "failed", "aborted", "recovered"]


class RecordingRecoveredData(Model):
    files: int
    playable: int


# ---- requests -----------------------------------------------------------------------------


class StartCall(Model):
    conversation_id: Id
    media: CallMedia = "audio"
    # The shopper's consent to recording, where the site asks for it (see ConsentAnswer).
    record: bool = False


class CallStarted(Model):
    call_id: str


class AnswerCall(Model):
    conversation_id: Id
    accept: bool
    # The shopper's consent to recording, where the site asks for it (see ConsentAnswer).
    record: bool = False


class IceServer(Model):
    urls: list[str]
    username: str | None = None
    credential: str | None = None


class RemoteTrack(Model):
    track_id: str
    peer_id: str
    source: Source
    kind: Kind


class Joined(Model):
    call_id: str
    peer_id: str
    ice_servers: list[IceServer]
    # Offer at least one recvonly transceiver per remote track of each kind.
    remote_tracks: list[RemoteTrack]
    # The other participants who have muted their microphone now.
    muted: list[str] = []


class SetMuted(Model):
    conversation_id: Id
    muted: bool


class TrackSource(Model):
    mid: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    source: Source


class CallOffer(Model):
    conversation_id: Id
    sdp: Annotated[str, StringConstraints(min_length=1, max_length=MAX_SDP_CHARS)]
    sources: Annotated[list[TrackSource], Field(max_length=24)] = []


class ReceiveSlot(Model):
    mid: str
    track_id: str
    peer_id: str
    source: Source
    kind: Kind


class PublishedTrack(Model):
    mid: str
    track_id: str
    source: Source
    kind: Kind


class CallAnswer(Model):
    sdp: str
    receive: list[ReceiveSlot]
    published: list[PublishedTrack]


class CallCandidate(Model):
    conversation_id: Id
    # The browser's RTCIceCandidate; an empty candidate ends gathering.
    candidate: Annotated[str, StringConstraints(max_length=1024)]
    sdp_mid: Annotated[str, StringConstraints(max_length=32)] | None = None
    sdp_mline_index: Annotated[int, Field(ge=0, le=64)] | None = None


# ---- notifications ------------------------------------------------------------------------


class RemoteTracksChanged(Model):
    """What this participant can receive changed: offer again with enough recvonly slots."""

    conversation_id: str
    call_id: str
    tracks: list[RemoteTrack]


class CallMuted(Model):
    """A participant muted or unmuted their microphone (the track goes on, silent)."""

    conversation_id: str
    call_id: str
    peer_id: str
    muted: bool


class CallPeerFailed(Model):
    """The server's end of this participant's connection failed: rebuild it (join again)."""

    conversation_id: str
    call_id: str
