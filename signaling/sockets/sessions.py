"""Closing the sockets of agents whose account no longer accepts their token.

A change made in this process (accounts.py: disabling, a password reset) closes the agent's
sockets at once. One made by `aisle agents set` from another process is found by a check of
every connected agent against the store every `account_check_s` seconds. Every request an agent
sends is checked as well (`agent.current_agent`), so nothing is done for them in between; the
sockets are closed so that they stop receiving their conversations too."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from ..accounts import EndReason, check_session
from ..auth import Principal
from ..errors import Unauthorized
from ..notifier import AGENT_NS, wire
from ..presence import Presence
from ..protocol import notifications as n
from ..store import Store
from ..store.agents import AgentRecord
from .namespace import Namespace
from .server import AisleServer

log = logging.getLogger(__name__)


def _accepted(principal: Principal, record: AgentRecord | None) -> bool:
    try:
        check_session(principal, record)
    except Unauthorized:
        return False
    return True


class AgentSessions:
    def __init__(self, sio: AisleServer, ns: Namespace, store: Store,  # type: ignore[type-arg]
                 presence: Presence, check_every_s: float) -> None:
        self._sio = sio
        self._ns = ns
        self._store = store
        self._presence = presence
        self._check_every_s = check_every_s
        self._task: asyncio.Task[None] | None = None

    async def end(self, agent_id: str, reason: EndReason) -> None:
        """Closes the agent's sockets that their account no longer accepts (after a password
        reset, a socket opened with the new password stays)."""
        record = await self._store.agents.get(agent_id)
        await self._close([sid for sid, s in list(self._ns.sessions.items())
                           if s.principal.id == agent_id and not _accepted(s.principal, record)],
                          agent_id, reason)
        if reason == "account_disabled":
            await self._presence.agent_disabled(agent_id)

    async def check(self) -> None:
        """Every connected agent against the store (one query)."""
        sessions = list(self._ns.sessions.items())
        if not sessions:
            return
        records: dict[str, AgentRecord] = {a.id: a for a in await self._store.agents.all()}
        refused: dict[str, list[str]] = {}
        for sid, session in sessions:
            if not _accepted(session.principal, records.get(session.principal.id)):
                refused.setdefault(session.principal.id, []).append(sid)
        for agent_id, sids in refused.items():
            record = records.get(agent_id)
            reason: EndReason = ("signed_out" if record is not None and not record.disabled
                                 else "account_disabled")
            await self._close(sids, agent_id, reason)
            if reason == "account_disabled":
                await self._presence.agent_disabled(agent_id)

    async def _close(self, sids: list[str], agent_id: str, reason: EndReason) -> None:
        for sid in sids:
            await self._sio.emit("session_closed", wire(n.SessionClosed(reason=reason)),
                                 to=sid, namespace=AGENT_NS)
            await self._sio.disconnect(sid, namespace=AGENT_NS)
        if sids:
            log.info("closed %d socket(s) of agent %s: %s", len(sids), agent_id, reason)

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
