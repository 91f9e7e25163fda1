"""Errors the media plane raises across the `MediaControl` seam.

Every error is a `MediaError` with a stable string `code` that signaling puts in its error ack
(`{ok: false, error: {code, message}}`); messages are short and never quote SDP.

    MediaError
    ├── InvalidArgument        invalid_argument         bad id, role, directory
    │   └── InvalidSources     invalid_sources          offer's mid -> source mapping is wrong
    ├── InvalidSdp             invalid_sdp              unparseable or unsupported offer
    │   └── UnsupportedCodec   unsupported_codec        an m-section without VP8 / Opus
    ├── SdpTooLarge            sdp_too_large            offer over `MediaSettings.max_sdp_bytes`
    ├── IceRestartUnsupported  ice_restart_unsupported  new ICE credentials on the same peer
    ├── InvalidCandidate       invalid_candidate        unparseable trickled ICE candidate
    │   └── UnreachableCandidate invalid_candidate      an address no peer has (loopback…)
    ├── TooManyCandidates      too_many_candidates      over `max_remote_candidates`
    ├── TooManyPeers           too_many_peers           over `max_peers_per_call`
    ├── WrongState             wrong_state              negotiation in progress, peer failed...
    ├── NegotiationFailed      negotiation_failed       aiortc rejected a validated offer
    ├── UnknownCall            unknown_call
    ├── UnknownPeer            unknown_peer
    ├── AlreadyRecording       already_recording
    ├── RecordingFailed        recording_failed         directory not usable
    └── MediaClosed            closed                   the media plane was closed
"""

from __future__ import annotations


class MediaError(Exception):
    """Base of every error the media plane raises to its callers."""

    code = "media_error"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.code)
        self.message = message or self.code


class InvalidArgument(MediaError):
    code = "invalid_argument"


class InvalidSources(InvalidArgument):
    code = "invalid_sources"


class InvalidSdp(MediaError):
    code = "invalid_sdp"


class UnsupportedCodec(InvalidSdp):
    code = "unsupported_codec"


class SdpTooLarge(MediaError):
    code = "sdp_too_large"


class IceRestartUnsupported(MediaError):
    code = "ice_restart_unsupported"


class InvalidCandidate(MediaError):
    code = "invalid_candidate"


class UnreachableCandidate(InvalidCandidate):
    """Well formed, but at an address the server will not send checks to. Trickled, it is
    refused; in an offer's SDP, its line is left out and the rest of the offer stands."""


class TooManyCandidates(MediaError):
    code = "too_many_candidates"


class TooManyPeers(MediaError):
    code = "too_many_peers"


class WrongState(MediaError):
    code = "wrong_state"


class NegotiationFailed(MediaError):
    code = "negotiation_failed"


class UnknownCall(MediaError):
    code = "unknown_call"


class UnknownPeer(MediaError):
    code = "unknown_peer"


class AlreadyRecording(MediaError):
    code = "already_recording"


class RecordingFailed(MediaError):
    code = "recording_failed"


class MediaClosed(MediaError):
    code = "closed"


ERROR_CODES: frozenset[str] = frozenset(
    cls.code
    for cls in (
        MediaError,
        InvalidArgument,
        InvalidSources,
        InvalidSdp,
        UnsupportedCodec,
        SdpTooLarge,
        IceRestartUnsupported,
        InvalidCandidate,
        TooManyCandidates,
        TooManyPeers,
        WrongState,
        NegotiationFailed,
        UnknownCall,
        UnknownPeer,
        AlreadyRecording,
        RecordingFailed,
        MediaClosed,
    )
)
