"""Call requests, the same in both namespaces (see calls/service.py); only who is calling
differs: the visitor, or an agent serving the conversation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from ..calls.service import Calls, Who
from ..conversations import Conversations
from ..dispatcher import agent_actor
from ..notifier import AGENT_NS, VISITOR_NS
from ..protocol import calls as pc
from ..protocol import requests as r
from ..protocol.common import Conversation
from ..store import Store
from .agent import AgentSession, current_agent
from .namespace import Namespace, Session
from .visitor import VisitorSession

S = TypeVar("S", bound=Session)
WhoOf = Callable[[S, str], Awaitable[tuple[Conversation, Who]]]


def _install(ns: Namespace[S], calls: Calls, namespace: str, who: WhoOf[S]) -> None:
    @ns.handler("start_call")
    async def start_call(s: S, req: pc.StartCall) -> pc.CallStarted:
        return await calls.start(*await who(s, req.conversation_id), req.media, req.record)

    @ns.handler("answer_call")
    async def answer_call(s: S, req: pc.AnswerCall) -> None:
        await calls.answer(*await who(s, req.conversation_id), req.accept, req.record)

    @ns.handler("join_call")
    async def join_call(s: S, req: r.ConversationRef) -> pc.Joined:
        return await calls.join(*await who(s, req.conversation_id), namespace, s.sid)

    @ns.handler("call_offer")
    async def call_offer(s: S, req: pc.CallOffer) -> pc.CallAnswer:
        return await calls.offer(*await who(s, req.conversation_id), req)

    @ns.handler("call_candidate")
    async def call_candidate(s: S, req: pc.CallCandidate) -> None:
        await calls.candidate(*await who(s, req.conversation_id), req)

    @ns.handler("hang_up")
    async def hang_up(s: S, req: r.ConversationRef) -> None:
        await calls.hang_up(*await who(s, req.conversation_id))

    @ns.handler("set_call_muted")
    async def set_call_muted(s: S, req: pc.SetMuted) -> None:
        await calls.set_muted(*await who(s, req.conversation_id), req.muted)


def install_visitor(ns: Namespace[VisitorSession], calls: Calls,
                    conversations: Conversations) -> None:
    async def who(s: VisitorSession, conversation_id: str) -> tuple[Conversation, Who]:
        actor = await conversations.visitor_actor(s.principal)
        return await calls.visitor(s.principal, actor, conversation_id)

    _install(ns, calls, VISITOR_NS, who)


def install_agent(ns: Namespace[AgentSession], calls: Calls, store: Store) -> None:
    async def who(s: AgentSession, conversation_id: str) -> tuple[Conversation, Who]:
        agent = await current_agent(store, s)
        return await calls.agent(agent, agent_actor(agent), conversation_id)

    _install(ns, calls, AGENT_NS, who)
