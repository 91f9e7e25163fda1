"""The conversation's state as a fold over its log: `apply(state, event)`. The service stores the
result of this fold, so "replaying the log gives the state the API returns" holds by construction,
and a test checks it."""

from __future__ import annotations

from collections.abc import Iterable

from .protocol.common import Conversation, Participant
from .protocol.events import (
    AgentJoined,
    AgentLeft,
    CallAccepted,
    CallEnded,
    CallRequested,
    CobrowseEnded,
    CobrowseRequested,
    CobrowseStarted,
    ControlEnded,
    ControlGranted,
    ControlRequested,
    ConversationEnded,
    ConversationOffered,
    ConversationQueued,
    ConversationRated,
    ConversationStarted,
    ConversationTransferred,
    ConversationWentOffline,
    EventBase,
    MessagesRead,
    OfferDeclined,
    OfferExpired,
    ParticipantAdded,
    ParticipantRemoved,
    RecordingPaused,
    RecordingResumed,
)


class InvalidTransition(Exception):
    """An event that cannot follow the current state: a bug in the caller, never user input."""


def apply(state: Conversation | None, event: EventBase) -> Conversation:
    if state is None:
        if not isinstance(event, ConversationStarted):
            raise InvalidTransition(f"log must start with conversation_started, got {event}")
        d = event.data
        return Conversation(
            id=event.conversation_id, site_id=d.site_id, visitor_id=d.visitor_id,
            status="queued", topic=d.topic, team=d.team, fields=d.fields,
            created_at=event.ts, queued_at=event.ts, last_seq=event.seq,
        )
    if event.seq != state.last_seq + 1:
        raise InvalidTransition(f"seq {event.seq} after {state.last_seq}")
    if event.type in _LOG_ONLY:  # the chat path: nothing but the seq moves
        return state.model_copy(update={"last_seq": event.seq})
    update: dict[str, object] = {"last_seq": event.seq}

    match event:
        case ConversationQueued():
            update |= {"status": "queued", "team": event.data.team, "offered_agent_id": None,
                       "agent_id": None, "offline_reason": None}
            if state.status != "offered":
                update["queued_at"] = event.ts
        case ConversationOffered():
            update |= {"status": "offered", "offered_agent_id": event.data.agent_id}
        case OfferDeclined() | OfferExpired():
            update |= {"status": "queued", "offered_agent_id": None}
        case AgentJoined() if event.data.role == "assignee":
            update |= {"status": "active" if state.status != "offline" else "offline",
                       "agent_id": event.data.agent.id, "offered_agent_id": None,
                       "assigned_at": event.ts}
        case AgentJoined():
            update["participants"] = _with_participant(
                state.participants, Participant(agent_id=event.data.agent.id, role="supervisor")
            )
        case AgentLeft():
            if state.agent_id == event.data.agent_id:
                update["agent_id"] = None
            update["participants"] = [
                p for p in state.participants if p.agent_id != event.data.agent_id
            ]
        case ParticipantAdded():
            update["participants"] = _with_participant(
                state.participants, Participant(agent_id=event.data.agent_id,
                                                role=event.data.role)
            )
        case ParticipantRemoved():
            update["participants"] = [
                p for p in state.participants if p.agent_id != event.data.agent_id
            ]
        case ConversationTransferred():
            pass  # followed by agent_left and queued/offered events that carry the state
        case ConversationWentOffline():
            update |= {"status": "offline", "offline_reason": event.data.reason,
                       "offered_agent_id": None}
        case MessagesRead():
            if event.data.side == "visitor":
                update["visitor_read_seq"] = max(state.visitor_read_seq, event.data.up_to_seq)
            else:
                update["agent_read_seq"] = max(state.agent_read_seq, event.data.up_to_seq)
        case ConversationEnded():
            update |= {"status": "ended", "ended_reason": event.data.reason,
                       "ended_at": event.ts, "offered_agent_id": None, "participants": [],
                       **_NO_COBROWSE, **_NO_CALL}
        case CobrowseRequested():
            update |= {"cobrowse": "requested", "cobrowse_agent_id": event.data.agent_id}
        case CobrowseStarted():
            update |= {"cobrowse": "on", "cobrowse_agent_id": event.data.agent_id,
                       "cobrowse_recorded": event.data.recorded}
        case CobrowseEnded():
            update |= _NO_COBROWSE
        case ControlRequested():
            update |= {"control": "requested", "control_agent_id": event.data.agent_id}
        case ControlGranted():
            update |= {"control": "on", "control_agent_id": event.data.agent_id}
        case ControlEnded():
            update |= {"control": "off", "control_agent_id": None}
        case CallRequested():
            update |= {"call": "ringing", "call_id": event.data.call_id,
                       "call_media": event.data.media, "call_by": event.data.by}
        case CallAccepted():
            update |= {"call": "active", "call_recorded": event.data.recorded}
        case CallEnded():
            update |= _NO_CALL
        case RecordingPaused() if event.data.reason in ("withdrawn", "agent", "storage"):
            key = "cobrowse_recorded" if event.data.kind == "cobrowse" else "call_recorded"
            update[key] = False
        case RecordingResumed() if event.data.reason == "agent":
            key = "cobrowse_recorded" if event.data.kind == "cobrowse" else "call_recorded"
            update[key] = True
        case ConversationRated():
            update |= {"rating": event.data.rating, "rating_comment": event.data.comment}
        case _:
            pass  # messages, notes, presence: the log holds them; the state does not change
    return state.model_copy(update=update)


# Events the log holds without the state changing (beyond last_seq).
_LOG_ONLY = frozenset({"message_created", "note_created", "cobrowse_chunk", "control_action",
                       "media_recorded", "call_track_added", "call_track_removed",
                       "conversation_transferred",
                       "recording_recovered", "reply_emailed"})

_NO_COBROWSE = {"cobrowse": "off", "cobrowse_agent_id": None, "control": "off",
                "control_agent_id": None, "cobrowse_recorded": None}
_NO_CALL = {"call": "off", "call_id": None, "call_media": None, "call_by": None,
            "call_recorded": None}


def _with_participant(participants: list[Participant], new: Participant) -> list[Participant]:
    return [p for p in participants if p.agent_id != new.agent_id] + [new]


def replay(events: Iterable[EventBase]) -> Conversation:
    state: Conversation | None = None
    for event in events:
        state = apply(state, event)
    if state is None:
        raise InvalidTransition("empty log")
    return state
