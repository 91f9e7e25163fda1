"""Who may do what to a conversation. Visitors touch only their own; agents the ones they hold,
are offered, take part in, or (offline messages) belong to their team; supervisors all."""

from __future__ import annotations

from .auth import Principal
from .errors import Forbidden
from .protocol.common import Conversation
from .store.agents import AgentRecord


def check_visitor(principal: Principal, conv: Conversation) -> None:
    if principal.kind != "visitor" or conv.visitor_id != principal.id:
        raise Forbidden("this conversation is not yours")


def is_participant(agent: AgentRecord, conv: Conversation) -> bool:
    """Observing or joined. Both are a supervisor's: an agent demoted since keeps neither."""
    return agent.is_supervisor and any(p.agent_id == agent.id for p in conv.participants)


def joined_as_supervisor(agent: AgentRecord, conv: Conversation) -> bool:
    return agent.is_supervisor and any(p.agent_id == agent.id and p.role == "supervisor"
                                       for p in conv.participants)


def can_read(agent: AgentRecord, conv: Conversation) -> bool:
    return (
        agent.is_supervisor
        or conv.agent_id == agent.id
        or conv.offered_agent_id == agent.id
        or is_participant(agent, conv)
        or (conv.status == "offline" and conv.team in agent.teams)
    )


def can_write(agent: AgentRecord, conv: Conversation) -> bool:
    """Send messages and notes: the assignee, a supervisor who joined, and for an offline
    message anyone of its team (answering it makes them its assignee)."""
    if conv.status == "active":
        return conv.agent_id == agent.id or joined_as_supervisor(agent, conv)
    if conv.status == "offline":
        return conv.agent_id == agent.id or conv.team in agent.teams or agent.is_supervisor
    return False


def can_manage(agent: AgentRecord, conv: Conversation) -> bool:
    """Transfer or end."""
    return conv.agent_id == agent.id or agent.is_supervisor or (
        conv.status == "offline" and conv.team in agent.teams)


def check(allowed: bool, message: str = "you have no access to this conversation") -> None:
    if not allowed:
        raise Forbidden(message)
