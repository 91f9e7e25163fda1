"""A call: its peers, the tracks they publish, which viewer slot carries which track, and its
recording. Every published track is forwarded to every other participant of the call.

A published track is known by its TrackKey (peer id, source, kind), not by the peer object: when
a peer is lost or replaced, its keys stay assigned to viewers' slots for
`MediaSettings.rebuild_grace_s`, and the rebuilt peer's publications re-attach to those slots
without the viewers renegotiating.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from media.control import (
    MediaEvent,
    PeerInfo,
    RecordingFile,
    RecordingInfo,
    RecordingState,
    RemoteTrack,
    RemoteTracksChanged,
    TrackAdded,
    TrackRemoved,
)
from media.errors import AlreadyRecording, TooManyPeers, UnknownPeer, WrongState
from media.forwarding import Publication, TrackKey
from media.peer import Peer
from media.recorder import FILE_SUFFIX, CallRecording
from media.settings import MediaSettings

logger = logging.getLogger(__name__)

_FILE_NUMBER = re.compile(r"^(.+)-(\d+)" + re.escape(FILE_SUFFIX) + "$")


@dataclass
class _Published:
    key: TrackKey
    owner: Peer  # the peer generation publishing it, or that last did while it is stale
    publication: Publication | None  # None while stale (owner lost or replaced)
    expiry: asyncio.TimerHandle | None = None


class Call:
    """Owns its peers and its recording; `close()` closes them."""

    def __init__(self, call_id: str, settings: MediaSettings,
                 emit: Callable[[MediaEvent], None]) -> None:
        self.call_id = call_id
        self._settings = settings
        self._emit = emit
        self.peers: dict[str, Peer] = {}
        self._tracks: dict[TrackKey, _Published] = {}
        self._generations: dict[str, int] = {}
        self.recording: CallRecording | None = None
        # Starting and stopping the recording wait on threads and the disk: one at a time, or
        # two starts (a retried resume) would both begin a recording of the same files.
        self._recording_turn = asyncio.Lock()
        self._closing = False
        self._open_lock = asyncio.Lock()

    # --- peers -------------------------------------------------------------------------------

    async def open_peer(self, peer_id: str, role: str) -> PeerInfo:
        # Serialized: two rebuilds of one peer at once must not both register a new peer.
        async with self._open_lock:
            if self._closing:
                raise WrongState(f"call {self.call_id!r} is closing")
            old = self.peers.get(peer_id)
            if old is None and len(self.peers) >= self._settings.max_peers_per_call:
                raise TooManyPeers(f"a call has at most {self._settings.max_peers_per_call} peers")
            generation = self._generations.get(peer_id, 0) + 1
            self._generations[peer_id] = generation
            if old is not None:
                await old.close("replaced")
                if self._closing:
                    raise WrongState(f"call {self.call_id!r} is closing")
            peer = Peer(self, self.call_id, peer_id, role, generation, self._settings,
                        self._emit)
            self.peers[peer_id] = peer
        logger.info("call %s: peer %s (%s) open, generation %d", self.call_id, peer_id, role,
                    generation)
        return PeerInfo(call_id=self.call_id, peer_id=peer_id, role=role, generation=generation,
                        replaced=old is not None, remote_tracks=self.remote_tracks_for(peer_id))

    def peer(self, peer_id: str) -> Peer:
        peer = self.peers.get(peer_id)
        if peer is None:
            raise UnknownPeer(f"no peer {peer_id!r} in call {self.call_id!r}")
        return peer

    async def close_peer(self, peer_id: str) -> None:
        peer = self.peers.pop(peer_id, None)
        if peer is not None:
            await peer.close("requested")

    def remote_tracks_for(self, peer_id: str) -> list[RemoteTrack]:
        return [
            RemoteTrack(track_id=k.track_id, peer_id=k.peer_id, source=k.source, kind=k.kind)
            for k in self._tracks
            if k.peer_id != peer_id
        ]

    # --- PeerOwner ---------------------------------------------------------------------------

    async def update_published(
        self, peer: Peer, publications: dict[TrackKey, Publication], reason: str
    ) -> None:
        if self.peers.get(peer.peer_id) is not peer:
            return  # a replaced generation reporting late
        changed = False
        for key, publication in publications.items():
            entry = self._tracks.get(key)
            if entry is None:
                entry = _Published(key=key, owner=peer, publication=publication)
                self._tracks[key] = entry
                changed = True
                self._emit(TrackAdded(call_id=self.call_id, peer_id=key.peer_id,
                                      generation=peer.generation, track_id=key.track_id,
                                      source=key.source, kind=key.kind))
            elif entry.publication is publication:
                continue
            else:  # a rebuilt peer, or the source moved to another m-section: re-attach quietly
                if entry.expiry is not None:
                    entry.expiry.cancel()
                    entry.expiry = None
                entry.owner, entry.publication = peer, publication
            await self._attach_viewers(entry)
            if self.recording is not None:
                await self.recording.record(publication)
        gone = [k for k in self._tracks if k.peer_id == peer.peer_id and k not in publications]
        for key in gone:
            self._remove(key, reason)
        if changed or gone:
            self._notify_viewers(except_peer_id=peer.peer_id)

    async def assign_slots(self, peer: Peer) -> None:
        """Give the viewer's free recvonly slots to remote tracks it does not receive yet."""
        available = [k for k in self._tracks if k.peer_id != peer.peer_id]
        slots = peer.active_slots()
        taken: set[TrackKey] = set()
        for slot in slots:
            if slot.key is not None and (slot.key not in self._tracks or slot.key in taken):
                slot.unassign()
            elif slot.key is not None:
                taken.add(slot.key)
        for key in available:
            if key in taken:
                continue
            free = next((s for s in slots if s.key is None and s.kind == key.kind), None)
            if free is None:
                continue  # the client has too few slots; RemoteTracksChanged told it so
            free.assign(key)
            taken.add(key)
        for slot in slots:
            entry = self._tracks.get(slot.key) if slot.key is not None else None
            if entry is not None and entry.publication is not None:
                await slot.track.attach(entry.publication)

    async def peer_gone(self, peer: Peer, reason: str) -> None:
        owned = [e for e in self._tracks.values() if e.owner is peer]
        if reason in ("lost", "replaced"):
            loop = asyncio.get_running_loop()
            for entry in owned:
                entry.publication = None
                if entry.expiry is None:
                    entry.expiry = loop.call_later(self._settings.rebuild_grace_s, self._expire,
                                                   entry.key, peer)
            return
        for entry in owned:
            self._remove(entry.key, "peer_closed")
        if owned and not self._closing:
            self._notify_viewers(except_peer_id=peer.peer_id)

    def _expire(self, key: TrackKey, owner: Peer) -> None:
        entry = self._tracks.get(key)
        if entry is not None and entry.publication is None and entry.owner is owner:
            entry.expiry = None
            self._remove(key, "connection_lost" if owner.connection_lost else "rebuild_expired")
            self._notify_viewers(except_peer_id=key.peer_id)

    async def _attach_viewers(self, entry: _Published) -> None:
        if entry.publication is None:
            return
        for viewer in list(self.peers.values()):
            if viewer.peer_id == entry.key.peer_id:
                continue
            for slot in viewer.active_slots():
                if slot.key == entry.key:
                    await slot.track.attach(entry.publication)

    def _remove(self, key: TrackKey, reason: str) -> None:
        entry = self._tracks.pop(key, None)
        if entry is None:
            return
        if entry.expiry is not None:
            entry.expiry.cancel()
        for viewer in self.peers.values():
            for slot in viewer.slots.values():
                if slot.key == key:
                    slot.unassign()
        self._emit(TrackRemoved(call_id=self.call_id, peer_id=key.peer_id,
                                generation=entry.owner.generation, track_id=key.track_id,
                                source=key.source, kind=key.kind, reason=reason))

    def _notify_viewers(self, except_peer_id: str) -> None:
        if self._closing:
            return
        for peer in self.peers.values():
            if peer.peer_id != except_peer_id and peer.state not in ("failed", "closed"):
                self._emit(RemoteTracksChanged(call_id=self.call_id, peer_id=peer.peer_id,
                                               generation=peer.generation,
                                               tracks=self.remote_tracks_for(peer.peer_id)))

    # --- recording ---------------------------------------------------------------------------

    async def start_recording(self, directory: Path, clock_origin_ms: int) -> RecordingInfo:
        async with self._recording_turn:
            return await self._start_recording(directory, clock_origin_ms)

    async def _start_recording(self, directory: Path, clock_origin_ms: int) -> RecordingInfo:
        previous = self.recording
        if previous is not None and not previous.stopped:
            raise AlreadyRecording(f"call {self.call_id!r} is already recording")
        numbers = await asyncio.to_thread(_existing_numbers, directory)
        if previous is not None:
            await previous.wait_closed()  # (stopped by itself: its files may be finishing)
            if previous.directory == directory:
                # A file the disk refused whole was removed: its number is not used again.
                for stem, number in previous.numbers.items():
                    numbers[stem] = max(numbers.get(stem, 0), number)
        recording = CallRecording(
            call_id=self.call_id,
            directory=directory,
            clock_origin_ms=clock_origin_ms,
            cluster_ms=self._settings.recording_cluster_ms,
            queue_limit=self._settings.recording_queue_frames,
            emit=self._emit,
            numbers=numbers,
        )
        self.recording = recording
        for entry in list(self._tracks.values()):
            if entry.publication is not None:
                await recording.record(entry.publication)
        return RecordingInfo(call_id=self.call_id, directory=str(directory),
                             clock_origin_ms=clock_origin_ms, files=recording.files())

    def recording_info(self) -> RecordingInfo | None:
        recording = self.recording
        if recording is None:
            return None
        return RecordingInfo(call_id=self.call_id, directory=str(recording.directory),
                             clock_origin_ms=recording.clock_origin_ms, files=recording.files())

    async def stop_recording(self, state: RecordingState = "complete") -> list[RecordingFile]:
        async with self._recording_turn:
            return await self._stop_recording(state)

    async def _stop_recording(self, state: RecordingState) -> list[RecordingFile]:
        recording = self.recording
        if recording is None:
            return []
        if recording.stopped:  # already, or by itself (a file the disk refused)
            await recording.wait_closed()
            return []
        return await recording.stop(state)

    # --- lifecycle ---------------------------------------------------------------------------

    async def close(self, recording_state: RecordingState = "complete") -> None:
        if self._closing:
            return
        self._closing = True
        await self.stop_recording(recording_state)
        for peer_id in list(self.peers):
            peer = self.peers.pop(peer_id)
            await peer.close("call_closed")
        for entry in self._tracks.values():
            if entry.expiry is not None:
                entry.expiry.cancel()
        self._tracks.clear()

    def stats(self) -> dict[str, int]:
        peers = list(self.peers.values())
        recording = self.recording
        return {
            "peers": len(peers),
            "peer_connections": sum(1 for p in peers if p.pc_open),
            "tasks": sum(p.tasks_alive for p in peers),
            "threads": sum(p.threads_alive for p in peers)
            + (recording.threads if recording is not None else 0),
            "recorder_files": recording.open_files if recording is not None else 0,
            "publications": sum(len(p.publications) for p in peers),
            "receive_slots": sum(len(p.slots) for p in peers),
        }


def _existing_numbers(directory: Path) -> dict[str, int]:
    """Highest file number per track already in `directory`, so a new recording appends."""
    numbers: dict[str, int] = {}
    try:
        names = os.listdir(directory)
    except OSError:
        return numbers
    for name in names:
        match = _FILE_NUMBER.match(name)
        if match:
            numbers[match.group(1)] = max(numbers.get(match.group(1), 0), int(match.group(2)))
    return numbers
