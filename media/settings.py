"""Settings of the media plane: one frozen dataclass, read once by the caller and passed down.

Signaling maps its `AISLE_*` environment variables onto these fields; tests shorten timeouts by
constructing their own instance, never by patching.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MediaSettings:
    # --- ICE -------------------------------------------------------------------------------
    # Local addresses that host candidates bind to. Empty: every non-loopback interface
    # (aioice's default discovery). Tests use ("127.0.0.1",): aioice never offers loopback.
    ice_host_addresses: tuple[str, ...] = ()
    # Address announced in host candidates instead of the bound one (server behind a 1:1 NAT,
    # like mediasoup's announcedIp). None: announce the bound address.
    ice_announced_address: str | None = None
    # Inclusive UDP port range for host candidates; (0, 0) lets the OS pick ephemeral ports.
    ice_port_min: int = 0
    ice_port_max: int = 0
    # STUN / TURN for the server's own gathering. aiortc uses at most one of each. None by
    # default: aiortc would otherwise query Google's public STUN server.
    stun_url: str | None = None
    turn_url: str | None = None
    turn_username: str | None = None
    turn_password: str | None = None

    # --- limits on what clients send -------------------------------------------------------
    max_sdp_bytes: int = 32 * 1024
    max_remote_candidates: int = 50  # per peer, SDP and trickled together
    max_media_sections: int = 24  # per offer; each publish / receive slot is one
    max_peers_per_call: int = 8

    # --- timing ----------------------------------------------------------------------------
    negotiation_timeout_s: float = 10.0  # setRemoteDescription + answer, incl. STUN/TURN gather
    # A lost or replaced peer's published tracks stay assigned to viewers' receive slots this
    # long, so a rebuilt peer re-attaches without the viewers renegotiating.
    rebuild_grace_s: float = 15.0
    keyframe_min_interval_s: float = 0.5  # at most one PLI per publisher track per interval
    close_timeout_s: float = 5.0  # per RTCPeerConnection.close()
    # ICE consent freshness (RFC 7675; aioice's figures): a client that answers none of this
    # many checks in a row, one about every interval, fell silent (its network went away): its
    # connection is lost, ≈33 s after its last answer.
    ice_consent_interval_s: float = 5.0
    ice_consent_failures: int = 6

    # --- forwarding ------------------------------------------------------------------------
    # Emit a video frame on its RTP marker bit and audio packets as they arrive, instead of
    # aiortc's jitter buffer (which holds a frame until the next one starts, +1 frame, and
    # prefetches 4 audio packets, +80 ms). The browser downstream has its own jitter buffer.
    low_latency_receive: bool = True
    # Frames queued per remote track and per viewer track before dropping: 0.5 s of 30 fps video
    # (0.3 s of audio). Under overload, frames are lost rather than seconds of latency built up.
    forward_queue_frames: int = 15

    # --- recording -------------------------------------------------------------------------
    recording_cluster_ms: int = 1000  # Matroska cluster length: the data at risk on SIGKILL
    recording_queue_frames: int = 512  # per file, between the event loop and its writer thread

    # --- events ----------------------------------------------------------------------------
    event_queue_size: int = 4096  # events waiting for the signaling callback

    def __post_init__(self) -> None:
        # Checks with no delay between them would spin on the event loop (AISLE_MEDIA_…).
        if self.ice_consent_interval_s <= 0 or self.ice_consent_failures < 1:
            raise ValueError("ICE consent checks need an interval above 0 s and at least one "
                             "unanswered check")
