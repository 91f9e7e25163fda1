"""Keeping agents' open sockets in line with their accounts.

A socket whose token the account no longer accepts (disabled, or its sessions ended by a
password reset or `--sign-out`) is told why and closed. So is one whose role changed: what a
role may watch (every queue, the supervisors' dashboard, conversations observed) was decided at
the handshake. A change of teams only moves the socket between team rooms.

A change made in this process (accounts.py) is applied at once. One made by `aisle agents set`
from another process is found by a check of every connected agent against the store every
`account_check_s` seconds. Every request an agent sends is checked as well
(`agent.current_agent`), so nothing is done for them in between."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from ..accounts import EndReason, check_session
from ..errors import Unauthorized
from ..notifier import AGENT_NS, team_room, wire
from ..presence import Presence
from ..protocol import notifications as n
from ..store import Store
from ..store.agents import AgentRecord
from .agent import AgentSession, team_rooms_of
from .namespace import Namespace
from .server import AisleServer

log = logging.getLogger(__name__)


def _refusal(session: AgentSession, record: AgentRecord | None) -> EndReason | None:
    """Why the socket must close, or None when it may stay."""
    try:
        check_session(session.principal, record)
    except Unauthorized:
        return "signed_out" if record is not None and not record.disabled else "account_disabled"
    assert record is not None  # check_session refuses a missing agent
    return "signed_out" if record.role != session.role else None


class AgentSessions:
    def __init__(self, sio: AisleServer, ns: Namespace[AgentSession], store: Store,
                 presence: Presence, check_every_s: float) -> None:
        self._sio = sio
        self._ns = ns
        self._store = store
        self._presence = presence
        self._check_every_s = check_every_s
        self._task: asyncio.Task[None] | None = None
        # What routing reads of the agents, as last checked: a change made elsewhere (`aisle
        # agents set --max-concurrent`) routes the chats waiting, as the Team page's does.
        self._routing_view: frozenset[tuple[str, int, tuple[str, ...], bool]] | None = None

    async def changed(self, agent_id: str | None) -> None:
        """Applies a change of an account (None: of the teams) to open sockets at once."""
        if agent_id is None:
            await self.check()
        else:
            await self._apply({agent_id: await self._store.agents.get(agent_id)})

    async def check(self) -> None:
        """Every connected agent against the store (one query)."""
        if self._ns.sessions:
            records: dict[str, AgentRecord] = {a.id: a for a in await self._store.agents.all()}
            await self._apply({s.principal.id: records.get(s.principal.id)
                               for s in list(self._ns.sessions.values())})
            view = frozenset((a.id, a.max_concurrent, tuple(sorted(a.teams)), a.disabled)
                             for a in records.values())
            if self._routing_view is not None and view != self._routing_view:
                await self._presence.reroute()
            self._routing_view = view

    async def _apply(self, records: dict[str, AgentRecord | None]) -> None:
        all_teams: list[str] | None = None
        for agent_id, record in records.items():
            sessions = [s for s in list(self._ns.sessions.values())
                        if s.principal.id == agent_id]
            closed: EndReason | None = None
            for session in sessions:
                reason = _refusal(session, record)
                if reason is not None:
                    await self._close(session.sid, reason)
                    closed = reason
                elif record is not None:
                    if record.is_supervisor and all_teams is None:
                        all_teams = await self._store.agents.list_teams()
                    teams = (frozenset(all_teams or ()) if record.is_supervisor
                             else await team_rooms_of(self._store, record))
                    await self._move(session, teams)
            if closed:
                log.info("closed the sockets of agent %s: %s", agent_id, closed)
            if record is None or record.disabled:
                if sessions:
                    await self._presence.agent_disabled(agent_id)

    async def _move(self, session: AgentSession, teams: frozenset[str]) -> None:
        if teams == session.teams:
            return
        for team in session.teams - teams:
            await self._sio.leave_room(session.sid, team_room(team), namespace=AGENT_NS)
        for team in teams - session.teams:
            await self._sio.enter_room(session.sid, team_room(team), namespace=AGENT_NS)
        session.teams = teams

    async def _close(self, sid: str, reason: EndReason) -> None:
        await self._sio.emit("session_closed", wire(n.SessionClosed(reason=reason)),
                             to=sid, namespace=AGENT_NS)
        await self._sio.disconnect(sid, namespace=AGENT_NS)

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="agent-sessions")

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._check_every_s)
            try:
                await self.check()
            except Exception:
                log.warning("checking agents' sessions failed", exc_info=True)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
