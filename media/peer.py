"""The server end of one participant: one RTCPeerConnection (one generation of a peer id), the
tracks it publishes and the receive slots it offers. The client always offers; we only answer.

Owns: its RTCPeerConnection, its Publications, its Slots (and their ForwardedTracks), and the
few tasks below. `close()` releases all of them, is idempotent and never raises.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from aiortc import RTCPeerConnection, RTCRtpTransceiver, RTCSessionDescription
from aiortc.rtcicetransport import RTCIceCandidate
from aiortc.rtcrtpreceiver import RemoteStreamTrack, RTCRtpReceiver

from media import consent, ice, passthrough
from media.control import (
    LOST_REASONS,
    SOURCE_KINDS,
    Answer,
    IceCandidate,
    Kind,
    MediaEvent,
    Offer,
    PeerState,
    PeerStateChanged,
    PublishedTrack,
    ReceiveSlot,
    Source,
)
from media.errors import (
    IceRestartUnsupported,
    InvalidCandidate,
    InvalidSdp,
    InvalidSources,
    MediaError,
    NegotiationFailed,
    TooManyCandidates,
    WrongState,
)
from media.forwarding import ForwardedTrack, Publication, TrackKey
from media.sdp import ParsedOffer, parse_candidate, parse_offer
from media.settings import MediaSettings

logger = logging.getLogger(__name__)


class PeerOwner(Protocol):
    """What a Peer needs from its Call (call.py), without importing it."""

    async def update_published(
        self, peer: Peer, publications: dict[TrackKey, Publication], reason: str
    ) -> None: ...

    async def assign_slots(self, peer: Peer) -> None: ...

    async def peer_gone(self, peer: Peer, reason: str) -> None: ...


class Slot:
    """One of the client's recvonly m-sections; the server sends one remote track on it."""

    def __init__(self, mid: str, kind: Kind, transceiver: RTCRtpTransceiver, track_id: str,
                 queue_limit: int) -> None:
        self.mid = mid
        self.kind = kind
        self.transceiver = transceiver
        self.track = ForwardedTrack(kind, track_id, queue_limit)
        self.key: TrackKey | None = None
        self.active = True  # still a recvonly m-section in the latest offer
        transceiver.sender.replaceTrack(self.track)
        passthrough.watch_keyframe_requests(transceiver.sender, self._on_keyframe_request,
                                            self._on_bitrate)

    async def _on_keyframe_request(self) -> None:
        publication = self.track.publication
        if publication is not None:
            await publication.request_keyframe()

    async def _on_bitrate(self, bps: int) -> None:
        publication = self.track.publication
        if publication is not None:
            await publication.viewer_estimate(self.track, bps)

    def assign(self, key: TrackKey) -> None:
        if key != self.key:
            self.track.detach()
            self.key = key
            passthrough.set_msid_stream(self.transceiver.sender, key.peer_id)

    def unassign(self) -> None:
        self.key = None
        self.track.detach()


class Peer:
    def __init__(
        self,
        owner: PeerOwner,
        call_id: str,
        peer_id: str,
        role: str,
        generation: int,
        settings: MediaSettings,
        emit: Callable[[MediaEvent], None],
    ) -> None:
        self.call_id = call_id
        self.peer_id = peer_id
        self.role = role
        self.generation = generation
        self._owner = owner
        self._settings = settings
        self._emit = emit
        self._ice = ice.IceOptions.from_settings(settings)
        self._consent = consent.Consent(settings.ice_consent_interval_s,
                                        settings.ice_consent_failures, self._on_consent_expired)
        self.pc = RTCPeerConnection(ice.rtc_configuration(settings))
        self.pc.on("track", self._on_track)
        self.pc.on("connectionstatechange", self._on_connection_state)
        self.state: PeerState = "new"
        self.publications: dict[str, Publication] = {}  # by mid
        self.slots: dict[str, Slot] = {}  # by mid
        self._receivers: list[RTCRtpReceiver] = []  # adopted, for thread accounting
        self._last_offer: ParsedOffer | None = None
        self._negotiating = False
        # The negotiation under way, as a task of its own: releasing the peer cancels it, so
        # nothing it would create after that (publications, slots, viewers attached) outlives
        # the peer.
        self._negotiation: asyncio.Task[None] | None = None
        self._remote_set = False
        self._pending_candidates: list[RTCIceCandidate | None] = []
        self._sdp_candidates = 0
        self._trickled = 0
        # Remote candidates on loopback make sense only when this server listens there (tests).
        self._loopback = any(ipaddress.ip_address(a).is_loopback
                             for a in self._settings.ice_host_addresses)
        self._lost = False
        self.connection_lost = False  # lost (not closed by its client, nor refused an offer)
        self._closing = False
        self._closed = asyncio.Event()
        # aiortc's close(), run once and shielded: cancelling a task that awaits it would cancel
        # aiortc's internal "closed" future and break its own concurrent close.
        self._pc_close_task: asyncio.Future[None] | None = None
        # Background work of this peer (loss handling, unpublishing an ended track); cancelled
        # by close(). Held so that none is garbage-collected mid-flight.
        self._tasks: set[asyncio.Task[None]] = set()

    # --- negotiation -------------------------------------------------------------------------

    async def apply_offer(self, offer: Offer) -> Answer:
        if self._closing or self._lost:
            raise WrongState(f"peer is {self.state}: open it again to rebuild")
        if self._negotiating:
            raise WrongState("a negotiation is already in progress on this peer")
        parsed = parse_offer(offer.sdp, self._settings.max_sdp_bytes,
                             self._settings.max_media_sections, allow_loopback=self._loopback)
        self._check_continuity(parsed)
        sources = self._check_sources(parsed, offer.sources)
        sdp_candidates = max(self._sdp_candidates, parsed.candidates)
        if sdp_candidates + self._trickled > self._settings.max_remote_candidates:
            raise TooManyCandidates(f"more than {self._settings.max_remote_candidates} candidates")

        self._negotiating = True
        task = self._negotiation = asyncio.ensure_future(self._negotiate(parsed, sources))
        try:
            try:
                await asyncio.wait({task})
            except asyncio.CancelledError:
                # Our caller gave up: the negotiation stops too, and is over before another
                # can start on this peer (or `_release` would not see it to wait for).
                task.cancel()
                task.add_done_callback(_retrieve)
                while not task.done():  # (cancelled again meanwhile: still wait for it)
                    with contextlib.suppress(asyncio.CancelledError):
                        await asyncio.wait({task})
                raise
            error = None if task.cancelled() else task.exception()
            if task.cancelled() or self._closing or self._lost:
                raise WrongState("peer closed during negotiation") from error
            if error is not None:
                raise error
            answer = self.pc.localDescription.sdp
        except MediaError:
            raise
        except Exception as exc:
            if self._closing:
                raise WrongState("peer closed during negotiation") from exc
            logger.warning("call %s peer %s: negotiation failed: %s", self.call_id, self.peer_id,
                           type(exc).__name__)
            self._lose("failed", "negotiation_failed")
            raise NegotiationFailed("the offer could not be applied; rebuild the peer") from exc
        finally:
            self._negotiating = False
            self._negotiation = None
        self._last_offer = parsed
        self._sdp_candidates = sdp_candidates
        logger.debug("call %s peer %s answer:\n%s", self.call_id, self.peer_id, answer)
        return Answer(sdp=answer, receive=self.receive_mapping(), published=self.published())

    async def _negotiate(self, parsed: ParsedOffer, sources: dict[str, Source]) -> None:
        timeout = self._settings.negotiation_timeout_s
        await asyncio.wait_for(
            self.pc.setRemoteDescription(RTCSessionDescription(sdp=parsed.sdp, type="offer")),
            timeout,
        )
        self._remote_set = True
        pending, self._pending_candidates = self._pending_candidates, []
        for candidate in pending:
            await self.pc.addIceCandidate(candidate)

        transceivers = {t.mid: t for t in self.pc.getTransceivers() if t.mid is not None}
        await self._update_publications(parsed, sources, transceivers)
        for section in parsed.sections:
            transceiver = transceivers[section.mid]
            slot = self.slots.get(section.mid)
            if section.receive_slot and slot is None:
                slot = Slot(section.mid, section.kind, transceiver,
                            track_id=f"{self.peer_id}-slot-{section.mid}",
                            queue_limit=self._settings.forward_queue_frames)
                self.slots[section.mid] = slot
            if slot is not None:
                slot.active = section.receive_slot
                if not slot.active:
                    slot.unassign()
        await self._owner.assign_slots(self)
        for section in parsed.sections:
            transceiver = transceivers[section.mid]
            slot = self.slots.get(section.mid)
            if slot is not None and slot.active:
                transceiver.direction = "sendonly" if slot.key is not None else "inactive"
            elif section.client_sends:
                transceiver.direction = "recvonly"  # we never send on a client's sending m-line
            else:
                transceiver.direction = "inactive"

        answer = await self.pc.createAnswer()
        # (ICE connects, and checks consent, in a task setLocalDescription starts.)
        with ice.gathering(self._ice), consent.watching(self._consent):
            await asyncio.wait_for(self.pc.setLocalDescription(answer), timeout)

    def _check_continuity(self, parsed: ParsedOffer) -> None:
        previous = self._last_offer
        if previous is None:
            return
        if (parsed.ice_ufrag, parsed.ice_pwd) != (previous.ice_ufrag, previous.ice_pwd):
            raise IceRestartUnsupported("ICE restart is not supported: rebuild the peer")
        if parsed.fingerprints != previous.fingerprints:
            raise InvalidSdp("DTLS fingerprint changed: rebuild the peer")
        before = [(s.mid, s.kind) for s in previous.sections]
        after = [(s.mid, s.kind) for s in parsed.sections[: len(before)]]
        if before != after:
            raise InvalidSdp("m-sections must keep their order, mids and kinds")

    def _check_sources(self, parsed: ParsedOffer, declared: list[Any]) -> dict[str, Source]:
        by_mid = {s.mid: s for s in parsed.sections}
        sources: dict[str, Source] = {}
        seen: set[tuple[str, str]] = set()
        for item in declared:
            mid, source = getattr(item, "mid", None), getattr(item, "source", None)
            section = by_mid.get(mid) if isinstance(mid, str) else None
            if section is None or not section.client_sends:
                raise InvalidSources(f"source for mid {mid!r}: no sending m-section")
            if source not in SOURCE_KINDS or section.kind not in SOURCE_KINDS[source]:
                raise InvalidSources(f"mid {mid}: {source!r} cannot carry {section.kind}")
            if mid in sources or (source, section.kind) in seen:
                raise InvalidSources(f"{source} {section.kind} declared twice")
            sources[section.mid] = source
            seen.add((source, section.kind))
        missing = [s.mid for s in parsed.sections if s.client_sends and s.mid not in sources]
        if missing:
            raise InvalidSources(f"sending m-sections without a source: {', '.join(missing)}")
        return sources

    async def _update_publications(
        self,
        parsed: ParsedOffer,
        sources: dict[str, Source],
        transceivers: dict[str, RTCRtpTransceiver],
    ) -> None:
        wanted: dict[str, TrackKey] = {}
        for section in parsed.sections:
            if section.client_sends:
                wanted[section.mid] = TrackKey(self.peer_id, sources[section.mid], section.kind)
        for mid, publication in list(self.publications.items()):
            if wanted.get(mid) != publication.key:
                del self.publications[mid]
                await publication.close()
        for section in parsed.sections:
            key = wanted.get(section.mid)
            if key is None or section.mid in self.publications:
                continue
            receiver = transceivers[section.mid].receiver
            track = receiver.track
            if not isinstance(track, RemoteStreamTrack) or track.readyState != "live":
                # aiortc cannot restart a receiver stopped by RTCP BYE: publish on a new
                # transceiver instead (docs/media.md).
                logger.warning("call %s peer %s mid %s: receiver ended, not published",
                               self.call_id, self.peer_id, section.mid)
                continue
            self.publications[section.mid] = Publication(
                key=key,
                receiver=receiver,
                track=track,
                ssrc=section.ssrc,
                keyframe_min_interval_s=self._settings.keyframe_min_interval_s,
                on_ended=self._on_publication_ended,
            )
        await self._owner.update_published(self, self.current_publications(), "unpublished")

    def current_publications(self) -> dict[TrackKey, Publication]:
        return {p.key: p for p in self.publications.values()}

    def receive_mapping(self) -> list[ReceiveSlot]:
        return [
            ReceiveSlot(mid=s.mid, track_id=s.key.track_id, peer_id=s.key.peer_id,
                        source=s.key.source, kind=s.key.kind)
            for s in self.slots.values()
            if s.active and s.key is not None
        ]

    def published(self) -> list[PublishedTrack]:
        return [
            PublishedTrack(mid=mid, track_id=p.key.track_id, source=p.key.source, kind=p.key.kind)
            for mid, p in self.publications.items()
        ]

    def active_slots(self) -> list[Slot]:
        return [s for s in self.slots.values() if s.active]

    # --- candidates --------------------------------------------------------------------------

    async def add_ice_candidate(self, candidate: IceCandidate) -> None:
        if self._closing or self._lost:
            raise WrongState(f"peer is {self.state}")
        if self._last_offer is None and not self._negotiating:
            raise WrongState("candidates must follow the offer")
        text = candidate.candidate.strip() if isinstance(candidate.candidate, str) else None
        if text is None:
            raise InvalidCandidate("candidate must be a string")
        if not text:
            await self._add_candidate(None)  # end of candidates
            return
        if self._trickled + self._sdp_candidates >= self._settings.max_remote_candidates:
            raise TooManyCandidates(f"more than {self._settings.max_remote_candidates} candidates")
        parsed = parse_candidate(text, allow_loopback=self._loopback)
        mids = [s.mid for s in (self._last_offer.sections if self._last_offer else [])]
        if candidate.sdp_mid is not None and mids and candidate.sdp_mid not in mids:
            raise InvalidCandidate("candidate for an unknown mid")
        # Everything is bundled on the first m-section's transport.
        parsed.sdpMid = candidate.sdp_mid if candidate.sdp_mid is not None else (mids or ["0"])[0]
        parsed.sdpMLineIndex = candidate.sdp_mline_index
        self._trickled += 1
        await self._add_candidate(parsed)

    async def _add_candidate(self, candidate: RTCIceCandidate | None) -> None:
        if not self._remote_set:
            self._pending_candidates.append(candidate)
            return
        await self.pc.addIceCandidate(candidate)

    # --- aiortc events -----------------------------------------------------------------------

    def _on_track(self, track: Any) -> None:
        # Inside setRemoteDescription, before receive() starts the decoder thread.
        for transceiver in self.pc.getTransceivers():
            if transceiver.receiver.track is track:
                passthrough.adopt_receiver(
                    transceiver.receiver,
                    low_latency=self._settings.low_latency_receive,
                    queue_limit=self._settings.forward_queue_frames,
                )
                self._receivers.append(transceiver.receiver)

    def _on_connection_state(self) -> None:
        if self._closing or self._lost:
            return
        state = self.pc.connectionState
        if state == "connecting":
            self._set_state("connecting")
        elif state == "connected":
            self._set_state("connected")
        elif state == "failed":
            self._lose("failed", "connection_failed")
        elif state == "closed":
            self._lose("closed", "remote")

    def _on_consent_expired(self) -> None:
        # The client answered no consent check for half a minute: its network went away without
        # a word (aiortc would report the closing connection as it reports a clean close).
        logger.info("call %s peer %s: ICE consent expired: connection lost", self.call_id,
                    self.peer_id)
        self._lose("failed", "consent_expired")

    def _on_publication_ended(self, publication: Publication) -> None:
        # A track also ends when the whole transport goes down; the connection state handler
        # deals with that (keeping the track for a rebuild). Only a lone track's end (RTCP BYE)
        # unpublishes it here.
        if self._closing or self._lost or self.pc.connectionState != "connected":
            return
        if publication.transport_state != "connected":
            return
        self._spawn(self._unpublish_ended(publication))

    async def _unpublish_ended(self, publication: Publication) -> None:
        for mid, current in list(self.publications.items()):
            if current is publication:
                del self.publications[mid]
        await publication.close()
        await self._owner.update_published(self, self.current_publications(), "ended")

    # --- state and lifecycle -----------------------------------------------------------------

    def _set_state(self, state: PeerState, reason: str = "") -> None:
        if state == self.state:
            return
        self.state = state
        self._emit(PeerStateChanged(call_id=self.call_id, peer_id=self.peer_id,
                                    generation=self.generation, state=state, reason=reason))

    def _lose(self, state: PeerState, reason: str) -> None:
        """The connection failed or was lost, or the client closed it: keep the peer record for
        a rebuild.

        Marks the peer at once (no offer or candidate gets through from here on), releases it in
        the background."""
        if self._lost or self._closing:
            return
        self._lost = True
        self.connection_lost = state == "failed" and reason in LOST_REASONS
        self._set_state(state, reason=reason)
        self._spawn(self._release_lost())

    async def _release_lost(self) -> None:
        await self._release()
        await self._owner.peer_gone(self, "lost")

    async def _release(self) -> None:
        negotiation = self._negotiation
        if negotiation is not None and not negotiation.done():
            negotiation.cancel()
            await asyncio.wait({negotiation})
        for slot in self.slots.values():
            slot.track.stop()
        for publication in list(self.publications.values()):
            await publication.close()
        self.publications.clear()
        await self._close_pc()

    async def _close_pc(self) -> None:
        if self._pc_close_task is None:
            self._pc_close_task = asyncio.ensure_future(self.pc.close())
            self._pc_close_task.add_done_callback(_retrieve)
        elif self._pc_close_task.done():
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._pc_close_task),
                                   self._settings.close_timeout_s)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # Seen after a failed setRemoteDescription: stop what is left piece by piece, so no
            # decoder thread or socket outlives the peer.
            logger.warning("call %s peer %s: RTCPeerConnection.close() failed (%s); "
                           "stopping its parts", self.call_id, self.peer_id, type(exc).__name__)
            for transceiver in self.pc.getTransceivers():
                for part in (transceiver.receiver, transceiver.sender):
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(part.stop(), self._settings.close_timeout_s)
                with contextlib.suppress(Exception):
                    await transceiver.receiver.transport.stop()
                with contextlib.suppress(Exception):
                    await transceiver.receiver.transport.transport.stop()

    async def close(self, reason: str) -> None:
        """Close everything this peer owns. Idempotent; never raises."""
        if self._closing:
            await self._closed.wait()
            return
        self._closing = True
        current = asyncio.current_task()
        for task in list(self._tasks):
            if task is not current:
                task.cancel()
        for task in list(self._tasks):
            if task is not current:
                with contextlib.suppress(BaseException):
                    await task
        try:
            await self._release()
            await self._owner.peer_gone(self, reason)
        except Exception:
            logger.exception("call %s peer %s: error while closing", self.call_id, self.peer_id)
        self._set_state("closed", reason=reason)
        self._closed.set()

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # --- accounting --------------------------------------------------------------------------

    @property
    def pc_open(self) -> bool:
        return self._pc_close_task is None or not self._pc_close_task.done()

    @property
    def tasks_alive(self) -> int:
        pumps = sum(p.tasks_alive for p in self.publications.values())
        return pumps + sum(1 for t in self._tasks if not t.done())

    @property
    def threads_alive(self) -> int:
        return sum(1 for r in self._receivers if passthrough.decoder_thread_alive(r))



def _retrieve(task: asyncio.Future[None]) -> None:
    """Mark a shielded close's outcome as seen: _close_pc reports it, or it timed out."""
    if not task.cancelled():
        task.exception()
