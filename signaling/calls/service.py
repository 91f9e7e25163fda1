"""Calls in a conversation. Either side rings (voice, video or a screen share); the other
answers; each participant's browser joins the call (the media plane opens its server peer and
the browser offers), renegotiates as sources come and go, and rebuilds its peer after a failure
or a page change by joining again. Everything that happens is logged; calls are recorded when
the site's policy says so. Signaling reaches the media plane only through `MediaControl`."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from media import control as mc
from media.errors import MediaError, RecordingFailed

from .. import access
from ..auth import Principal
from ..dispatcher import SYSTEM
from ..errors import AisleError, Conflict, NotFound
from ..ids import new_id
from ..journal import Journal
from ..notifier import AGENT_NS, Notifier, conversation_room
from ..protocol import calls as pc
from ..protocol.base import Model
from ..protocol.common import Actor, Conversation
from ..review import consent
from ..review.policy import RecordingPolicy
from ..settings import Settings
from ..store import Store
from ..store.agents import AgentRecord
from ..store.conversations import NewEvent
from ..timers import Timers
from .ice import ice_servers

log = logging.getLogger(__name__)

CALLS_REMEMBERED = 10_000
# How long a stopping server gives its calls to end (log, close the connections, finish files).
SHUTDOWN_S = 5.0

# Media plane errors a misbehaving client causes (held against its socket).
_CLIENT_FAULTS = {"invalid_argument", "invalid_sources", "invalid_sdp", "unsupported_codec",
                  "sdp_too_large", "invalid_candidate", "too_many_candidates",
                  "ice_restart_unsupported"}


class MediaRefused(AisleError):
    """A media plane error, with its own stable code (invalid_sdp, wrong_state…)."""

    def __init__(self, error: MediaError) -> None:
        super().__init__(error.message)
        self.media_code = error.code

    @property
    def abusive(self) -> bool:  # type: ignore[override]
        return self.media_code in _CLIENT_FAULTS

    def to_wire(self) -> dict[str, object]:
        return {"code": self.media_code, "message": self.message}


@dataclass(frozen=True)
class Who:
    """A participant as calls see them: their peer id, side, and for the log their actor."""

    peer_id: str
    side: str  # visitor / agent
    actor: Actor
    main: bool  # the visitor or the assignee (their leaving ends the call)


@dataclass
class _Socket:
    namespace: str
    sid: str


class Calls:
    def __init__(self, settings: Settings, store: Store, journal: Journal, notifier: Notifier,
                 timers: Timers, media: mc.MediaControl) -> None:
        self._settings = settings
        self._store = store
        self._journal = journal
        self._notifier = notifier
        self._timers = timers
        self._media = media
        # Call id → conversation id. Kept after a call ends (the recorder's last files are
        # reported later), bounded by forgetting the oldest.
        self._conversation_of: OrderedDict[str, str] = OrderedDict()
        self._sockets: dict[tuple[str, str], _Socket] = {}  # (call, peer) → joined socket
        self._main: dict[tuple[str, str], bool] = {}
        # (call, peer) → the generation of their connection joined last: what the media plane
        # says of an earlier one (replaced by a rebuild) is not about them any more.
        self._generations: dict[tuple[str, str], int] = {}
        # (call, peer) of participants whose microphone is muted now (said by their page).
        self._muted: set[tuple[str, str]] = set()
        # A ringing call the shopper placed → their consent to recording (used when the agent
        # answers). A restart ends ringing calls, so memory is enough.
        self._consent: dict[str, bool] = {}

    # ---- who may ---------------------------------------------------------------------------

    async def _conversation(self, conversation_id: str) -> Conversation:
        conv = await self._store.conversations.get(conversation_id)
        if conv is None:
            raise NotFound("no such conversation")
        return conv

    async def visitor(self, principal: Principal, actor: Actor,
                      conversation_id: str) -> tuple[Conversation, Who]:
        conv = await self._conversation(conversation_id)
        access.check_visitor(principal, conv)
        return conv, Who(principal.id, "visitor", actor, main=True)

    async def agent(self, agent: AgentRecord, actor: Actor,
                    conversation_id: str) -> tuple[Conversation, Who]:
        conv = await self._conversation(conversation_id)
        access.check(conv.status == "active" and access.can_write(agent, conv),
                     "you are not serving this conversation")
        return conv, Who(agent.id, "agent", actor, main=conv.agent_id == agent.id)

    async def _log(self, conv: Conversation, kind: str, data: dict[str, object],
                   actor: Actor = SYSTEM) -> Conversation:
        return (await self._journal.append(conv.id, [NewEvent(kind, data, actor)])).state

    def _remember(self, call_id: str, conversation_id: str) -> None:
        self._conversation_of[call_id] = conversation_id
        while len(self._conversation_of) > CALLS_REMEMBERED:
            self._conversation_of.popitem(last=False)

    # ---- ringing --------------------------------------------------------------------------

    async def start(self, conv: Conversation, who: Who, media: str,
                    record: bool = False) -> pc.CallStarted:
        if conv.status != "active":
            raise Conflict("calls happen in an active conversation")
        if conv.call != "off":
            raise Conflict("a call is already ringing or on")
        call_id = new_id("cal")
        self._remember(call_id, conv.id)
        if who.side == "visitor":
            self._consent[call_id] = record
        await self._log(conv, "call_requested", {"call_id": call_id, "media": media,
                                                 "by": who.side}, who.actor)
        self._timers.schedule(f"ring:{call_id}", self._settings.call_ring_s,
                              lambda: self._unanswered(conv.id, call_id))
        return pc.CallStarted(call_id=call_id)

    async def _unanswered(self, conversation_id: str, call_id: str) -> None:
        conv = await self._conversation(conversation_id)
        if conv.call == "ringing" and conv.call_id == call_id:
            await self.end(conv, "unanswered")

    async def answer(self, conv: Conversation, who: Who, accept: bool,
                     record: bool = False) -> None:
        if conv.call != "ringing" or conv.call_id is None:
            raise Conflict("no call is ringing")
        if conv.call_by == who.side:
            raise Conflict("the other side answers the call")
        if who.side == "agent" and not who.main:
            raise Conflict("the agent serving the conversation answers the call")
        self._timers.cancel(f"ring:{conv.call_id}")
        agreed = record if who.side == "visitor" else self._consent.get(conv.call_id, False)
        self._consent.pop(conv.call_id, None)
        if not accept:
            await self._log(conv, "call_ended", {"call_id": conv.call_id,
                                                 "reason": "declined"}, who.actor)
            return
        site = await self._store.sites.get(conv.site_id)
        policy = RecordingPolicy.of(site.settings if site else {})
        recorded = policy.calls and policy.records_with(agreed)
        conv = await self._log(conv, "call_accepted", {"call_id": conv.call_id,
                                                       "recorded": recorded}, who.actor)
        # A gap in the call lane from here, or its end when consent comes back.
        change = await consent.edge(self._store, conv.id, "call", recorded) \
            if policy.calls else None
        if change is not None:
            conv = await self._log(conv, *change, SYSTEM)
        if recorded and conv.call_id:
            try:
                await self._media.start_recording(conv.call_id, str(self._folder(conv.id)),
                                                  conv.created_at)
            except MediaError as exc:
                log.error("call %s: the recording could not start: %s", conv.call_id,
                          exc.message, extra={"conversation_id": conv.id})
                if exc.code == RecordingFailed.code:  # its folder: the disk refuses it
                    await self._storage_failed(conv, conv.call_id)

    async def stop_recording(self, conv: Conversation, who: Who) -> None:
        """The shopper withdraws their consent: the call goes on, unrecorded from here; the
        files so far are finished (and logged as the media plane reports them)."""
        if conv.call != "active" or conv.call_id is None:
            raise Conflict("no call is on")
        site = await self._store.sites.get(conv.site_id)
        if RecordingPolicy.of(site.settings if site else {}).notice != "consent":
            raise Conflict("this store records calls; hang up to end the recording")
        if conv.call_recorded is not True:
            return  # not recorded: nothing to stop
        await self._log(conv, "recording_paused", {"kind": "call", "reason": "withdrawn"},
                        who.actor)
        try:
            await self._media.stop_recording(conv.call_id)
        except MediaError:
            log.exception("call recording could not stop")

    async def pause_recording(self, conv: Conversation, who: Who) -> None:
        """The agent pauses the call's recording (while the shopper reads out card details, say);
        the files so far are finished. Only the agent serving the conversation."""
        call_id = self._agent_may_record(conv, who)
        if conv.call_recorded is not True:
            return  # not recorded: nothing to pause
        await self._log(conv, "recording_paused", {"kind": "call", "reason": "agent"},
                        who.actor)
        try:
            await self._media.stop_recording(call_id)
        except MediaError:
            log.exception("call recording could not stop")

    async def resume_recording(self, conv: Conversation, who: Who) -> None:
        """The agent resumes the recording they paused, or one that stopped because it could
        not be written (once there is room); never one the shopper stopped."""
        call_id = self._agent_may_record(conv, who)
        if conv.call_recorded is not False:
            return  # recorded already (or the log says nothing)
        if not await consent.paused_by_agent(self._store, conv.id, call_id):
            raise Conflict("this call is not recorded: the shopper did not agree, or stopped it")
        try:
            await self._media.start_recording(call_id, str(self._folder(conv.id)),
                                              conv.created_at)
        except MediaError as exc:
            raise MediaRefused(exc) from exc
        await self._log(conv, "recording_resumed", {"kind": "call", "reason": "agent"},
                        who.actor)

    def _agent_may_record(self, conv: Conversation, who: Who) -> str:
        if conv.call != "active" or conv.call_id is None:
            raise Conflict("no call is on")
        if who.side != "agent" or not who.main:
            raise Conflict("the agent serving the conversation pauses the recording")
        return conv.call_id

    # ---- joining and negotiating -----------------------------------------------------------

    async def join(self, conv: Conversation, who: Who, namespace: str,
                   sid: str) -> pc.Joined:
        if conv.call != "active" or conv.call_id is None:
            raise Conflict("no call to join")
        call_id = conv.call_id
        self._remember(call_id, conv.id)
        try:
            info = await self._media.open_peer(call_id, who.peer_id, who.side)
        except MediaError as exc:
            raise MediaRefused(exc) from exc
        self._timers.cancel(f"rejoin:{call_id}:{who.peer_id}")
        self._sockets[(call_id, who.peer_id)] = _Socket(namespace, sid)
        self._main[(call_id, who.peer_id)] = who.main
        self._generations[(call_id, who.peer_id)] = info.generation
        return pc.Joined(
            call_id=call_id, peer_id=who.peer_id,
            ice_servers=ice_servers(self._settings, who.peer_id),
            remote_tracks=[pc.RemoteTrack(track_id=t.track_id, peer_id=t.peer_id,
                                          source=t.source, kind=t.kind)
                           for t in info.remote_tracks],
            muted=sorted(p for c, p in self._muted if c == call_id and p != who.peer_id))

    async def set_muted(self, conv: Conversation, who: Who, muted: bool) -> None:
        """Mute silences the microphone's track in the browser (it keeps flowing, so unmuting
        is instant); the others are told, to show it."""
        call_id = self._joined(conv, who)
        key = (call_id, who.peer_id)
        if (key in self._muted) == muted:
            return
        if muted:
            self._muted.add(key)
        else:
            self._muted.discard(key)
        payload = pc.CallMuted(conversation_id=conv.id, call_id=call_id, peer_id=who.peer_id,
                               muted=muted)
        room = conversation_room(conv.id)
        await self._notifier.agents(room, "call_muted", payload)
        await self._notifier.visitors(room, "call_muted", payload)

    def _joined(self, conv: Conversation, who: Who) -> str:
        if conv.call != "active" or conv.call_id is None:
            raise Conflict("no call is on")
        if (conv.call_id, who.peer_id) not in self._sockets:
            raise Conflict("join the call first")
        return conv.call_id

    async def offer(self, conv: Conversation, who: Who, req: pc.CallOffer) -> pc.CallAnswer:
        call_id = self._joined(conv, who)
        offer = mc.Offer(sdp=req.sdp, sources=[mc.TrackSource(mid=s.mid, source=s.source)
                                               for s in req.sources])
        try:
            answer = await self._media.apply_offer(call_id, who.peer_id, offer)
        except MediaError as exc:
            raise MediaRefused(exc) from exc
        return pc.CallAnswer(
            sdp=answer.sdp,
            receive=[pc.ReceiveSlot(mid=r.mid, track_id=r.track_id, peer_id=r.peer_id,
                                    source=r.source, kind=r.kind) for r in answer.receive],
            published=[pc.PublishedTrack(mid=p.mid, track_id=p.track_id, source=p.source,
                                         kind=p.kind) for p in answer.published])

    async def candidate(self, conv: Conversation, who: Who, req: pc.CallCandidate) -> None:
        call_id = self._joined(conv, who)
        try:
            await self._media.add_ice_candidate(call_id, who.peer_id, mc.IceCandidate(
                candidate=req.candidate, sdp_mid=req.sdp_mid,
                sdp_mline_index=req.sdp_mline_index))
        except MediaError as exc:
            raise MediaRefused(exc) from exc

    # ---- leaving and ending ----------------------------------------------------------------

    async def hang_up(self, conv: Conversation, who: Who) -> None:
        if conv.call == "off" or conv.call_id is None:
            return
        if who.main or conv.call == "ringing":
            await self.end(conv, "hangup", who.actor)
        else:
            await self._leave(conv.call_id, who.peer_id)

    async def _leave(self, call_id: str, peer_id: str) -> None:
        self._sockets.pop((call_id, peer_id), None)
        self._main.pop((call_id, peer_id), None)
        self._generations.pop((call_id, peer_id), None)
        self._muted.discard((call_id, peer_id))
        await self._media.close_peer(call_id, peer_id)

    async def end(self, conv: Conversation, reason: str, actor: Actor = SYSTEM) -> None:
        call_id = conv.call_id
        if call_id is None:
            return
        self._consent.pop(call_id, None)
        if conv.call != "off":
            await self._log(conv, "call_ended", {"call_id": call_id, "reason": reason}, actor)
        await self._close_media(call_id)

    async def conversation_released(self, conversation_id: str) -> None:
        """The conversation ended or changed hands (the dispatcher logged the call's end in
        the same step): close the call's connections."""
        for call_id in [c for c, cid in self._conversation_of.items() if cid == conversation_id]:
            await self._close_media(call_id)

    async def _close_media(self, call_id: str) -> None:
        self._timers.cancel(f"ring:{call_id}")
        self._consent.pop(call_id, None)  # rang, then the conversation ended or moved on
        for key in [k for k in self._sockets if k[0] == call_id]:
            self._timers.cancel(f"rejoin:{key[0]}:{key[1]}")
            self._sockets.pop(key)
            self._main.pop(key, None)
            self._generations.pop(key, None)
        self._muted = {k for k in self._muted if k[0] != call_id}
        await self._media.close_call(call_id)

    async def socket_gone(self, sid: str, lost: bool = False) -> None:
        """A participant's page went away (a reload, the next page, a closed tab), or its
        connection was `lost` (broke or fell silent: a train's tunnel): their peer waits for
        them to join again for a while — longer for a lost connection — then the call goes on
        without them, or ends, for the visitor and the assignee."""
        for (call_id, peer_id), socket in list(self._sockets.items()):
            if socket.sid == sid:
                self._await_rejoin(call_id, peer_id, lost)

    def _await_rejoin(self, call_id: str, peer_id: str, lost: bool = False) -> None:
        wait = self._settings.call_lost_rejoin_s if lost else self._settings.call_rejoin_s
        self._timers.schedule(f"rejoin:{call_id}:{peer_id}", wait,
                              lambda: self._gone(call_id, peer_id, lost))

    async def _gone(self, call_id: str, peer_id: str, lost: bool = False) -> None:
        conversation_id = self._conversation_of.get(call_id)
        conv = await self._store.conversations.get(conversation_id) if conversation_id else None
        if conv is None or conv.call_id != call_id:
            return
        if self._main.get((call_id, peer_id), False):
            await self.end(conv, "connection_lost" if lost else "left")
        else:
            await self._leave(call_id, peer_id)

    # ---- what the media plane says ---------------------------------------------------------

    def _folder(self, conversation_id: str) -> Path:
        return self._settings.data_dir / "recordings" / conversation_id / "media"

    async def on_media_event(self, event: mc.MediaEvent) -> None:
        conversation_id = self._conversation_of.get(event.call_id)
        conv = await self._store.conversations.get(conversation_id) if conversation_id else None
        if conv is None:
            return
        match event:
            case mc.TrackAdded() | mc.TrackRemoved():
                if conv.call_id == event.call_id and conv.call == "active":
                    kind = ("call_track_added" if isinstance(event, mc.TrackAdded)
                            else "call_track_removed")
                    await self._log(conv, kind, {
                        "call_id": event.call_id, "participant": event.peer_id,
                        "source": event.source, "kind": event.kind,
                        "reason": getattr(event, "reason", None)})
            case mc.RemoteTracksChanged():
                await self._tell(event.call_id, event.peer_id, "call_remote_tracks",
                                 pc.RemoteTracksChanged(
                                     conversation_id=conv.id, call_id=event.call_id,
                                     tracks=[pc.RemoteTrack(track_id=t.track_id,
                                                            peer_id=t.peer_id, source=t.source,
                                                            kind=t.kind) for t in event.tracks]))
            case mc.PeerStateChanged(state="failed"):
                await self._peer_failed(conv, event)
            case mc.RecordingFileStarted() | mc.RecordingFileFinished():
                await self._recorded(conv, event.file)
            case mc.RecordingStopped():
                await self._storage_failed(conv, event.call_id)
            case _:
                pass

    async def _peer_failed(self, conv: Conversation, event: mc.PeerStateChanged) -> None:
        """A participant's connection failed: their page is told to rebuild it (join again).
        When it was lost (their network went away: their ICE consent expired after half a minute
        of silence), they are waited for as for a lost connection, `call_lost_rejoin_s`, and
        the call then ends as `connection_lost` (or goes on without them), not as their leaving:
        their page may still be connected and never close."""
        key = (event.call_id, event.peer_id)
        if key not in self._sockets or self._generations.get(key) != event.generation:
            return  # not in the call now, or an earlier connection of theirs, rebuilt since
        await self._tell(event.call_id, event.peer_id, "call_peer_failed",
                         pc.CallPeerFailed(conversation_id=conv.id, call_id=event.call_id))
        if event.reason in mc.LOST_REASONS:
            log.info("call %s: %s's connection was lost (%s); waiting for them to rejoin",
                     event.call_id, event.peer_id, event.reason,
                     extra={"conversation_id": conv.id})
            if not self._timers.pending(f"rejoin:{event.call_id}:{event.peer_id}"):
                self._await_rejoin(event.call_id, event.peer_id, lost=True)

    async def _storage_failed(self, conv: Conversation, call_id: str) -> None:
        """A file of the call's recording could not be written (a full disk): the recording
        stopped (the media plane said what failed, in its log), the call goes on. Said in the
        log (a gap the player shows) and so to both sides, as co-browsing does, rather than a
        recording that claims the call while a participant's voice is lost. The agent may
        resume it once there is room again."""
        if conv.call != "active" or conv.call_id != call_id or conv.call_recorded is not True:
            return
        await self._log(conv, "recording_paused", {"kind": "call", "reason": "storage"})

    async def _tell(self, call_id: str, peer_id: str, name: str, payload: Model) -> None:
        socket = self._sockets.get((call_id, peer_id))
        if socket is None:
            return
        if socket.namespace == AGENT_NS:
            await self._notifier.agents(socket.sid, name, payload)
        else:
            await self._notifier.visitors(socket.sid, name, payload)

    async def _recorded(self, conv: Conversation, file: mc.RecordingFile) -> None:
        path = Path(file.path)
        folder = self._folder(conv.id).parent
        relative = path.relative_to(folder).as_posix() if path.is_relative_to(folder) \
            else f"media/{path.name}"
        await self._log(conv, "media_recorded", {
            "file": relative, "participant": file.peer_id, "source": file.source,
            "kinds": [file.kind], "start_offset_ms": max(0, file.start_offset_ms),
            "duration_ms": file.duration_ms, "state": file.state})

    # ---- after a restart -------------------------------------------------------------------

    async def shutdown(self) -> None:
        """The server stops (SIGTERM, an upgrade): its calls end now, said to both sides as a
        restart, with their recordings finished whole; not left for the next start to find,
        with every participant logged as having left. All at once and within SHUTDOWN_S, well
        inside a container's stop grace (10 s by default): what is not done by then, the next
        start ends (`recover`)."""
        on = [c for c in await self._store.conversations.find(status=["active"], limit=100_000)
              if c.call != "off" and c.call_id is not None]

        async def end(conv: Conversation) -> None:
            try:
                await self.end(conv, "server_restart")
            except Exception:
                log.exception("call %s could not be ended at shutdown", conv.call_id)

        if on:
            _, pending = await asyncio.wait([asyncio.create_task(end(c)) for c in on],
                                            timeout=SHUTDOWN_S)
            if pending:
                log.warning("%d calls were not ended within %.0f s of shutting down; the next "
                            "start ends them", len(pending), SHUTDOWN_S)
                for task in pending:  # not left running under the closing media plane and store
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)

    async def recover(self) -> None:
        """Calls do not survive a restart: they end, and their files are found and marked."""
        for conv in await self._store.conversations.find(status=["active", "ended"],
                                                        limit=100_000):
            if conv.call == "off" or conv.call_id is None:
                continue
            await self._log(conv, "call_ended", {"call_id": conv.call_id,
                                                 "reason": "server_restart"})
            folder = self._folder(conv.id)
            if not folder.is_dir():
                continue
            found = await self._media.inspect_recordings(str(folder))
            for file in found:
                await self._log(conv, "media_recorded", {
                    "file": f"media/{Path(file.path).name}", "participant": file.peer_id,
                    "source": file.source or "camera", "kinds": [file.kind or "video"],
                    "start_offset_ms": max(0, file.start_offset_ms),
                    "duration_ms": file.duration_ms,
                    "state": "recovered" if file.playable and not file.complete
                    else ("complete" if file.playable else "failed")})
            await self._log(conv, "recording_recovered", {
                "files": len(found), "playable": sum(1 for f in found if f.playable)})
