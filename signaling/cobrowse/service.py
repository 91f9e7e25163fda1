"""Co-browsing requests from both sides. View consent and control consent are separate steps,
both revocable at once and both logged; a control request lapses unanswered after
CONTROL_REQUEST_S; one agent controls at a time; every command and its outcome is logged."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .. import access
from ..addresses import scrub_address
from ..auth import Principal
from ..dispatcher import SYSTEM, agent_actor
from ..errors import Conflict, Forbidden, InvalidPayload, NotFound
from ..ids import now_ms
from ..journal import Journal
from ..notifier import Notifier, conversation_room
from ..protocol import cobrowse as cb
from ..protocol.common import Actor, Conversation
from ..review import consent
from ..review.policy import RecordingPolicy
from ..settings import Settings
from ..store import Store
from ..store.agents import AgentRecord
from ..store.conversations import NewEvent
from ..store.sites import SELF_ORIGIN, SiteRecord
from ..timers import Timers
from . import restarts
from .batches import CheckedBatch, PageStreams, SnapshotNeeded
from .chunks import ChunkWriter, encode_record

log = logging.getLogger(__name__)

CONTROL_REQUEST_S = 30.0  # an unanswered control request lapses
COMMAND_TIMEOUT_S = 10.0  # a command the page never answers is logged as failed
# A change to a site's recording policy from the shell applies within this (one from the
# Sites page at once: site_changed).
POLICY_TTL_S = 5.0


@dataclass(frozen=True)
class _Pending:
    agent_id: str
    action: str
    node_id: int | None
    value: str | None


class Cobrowse:
    def __init__(self, settings: Settings, store: Store, journal: Journal, notifier: Notifier,
                 timers: Timers, visitor_online: Callable[[str], Awaitable[bool]]) -> None:
        self._settings = settings
        self._visitor_online = visitor_online
        # Per conversation, the socket of the page being shared (the last to send a batch).
        self._sharer: dict[str, str] = {}
        self._store = store
        self._journal = journal
        self._notifier = notifier
        self._timers = timers
        self._streams = PageStreams()
        loop = asyncio.get_running_loop()

        def write_failed(path: Path, _: OSError) -> None:  # on the writer's thread
            conversation_id = path.parent.parent.name  # recordings/<conversation>/cobrowse/…
            loop.call_soon_threadsafe(self._timers.schedule, f"cobrowse-storage:{conversation_id}",
                                      0, lambda: self._storage_failed(conversation_id))

        self._writer = ChunkWriter(on_failure=write_failed)
        self._chunk_files: dict[tuple[str, str], Path] = {}
        # Page sessions on a page the site does not record (e.g. checkout).
        # Conversations whose shared page is one the site does not record, with the page
        # session that went there (its recording_paused, which the resume names). Per
        # conversation, not per page session: a real page load out of a checkout starts a new
        # page session, and that is where recording resumes.
        self._paused: dict[str, str] = {}
        # Conversations whose recording a restart cut, with the page session its gap names:
        # the page's first snapshot to this server closes it.
        self._restarted: dict[str, str | None] = {}
        # The server is shutting down: batches are relayed, not recorded.
        self._stopping = False
        # The origin of the page each sharing shows now (navigation stays within it on a site
        # served from Aisle's own origin, "self").
        self._page_origins: dict[str, str] = {}
        # Site id → (until when, its recording policy).
        self._policies: dict[str, tuple[float, RecordingPolicy]] = {}
        self._pending: dict[tuple[str, str], _Pending] = {}

    async def _conversation(self, conversation_id: str) -> Conversation:
        conv = await self._store.conversations.get(conversation_id)
        if conv is None:
            raise NotFound("no such conversation")
        return conv

    async def _agent_conversation(self, agent: AgentRecord, conversation_id: str
                                  ) -> Conversation:
        conv = await self._conversation(conversation_id)
        access.check(conv.status == "active" and access.can_write(agent, conv),
                     "you are not serving this conversation")
        return conv

    async def _visitor_conversation(self, visitor: Principal, conversation_id: str
                                    ) -> Conversation:
        conv = await self._conversation(conversation_id)
        access.check_visitor(visitor, conv)
        return conv

    async def _log(self, conv: Conversation, kind: str, data: dict[str, object],
                   actor: Actor) -> None:
        await self._journal.append(conv.id, [NewEvent(kind, data, actor)])

    # ---- view consent ---------------------------------------------------------------------

    async def request_view(self, agent: AgentRecord, conversation_id: str) -> Conversation:
        conv = await self._agent_conversation(agent, conversation_id)
        if conv.cobrowse != "off":
            raise Conflict("co-browsing is already requested or on")
        await self._log(conv, "cobrowse_requested", {"agent_id": agent.id}, agent_actor(agent))
        return await self._conversation(conv.id)

    async def answer_view(self, visitor: Principal, actor: Actor, req: cb.ConsentAnswer) -> None:
        conv = await self._visitor_conversation(visitor, req.conversation_id)
        if conv.cobrowse != "requested" or conv.cobrowse_agent_id is None:
            raise Conflict("nobody is asking to see your page")
        if req.allow:
            policy = await self._policy(conv)
            recorded = policy.cobrowse and policy.records_with(req.record)
            await self._log(conv, "cobrowse_started", {"agent_id": conv.cobrowse_agent_id,
                                                       "recorded": recorded}, actor)
            # A gap in the co-browse lane from here, or its end when consent comes back.
            change = await consent.edge(self._store, conv.id, "cobrowse", recorded) \
                if policy.cobrowse else None
            if change is not None:
                await self._log(conv, *change, SYSTEM)
        else:
            await self._log(conv, "cobrowse_ended", {"by": "visitor", "reason": "declined"},
                            actor)

    async def stop(self, conversation_id: str, *, visitor: Principal | None = None,
                   agent: AgentRecord | None = None, actor: Actor) -> None:
        conv = await self._conversation(conversation_id)
        if visitor is not None:
            access.check_visitor(visitor, conv)
        elif agent is not None:
            access.check(access.can_read(agent, conv) and conv.status == "active")
        if conv.cobrowse == "off":
            return
        self._timers.cancel(f"control:{conv.id}")
        await self._log(conv, "cobrowse_ended",
                        {"by": "visitor" if visitor else "agent", "reason": "stopped"}, actor)
        self._end_streams(conv.id)

    async def stop_recording(self, visitor: Principal, actor: Actor,
                             conversation_id: str) -> None:
        """The shopper withdraws their consent: the sharing goes on, unrecorded from here."""
        conv = await self._visitor_conversation(visitor, conversation_id)
        if conv.cobrowse != "on":
            raise Conflict("you are not sharing your page")
        if (await self._policy(conv)).notice != "consent":
            raise Conflict("this store records co-browsing; stop sharing to end it")
        if conv.cobrowse_recorded is not True:
            return  # not recorded: nothing to stop
        await self._log(conv, "recording_paused", {"kind": "cobrowse", "reason": "withdrawn"},
                        actor)
        self._close_chunks(conv.id)

    async def pause_recording(self, agent: AgentRecord, actor: Actor,
                              conversation_id: str) -> None:
        """The agent pauses the recording of the sharing (the shopper shows something private,
        say); it goes on, unrecorded until they resume. The agent serving the conversation."""
        conv = await self._agent_may_record(agent, conversation_id)
        if conv.cobrowse_recorded is not True:
            return  # not recorded: nothing to pause
        await self._log(conv, "recording_paused", {"kind": "cobrowse", "reason": "agent"},
                        actor)
        self._close_chunks(conv.id)

    async def resume_recording(self, agent: AgentRecord, actor: Actor,
                               conversation_id: str) -> None:
        """The agent resumes the recording they paused; never one the shopper stopped."""
        conv = await self._agent_may_record(agent, conversation_id)
        if conv.cobrowse_recorded is not False:
            return  # recorded already (or the log says nothing)
        if not await consent.cobrowse_paused_by_agent(self._store, conv.id):
            raise Conflict("this sharing is not recorded: the shopper did not agree, or "
                           "stopped it")
        await self._log(conv, "recording_resumed", {"kind": "cobrowse", "reason": "agent"},
                        actor)
        # A recording starts with a full snapshot: ask the page for one now.
        await self._notifier.visitors(conversation_room(conv.id), "snapshot_requested",
                                      cb.SnapshotRequested(conversation_id=conv.id))

    async def _agent_may_record(self, agent: AgentRecord, conversation_id: str) -> Conversation:
        conv = await self._conversation(conversation_id)
        if conv.cobrowse != "on":
            raise Conflict("co-browsing is not on")
        if conv.agent_id != agent.id:
            raise Forbidden("the agent serving the conversation pauses the recording")
        return conv

    async def _storage_failed(self, conversation_id: str) -> None:
        """A file of the sharing's recording could not be written (a full disk): the recording
        stops, said in the log (a gap the player shows) and to both sides, rather than batches
        relayed as recorded and lost. The agent may resume it once there is room again."""
        self._close_chunks(conversation_id)
        conv = await self._store.conversations.get(conversation_id)
        if conv is None or conv.cobrowse != "on" or conv.cobrowse_recorded is not True:
            return
        await self._log(conv, "recording_paused", {"kind": "cobrowse", "reason": "storage"},
                        SYSTEM)

    def _end_streams(self, conversation_id: str) -> None:
        self._sharer.pop(conversation_id, None)
        self._timers.cancel(f"cobrowse-page:{conversation_id}")
        self._streams.forget(conversation_id)
        self._page_origins.pop(conversation_id, None)
        self._paused.pop(conversation_id, None)
        self._restarted.pop(conversation_id, None)
        self._close_chunks(conversation_id)

    def _close_chunks(self, conversation_id: str) -> None:
        for key in [k for k in self._chunk_files if k[0] == conversation_id]:
            self._writer.close_file(self._chunk_files.pop(key))

    # ---- control consent ------------------------------------------------------------------

    async def request_control(self, agent: AgentRecord, conversation_id: str) -> None:
        conv = await self._agent_conversation(agent, conversation_id)
        if conv.cobrowse != "on":
            raise Conflict("the shopper is not sharing their page")
        if conv.control != "off":
            raise Conflict("control is already requested or given"
                           + ("" if conv.control_agent_id == agent.id else " to someone else"))
        expires = now_ms() + int(CONTROL_REQUEST_S * 1000)
        await self._log(conv, "control_requested", {"agent_id": agent.id, "expires_at": expires},
                        agent_actor(agent))
        self._timers.schedule(f"control:{conv.id}", CONTROL_REQUEST_S,
                              lambda: self._control_lapsed(conv.id))

    async def _control_lapsed(self, conversation_id: str) -> None:
        conv = await self._conversation(conversation_id)
        if conv.control == "requested" and conv.control_agent_id:
            await self._log(conv, "control_ended",
                            {"agent_id": conv.control_agent_id, "by": "system"}, SYSTEM)

    async def answer_control(self, visitor: Principal, actor: Actor,
                             req: cb.ConsentAnswer) -> None:
        conv = await self._visitor_conversation(visitor, req.conversation_id)
        if conv.control != "requested" or conv.control_agent_id is None:
            raise Conflict("nobody is asking for control (or the request lapsed)")
        self._timers.cancel(f"control:{conv.id}")
        if req.allow:
            await self._log(conv, "control_granted", {"agent_id": conv.control_agent_id}, actor)
        else:
            await self._log(conv, "control_ended",
                            {"agent_id": conv.control_agent_id, "by": "visitor"}, actor)

    async def end_control(self, conversation_id: str, *, visitor: Principal | None = None,
                          agent: AgentRecord | None = None, actor: Actor) -> None:
        """The shopper revokes, or the controlling agent releases."""
        conv = await self._conversation(conversation_id)
        if visitor is not None:
            access.check_visitor(visitor, conv)
        elif agent is not None and conv.control_agent_id != agent.id:
            raise Forbidden("you do not have control")
        if conv.control == "off" or conv.control_agent_id is None:
            return
        self._timers.cancel(f"control:{conv.id}")
        await self._log(conv, "control_ended", {"agent_id": conv.control_agent_id,
                                                "by": "visitor" if visitor else "agent"}, actor)

    # ---- the page's batches ---------------------------------------------------------------

    async def batch(self, visitor: Principal, batch: cb.CobrowseBatch,
                    sid: str | None = None) -> cb.BatchAccepted:
        conv = await self._visitor_conversation(visitor, batch.conversation_id)
        if conv.cobrowse != "on":
            raise Conflict("co-browsing is not on")
        if sid is not None and self._sharer.get(conv.id) != sid:
            self._sharer[conv.id] = sid  # this page shares now (the next page, a reload)
            self._timers.cancel(f"cobrowse-page:{conv.id}")
        try:
            checked = await self._streams.accept(batch)
        except SnapshotNeeded:
            return cb.BatchAccepted(snapshot_needed=True)
        if checked is None:
            return cb.BatchAccepted()
        if checked.href is not None:  # the page being shared, as its snapshot says
            origin = _origin(checked.href)
            if origin is not None:  # (an address Python cannot parse names no origin)
                self._page_origins[conv.id] = origin
        ts = now_ms()
        recorded = await self._store_batch(conv, checked, ts)
        await self._notifier.agents(conversation_room(conv.id), "cobrowse_batch",
                                    cb.BatchRelayed(conversation_id=conv.id,
                                                    session_id=checked.session_id,
                                                    batch_no=checked.batch_no,
                                                    full=checked.full, data=checked.data, ts=ts,
                                                    recorded=recorded))
        return cb.BatchAccepted(recorded=recorded)

    async def socket_gone(self, sid: str, lost: bool = False) -> None:
        """A shopper's page went away. If it was the page being shared, the next page of the
        same tab (or a reload) takes over within moments; if none does while the shopper is
        still on the store in another tab, that tab closed: the sharing ends, and the agent
        may ask again. With no page of theirs left, the shopper is away: the sharing waits
        for them (and ends with the conversation)."""
        for conversation_id in [c for c, sharer in self._sharer.items() if sharer == sid]:
            self._await_page(conversation_id, sid)

    def _await_page(self, conversation_id: str, sid: str) -> None:
        self._timers.schedule(f"cobrowse-page:{conversation_id}",
                              self._settings.cobrowse_page_gone_s,
                              lambda: self._page_gone(conversation_id, sid))

    async def _page_gone(self, conversation_id: str, sid: str) -> None:
        conv = await self._store.conversations.get(conversation_id)
        if conv is None or conv.cobrowse != "on" or self._sharer.get(conversation_id) != sid:
            return
        if not await self._visitor_online(conv.visitor_id):
            return
        self._timers.cancel(f"control:{conv.id}")
        await self._log(conv, "cobrowse_ended", {"by": "system", "reason": "page_closed"},
                        SYSTEM)
        self._end_streams(conv.id)

    async def _policy(self, conv: Conversation) -> RecordingPolicy:
        """The site's recording policy, read again every POLICY_TTL_S: every batch asks, and a
        database read before each relay would be on the agent's view's path."""
        now = time.monotonic()
        cached = self._policies.get(conv.site_id)
        if cached is not None and now < cached[0]:
            return cached[1]
        site = await self._store.sites.get(conv.site_id)
        policy = RecordingPolicy.of(site.settings if site else {})
        self._policies[conv.site_id] = (now + POLICY_TTL_S, policy)
        return policy

    async def site_changed(self, site: SiteRecord) -> None:
        """An edit from the Sites page applies to the next batch, not after POLICY_TTL_S."""
        self._policies.pop(site.id, None)

    async def _store_batch(self, conv: Conversation, checked: CheckedBatch, ts: int) -> bool:
        """Records the batch where the site, the page and the shopper allow; whether it did."""
        policy = await self._policy(conv)
        # The state now, not when the batch came in: a withdrawal in between is honoured.
        # (None: a sharing logged before consent was asked about, recorded as it was then.)
        current = await self._store.conversations.get(conv.id)
        if (self._stopping or not policy.cobrowse or current is None
                or current.cobrowse_recorded is False):
            return False
        session_id, batch_no = checked.session_id, checked.batch_no
        key = (conv.id, session_id)
        # A batch can span addresses (a single-page app moving): it is kept only if none of
        # the pages its events were on is one the site does not record.
        was_paused = conv.id in self._paused
        skipped = (was_paused and not checked.opens_with_href) or any(
            policy.paused_at(href) for href in checked.hrefs)
        if checked.href is not None:
            paused = policy.paused_at(checked.href)
            if paused != was_paused:
                if paused:
                    self._paused[conv.id] = session_id
                    gap_session = session_id
                else:
                    gap_session = self._paused.pop(conv.id)
                kind = "recording_paused" if paused else "recording_resumed"
                # The batch is stored as sent; the page it names in the log, scrubbed (a
                # widget scrubs it already; an older or forged one may not have).
                await self._log(conv, kind, {"kind": "cobrowse", "reason": "url",
                                             "session_id": gap_session,
                                             "url": scrub_address(checked.href[:500])[:500]},
                                SYSTEM)
        if skipped:
            # What follows in this page session is recorded from its next snapshot on.
            if key in self._chunk_files:
                self._writer.close_file(self._chunk_files.pop(key))
            return False
        if checked.full:
            if conv.id in self._restarted:
                await self._log(conv, "recording_resumed", {
                    "kind": "cobrowse", "reason": "restart",
                    "session_id": self._restarted.pop(conv.id)}, SYSTEM)
            if key in self._chunk_files:
                self._writer.close_file(self._chunk_files.pop(key))
            name = f"{session_id}-{batch_no:06d}.cb"
            new_file = self.recordings_dir(conv.id) / "cobrowse" / name
            self._writer.open(new_file)
            self._chunk_files[key] = new_file
            await self._log(conv, "cobrowse_chunk", {"session_id": session_id,
                                                     "file": f"cobrowse/{name}",
                                                     "first_batch": batch_no}, SYSTEM)
        path = self._chunk_files.get(key)
        if path is None:
            return False  # not since a snapshot (a restart): recorded from the next one
        self._writer.append(path, encode_record(batch_no, checked.full, ts, checked.data))
        return True

    def recordings_dir(self, conversation_id: str) -> Path:
        return self._settings.data_dir / "recordings" / conversation_id

    async def request_snapshot(self, agent: AgentRecord, conversation_id: str) -> None:
        conv = await self._conversation(conversation_id)
        access.check(access.can_read(agent, conv))
        if conv.cobrowse != "on":
            raise Conflict("co-browsing is not on")
        await self._notifier.visitors(conversation_room(conv.id), "snapshot_requested",
                                      cb.SnapshotRequested(conversation_id=conv.id))

    # ---- pointer and commands -------------------------------------------------------------

    async def pointer(self, agent: AgentRecord, req: cb.CobrowsePointer) -> None:
        conv = await self._agent_conversation(agent, req.conversation_id)
        if conv.cobrowse != "on":
            raise Conflict("the shopper is not sharing their page")
        await self._notifier.visitors(conversation_room(conv.id), "pointer_moved",
                                      cb.PointerMoved(conversation_id=conv.id,
                                                      agent_name=agent.display_name,
                                                      kind=req.kind, target=req.target,
                                                      points=req.points))

    async def command(self, agent: AgentRecord, req: cb.CobrowseCommand) -> cb.CommandSent:
        conv = await self._agent_conversation(agent, req.conversation_id)
        if conv.control != "on" or conv.control_agent_id != agent.id:
            raise Forbidden("the shopper has not given you control")
        if req.action == "navigate":
            await self._check_same_site(conv, req.url)
        elif req.action in ("click", "type", "select") and req.target is None:
            raise InvalidPayload(f"{req.action} needs a target")
        key = (conv.id, req.command_id)
        value = req.url if req.action == "navigate" else req.value
        self._pending[key] = _Pending(agent.id, req.action,
                                      req.target.node_id if req.target else None, value)
        self._timers.schedule(f"command:{conv.id}:{req.command_id}", COMMAND_TIMEOUT_S,
                              lambda: self._resolve(conv.id, req.command_id, False,
                                                    "the page did not answer"))
        await self._notifier.visitors(conversation_room(conv.id), "cobrowse_command",
                                      cb.CommandRequested(
                                          conversation_id=conv.id, command_id=req.command_id,
                                          agent_name=agent.display_name, action=req.action,
                                          target=req.target, value=req.value, dx=req.dx,
                                          dy=req.dy, url=req.url))
        return cb.CommandSent(command_id=req.command_id)

    async def _check_same_site(self, conv: Conversation, url: str | None) -> None:
        if not url:
            raise InvalidPayload("navigate needs a url")
        origin = _origin(url)
        if origin is None or not origin.startswith(("http://", "https://")):
            raise InvalidPayload("only http(s) addresses")
        site = await self._store.sites.get(conv.site_id)
        allowed = list(site.allowed_origins if site else [])
        if SELF_ORIGIN in allowed and conv.id in self._page_origins:
            # Aisle's own origin, as the shared page has it (the page checks same-origin too).
            allowed.append(self._page_origins[conv.id])
        if origin.lower() not in {a.lower() for a in allowed} and "*" not in allowed:
            raise Forbidden("agents may only navigate within the store")

    async def command_result(self, visitor: Principal, req: cb.CommandResult) -> None:
        conv = await self._visitor_conversation(visitor, req.conversation_id)
        if (conv.id, req.command_id) not in self._pending:
            raise Conflict("no such command is waiting")
        self._timers.cancel(f"command:{conv.id}:{req.command_id}")
        await self._resolve(conv.id, req.command_id, req.ok, req.reason)

    async def _resolve(self, conversation_id: str, command_id: str, ok: bool,
                       reason: str | None) -> None:
        pending = self._pending.pop((conversation_id, command_id), None)
        if pending is None:
            return
        conv = await self._conversation(conversation_id)
        # What the agent typed or chose is not kept: the shared page masks every field's value
        # (the agent's view and the recording show `*`s), and the log, shown in review and
        # exported, must not hold what the recording hides (a name and address typed on a
        # checkout the site does not even record). The page's address is kept, as page views
        # are (card digits masked there too).
        value = pending.value if pending.action == "navigate" else None
        await self._log(conv, "control_action", {
            "agent_id": pending.agent_id, "command_id": command_id, "action": pending.action,
            "node_id": pending.node_id, "value": value, "ok": ok, "reason": reason,
        }, SYSTEM)
        await self._notifier.agents(conversation_room(conversation_id), "command_applied",
                                    cb.CommandApplied(conversation_id=conversation_id,
                                                      command_id=command_id, ok=ok,
                                                      reason=reason))

    # ---- lifecycle ------------------------------------------------------------------------

    def conversation_over(self, conversation_id: str) -> None:
        """The conversation ended or changed hands: drop its streams and pending commands."""
        self._timers.cancel(f"control:{conversation_id}")
        for key in [k for k in self._pending if k[0] == conversation_id]:
            self._timers.cancel(f"command:{key[0]}:{key[1]}")
            del self._pending[key]
        self._end_streams(conversation_id)

    # ---- restarts -------------------------------------------------------------------------

    async def shutdown(self) -> None:
        """The server is stopping (SIGTERM) while pages are shared and recorded: from now on
        nothing is, until the page's first snapshot to the next server. Said in the log as a
        `restart` gap, which the player shows instead of the page frozen as it last was."""
        self._stopping = True  # nothing more is recorded: a snapshot now would be in the gap
        newest = {conversation_id: session_id  # the page session shared last, per sharing
                  for conversation_id, session_id in self._chunk_files}
        for conversation_id, session_id in newest.items():
            conv = await self._store.conversations.get(conversation_id)
            if (conv is not None and conv.cobrowse == "on" and conv.cobrowse_recorded
                    and conversation_id not in self._paused):
                await self._log(conv, "recording_paused", {
                    "kind": "cobrowse", "reason": "restart", "session_id": session_id},
                                SYSTEM)
            self._close_chunks(conversation_id)

    async def recover(self) -> None:
        """At start, the sharings the last server left on: one stopped by a shutdown has its
        `restart` gap open already; one a crash cut off gets it now, from the last batch stored
        on; both are closed by the page's first snapshot here. One on a page the site does not
        record stays paused until the page leaves it, as the log says."""
        for conv in await self._store.conversations.find(status=("active",)):
            if conv.cobrowse != "on":
                continue
            found = restarts.sharing_recording(await self._store.conversations.events_of_types(
                conv.id, restarts.EVENT_TYPES))
            gaps = found.open_gaps
            for session_id, reason in gaps.items():
                if reason == "url":  # the page session the resume will name
                    self._paused[conv.id] = session_id or ""
                elif reason == "restart":
                    self._restarted[conv.id] = session_id
            if not gaps and found.last_chunk is not None and conv.cobrowse_recorded:
                chunk = found.last_chunk
                # From the last batch stored, or (none readable) from when the file began.
                since = await asyncio.to_thread(restarts.last_stored_ms,
                                                self.recordings_dir(conv.id) / chunk.file)
                since = since or found.last_chunk_ms
                await self._log(conv, "recording_paused", {
                    "kind": "cobrowse", "reason": "restart", "session_id": chunk.session_id,
                    "since": since}, SYSTEM)
                self._restarted[conv.id] = chunk.session_id

    def flush(self) -> bool:
        return self._writer.flush()

    async def close(self) -> None:
        self._writer.close()


def _origin(url: str) -> str | None:
    """`scheme://host[:port]` of an address, or None where it does not parse (`urlsplit`
    refuses a bracketed host that is not an IP address, as a forged page may send)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return f"{parts.scheme}://{parts.netloc}"
