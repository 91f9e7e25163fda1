"""Agents' accounts: whose session is still good, and managing agents and teams from the
browser (what `aisle agents` and `aisle teams` do from a shell).

An agent token carries the account's `token_version`. A disabled account, or a token of an
older version, is refused everywhere an agent is recognised (socket handshake, every request,
REST, token refresh). Disabling an agent or resetting their password raises the version, so
every token issued before stops working, and `on_sessions_ended` closes their open sockets at
once (`sockets/sessions.py`; a change made by the CLI from another process is picked up by its
periodic check).

Supervisors and admins manage accounts. A supervisor manages agents and trainers only; an admin
manages everyone. Nobody disables their own account or changes their own role, so a team is
never left without the person who could undo it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Literal

from sqlalchemy.exc import IntegrityError

from .auth import Principal, hash_password, new_password
from .conversations import Conversations
from .errors import Conflict, Forbidden, InvalidPayload, NotFound, Unauthorized
from .presence import Presence
from .protocol import accounts as ac
from .protocol.common import Role
from .settings import Settings
from .store import Store
from .store.agents import AgentRecord
from .views import photo_url

log = logging.getLogger(__name__)

EndReason = Literal["account_disabled", "signed_out"]
_SUPERVISOR_MANAGES: tuple[Role, ...] = ("agent", "trainer")
_ADMIN_MANAGES: tuple[Role, ...] = ("agent", "trainer", "supervisor", "admin")


def check_session(principal: Principal, record: AgentRecord | None) -> AgentRecord:
    """The agent behind an agent token, if their account still accepts it."""
    if record is None:
        raise Unauthorized("this agent no longer exists")
    if record.disabled:
        raise Unauthorized("this account is disabled", reason="account_disabled")
    if principal.version != record.token_version:
        raise Unauthorized("this session was ended: sign in again", reason="signed_out")
    return record


def manageable_roles(actor: AgentRecord) -> tuple[Role, ...]:
    if actor.role == "admin":
        return _ADMIN_MANAGES
    if actor.role == "supervisor":
        return _SUPERVISOR_MANAGES
    return ()


class Accounts:
    def __init__(self, settings: Settings, store: Store, presence: Presence,
                 conversations: Conversations) -> None:
        self._settings = settings
        self._store = store
        self._presence = presence
        self._conversations = conversations
        # One change at a time, each checking its actor afresh: two admins disabling each
        # other at the same moment must not leave nobody to undo it.
        self._lock = asyncio.Lock()
        # Called after an account changed (with its id) or the teams did (None): open sockets
        # follow (sockets/sessions.py).
        self.on_changed: list[Callable[[str | None], Awaitable[None]]] = []

    async def overview(self, actor: AgentRecord) -> ac.AccountList:
        roles = self._manager(actor)
        records = sorted(await self._store.agents.all(),
                         key=lambda a: (a.disabled, a.display_name.lower()))
        presence = await self._presence.agents_presence()
        return ac.AccountList(
            accounts=[self._account(r, presence.get(r.id) is not None
                                    and presence[r.id].connections > 0) for r in records],
            teams=await self._store.agents.list_teams(), manageable_roles=list(roles))

    async def create(self, actor: AgentRecord, req: ac.NewAccount) -> ac.AccountPassword:
        async with self._lock:
            return await self._create(await self._fresh(actor), req)

    async def _create(self, actor: AgentRecord, req: ac.NewAccount) -> ac.AccountPassword:
        self._may_give(actor, req.role)
        taken = {a.login.casefold() for a in await self._store.agents.all()}
        if req.login.casefold() in taken:  # "Agent" beside "agent" would be a lookalike
            raise Conflict(f"the login {req.login!r} is taken", field="login")
        await self._known_teams(req.teams)
        password = new_password()
        try:
            record = await self._store.agents.create(
                login=req.login, password_hash=hash_password(password),
                display_name=req.display_name, role=req.role, max_concurrent=req.max_concurrent,
                teams_=list(dict.fromkeys(req.teams)))
        except IntegrityError:  # the same login, created meanwhile
            raise Conflict(f"the login {req.login!r} is taken", field="login") from None
        log.info("%s created the account %s (%s)", actor.id, record.id, record.role)
        await self._audit(actor, "account_created", record, role=record.role)
        return ac.AccountPassword(account=self._account(record, False), password=password)

    async def change(self, actor: AgentRecord, agent_id: str,
                     req: ac.AccountChanges) -> ac.Account:
        async with self._lock:
            actor = await self._fresh(actor)
            target = await self._target(actor, agent_id)
            if target.id == actor.id and (req.disabled or req.teams is not None
                                          or (req.role and req.role != actor.role)):
                raise Forbidden("you cannot disable your own account or change your own role "
                                "or teams: ask another supervisor or an admin")
            if req.role is not None and req.role != target.role:
                self._may_give(actor, req.role)
            if target.role == "admin" and not target.disabled and (
                    req.disabled or (req.role is not None and req.role != "admin")):
                await self._not_the_last_admin(target.id)
            if req.teams is not None:
                await self._known_teams(req.teams)
            values: dict[str, object] = {}
            if req.display_name is not None:
                values["display_name"] = req.display_name
            if req.role is not None:
                values["role"] = req.role
            if req.max_concurrent is not None:
                values["max_concurrent"] = req.max_concurrent
            disabling = req.disabled is True and not target.disabled
            if req.disabled is not None:
                values["disabled"] = req.disabled
            if disabling:
                values["status"] = "offline"
            if values:
                await self._store.agents.update(target.id, **values)
            if req.teams is not None:
                await self._store.agents.set_teams(target.id, list(dict.fromkeys(req.teams)))
            if disabling:
                # Raised too, so that enabling the account later does not revive old sessions.
                await self._store.agents.end_sessions(target.id)
                log.info("%s disabled the account %s", actor.id, target.id)
            elif req.disabled is False and target.disabled:
                log.info("%s enabled the account %s", actor.id, target.id)
            changed_fields = sorted([*values.keys() - {"status"},
                                     *(["teams"] if req.teams is not None else [])])
            if changed_fields:
                await self._audit(actor, "account_changed", target, changes=changed_fields,
                                  **({"role": req.role} if "role" in values else {}),
                                  **({"disabled": req.disabled} if "disabled" in values else {}))
        changed = await self._store.agents.get(target.id)
        if changed is not None and target.is_supervisor and not changed.is_supervisor:
            await self._leave_watched(changed)
        await self._changed(target.id)
        if req.max_concurrent is not None or req.teams is not None:
            await self._presence.reroute()  # more room, or new teams: someone may be waiting
        return await self._view(target.id)

    async def reset_password(self, actor: AgentRecord, agent_id: str) -> ac.AccountPassword:
        async with self._lock:
            actor = await self._fresh(actor)
            target = await self._target(actor, agent_id)
            password = new_password()
            await self._store.agents.update(target.id, password_hash=hash_password(password))
            await self._store.agents.end_sessions(target.id)
        log.info("%s reset the password of %s", actor.id, target.id)
        await self._audit(actor, "password_reset", target)
        await self._changed(target.id)
        return ac.AccountPassword(account=await self._view(target.id), password=password)

    async def create_team(self, actor: AgentRecord, req: ac.NewTeam) -> ac.AccountList:
        self._manager(actor)
        try:
            await self._store.agents.create_team(req.name)  # Conflict: it exists, in any case
        except IntegrityError:  # created meanwhile
            raise Conflict(f"the team {req.name!r} exists already", field="name") from None
        log.info("%s created the team %s", actor.id, req.name)
        await self._changed(None)  # supervisors follow every team's queue
        return await self.overview(actor)

    # ---- helpers --------------------------------------------------------------------------

    async def _fresh(self, actor: AgentRecord) -> AgentRecord:
        """The actor as stored now: a change made while their request waited may have
        disabled or demoted them."""
        record = await self._store.agents.get(actor.id)
        if record is None or record.disabled:
            raise Unauthorized("this account is disabled", reason="account_disabled")
        return record

    async def _audit(self, actor: AgentRecord, action: str, target: AgentRecord,
                     **details: object) -> None:
        """Who changed whose account, in the audit log admins read (no password in it). The
        change is made already: an audit row that cannot be written is logged, and the change
        (a new password to hand over, say) still answered."""
        try:
            await self._store.review.audit(actor.id, action, {
                "login": actor.login, "agent_id": target.id, "account": target.login,
                **details})
        except Exception:
            log.exception("audit of %s by %s on %s not written", action, actor.id, target.id)

    async def _not_the_last_admin(self, admin_id: str) -> None:
        others = [a for a in await self._store.agents.all()
                  if a.role == "admin" and not a.disabled and a.id != admin_id]
        if not others:
            raise Conflict("this is the last admin: make someone else an admin first")

    async def _leave_watched(self, agent: AgentRecord) -> None:
        """A supervisor demoted: the conversations they observed or joined let them go, as if
        they had left (their entries would mislead the others)."""
        for conv in await self._store.conversations.find(status=["active", "offline"],
                                                         limit=100_000):
            if any(p.agent_id == agent.id for p in conv.participants):
                await self._conversations.leave(agent, conv.id)

    @staticmethod
    def _manager(actor: AgentRecord) -> tuple[Role, ...]:
        roles = manageable_roles(actor)
        if not roles:
            raise Forbidden("supervisors and admins manage accounts")
        return roles

    def _may_give(self, actor: AgentRecord, role: Role) -> None:
        if role not in self._manager(actor):
            raise Forbidden(f"only an admin can give the role {role}")

    async def _target(self, actor: AgentRecord, agent_id: str) -> AgentRecord:
        roles = self._manager(actor)
        target = await self._store.agents.get(agent_id) if len(agent_id) <= 64 else None
        if target is None:
            raise NotFound("no such agent")
        if target.id != actor.id and target.role not in roles:
            raise Forbidden(f"only an admin can change a {target.role}'s account")
        return target

    async def _known_teams(self, teams: list[str]) -> None:
        unknown = sorted(set(teams) - set(await self._store.agents.list_teams()))
        if unknown:
            raise InvalidPayload(f"unknown teams: {', '.join(unknown)}", teams=unknown)

    async def _view(self, agent_id: str) -> ac.Account:
        record = await self._store.agents.get(agent_id)
        if record is None:
            raise NotFound("no such agent")
        presence = (await self._presence.agents_presence()).get(agent_id)
        return self._account(record, presence is not None and presence.connections > 0)

    @staticmethod
    def _account(record: AgentRecord, connected: bool) -> ac.Account:
        return ac.Account(id=record.id, login=record.login, display_name=record.display_name,
                          photo_url=photo_url(record), role=record.role,
                          teams=list(record.teams), max_concurrent=record.max_concurrent,
                          disabled=record.disabled, connected=connected)

    async def _changed(self, agent_id: str | None) -> None:
        for hook in self.on_changed:
            await hook(agent_id)
