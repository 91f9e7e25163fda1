"""Co-browsing requests in both namespaces (see cobrowse/service.py)."""

from __future__ import annotations

from ..cobrowse.service import Cobrowse
from ..conversations import Conversations
from ..dispatcher import agent_actor
from ..protocol import cobrowse as cb
from ..protocol import requests as r
from ..protocol.common import Conversation
from ..store import Store
from ..store.agents import AgentRecord
from .agent import AgentSession, current_agent
from .namespace import Namespace
from .visitor import VisitorSession


def install_visitor(ns: Namespace[VisitorSession], cobrowse: Cobrowse,
                    conversations: Conversations) -> None:
    @ns.handler("answer_cobrowse")
    async def answer_cobrowse(s: VisitorSession, req: cb.ConsentAnswer) -> None:
        await cobrowse.answer_view(s.principal, await conversations.visitor_actor(s.principal),
                                   req)

    @ns.handler("stop_cobrowse")
    async def stop_cobrowse(s: VisitorSession, req: r.ConversationRef) -> None:
        await cobrowse.stop(req.conversation_id, visitor=s.principal,
                            actor=await conversations.visitor_actor(s.principal))

    @ns.handler("answer_control")
    async def answer_control(s: VisitorSession, req: cb.ConsentAnswer) -> None:
        await cobrowse.answer_control(s.principal,
                                      await conversations.visitor_actor(s.principal), req)

    @ns.handler("revoke_control")
    async def revoke_control(s: VisitorSession, req: r.ConversationRef) -> None:
        await cobrowse.end_control(req.conversation_id, visitor=s.principal,
                                   actor=await conversations.visitor_actor(s.principal))

    @ns.handler("cobrowse_batch")
    async def cobrowse_batch(s: VisitorSession, req: cb.CobrowseBatch) -> cb.BatchAccepted:
        return await cobrowse.batch(s.principal, req, s.sid)

    @ns.handler("command_result")
    async def command_result(s: VisitorSession, req: cb.CommandResult) -> None:
        await cobrowse.command_result(s.principal, req)


def install_agent(ns: Namespace[AgentSession], cobrowse: Cobrowse, store: Store) -> None:
    async def me(s: AgentSession) -> AgentRecord:
        return await current_agent(store, s)

    @ns.handler("request_cobrowse")
    async def request_cobrowse(s: AgentSession, req: r.ConversationRef) -> Conversation:
        return await cobrowse.request_view(await me(s), req.conversation_id)

    @ns.handler("stop_cobrowse")
    async def stop_cobrowse(s: AgentSession, req: r.ConversationRef) -> None:
        agent = await me(s)
        await cobrowse.stop(req.conversation_id, agent=agent, actor=agent_actor(agent))

    @ns.handler("request_control")
    async def request_control(s: AgentSession, req: r.ConversationRef) -> None:
        await cobrowse.request_control(await me(s), req.conversation_id)

    @ns.handler("release_control")
    async def release_control(s: AgentSession, req: r.ConversationRef) -> None:
        agent = await me(s)
        await cobrowse.end_control(req.conversation_id, agent=agent,
                                   actor=agent_actor(agent))

    @ns.handler("request_snapshot")
    async def request_snapshot(s: AgentSession, req: r.ConversationRef) -> None:
        await cobrowse.request_snapshot(await me(s), req.conversation_id)

    @ns.handler("cobrowse_pointer")
    async def cobrowse_pointer(s: AgentSession, req: cb.CobrowsePointer) -> None:
        await cobrowse.pointer(await me(s), req)

    @ns.handler("cobrowse_command")
    async def cobrowse_command(s: AgentSession, req: cb.CobrowseCommand) -> cb.CommandSent:
        return await cobrowse.command(await me(s), req)
