"""Recording during a conversation: the shopper stops the recording of their sharing or call
(where the site asked for their consent to it); the agent pauses and resumes the recording of
a call or a sharing. The sharing or call goes on. See review/consent.py."""

from __future__ import annotations

from ..calls.service import Calls, Who
from ..cobrowse.service import Cobrowse
from ..conversations import Conversations
from ..dispatcher import agent_actor
from ..protocol import requests as r
from ..protocol.common import Conversation
from ..store import Store
from .agent import AgentSession, current_agent
from .namespace import Namespace
from .visitor import VisitorSession


def install_visitor(ns: Namespace[VisitorSession], cobrowse: Cobrowse, calls: Calls,
                    conversations: Conversations) -> None:
    @ns.handler("stop_recording")
    async def stop_recording(s: VisitorSession, req: r.StopRecording) -> None:
        actor = await conversations.visitor_actor(s.principal)
        if req.kind == "cobrowse":
            await cobrowse.stop_recording(s.principal, actor, req.conversation_id)
        else:
            await calls.stop_recording(*await calls.visitor(s.principal, actor,
                                                            req.conversation_id))


def install_agent(ns: Namespace[AgentSession], calls: Calls, cobrowse: Cobrowse,
                  store: Store) -> None:
    async def who(s: AgentSession, conversation_id: str) -> tuple[Conversation, Who]:
        agent = await current_agent(store, s)
        return await calls.agent(agent, agent_actor(agent), conversation_id)

    @ns.handler("pause_recording")
    async def pause_recording(s: AgentSession, req: r.RecordingRef) -> None:
        if req.kind == "cobrowse":
            agent = await current_agent(store, s)
            await cobrowse.pause_recording(agent, agent_actor(agent), req.conversation_id)
        else:
            await calls.pause_recording(*await who(s, req.conversation_id))

    @ns.handler("resume_recording")
    async def resume_recording(s: AgentSession, req: r.RecordingRef) -> None:
        if req.kind == "cobrowse":
            agent = await current_agent(store, s)
            await cobrowse.resume_recording(agent, agent_actor(agent), req.conversation_id)
        else:
            await calls.resume_recording(*await who(s, req.conversation_id))
