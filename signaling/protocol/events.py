"""The conversation log's events. Each is appended with a per-conversation `seq` and the
server's time in ms, is delivered live under its `type` as the Socket.IO event name, and is
what resume and replay read back. Typing and pointer moves are not log events."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from .base import Model
from .calls import (
    CallAcceptedData,
    CallEndedData,
    CallRequestedData,
    CallTrackData,
    MediaRecordedData,
    RecordingRecoveredData,
)
from .cobrowse import (
    ChunkData,
    CobrowseAgentData,
    CobrowseEndedData,
    ControlActionData,
    ControlEndedData,
    ControlRequestedData,
)
from .common import Actor, AgentCard, EndReason, OfflineReason, PrechatFields


class EventBase(Model):
    conversation_id: str
    seq: int
    ts: int
    actor: Actor
    # Narrowed to a Literal and a data model by each event below.
    type: str
    data: Model


# ---- data of each event -------------------------------------------------------------------


class StartedData(Model):
    topic: str
    # The topic as the shopper read it then: recordings keep it when the site renames or
    # drops the topic later.
    topic_label: str | None = None
    team: str
    visitor_id: str
    site_id: str
    fields: PrechatFields = PrechatFields()
    page_url: str | None = None


class QueuedData(Model):
    team: str
    reason: Literal["new", "declined", "offer_expired", "agent_disconnected", "transfer",
                    "agent_unavailable"]
    front: bool = False


class OfferedData(Model):
    agent_id: str
    expires_at: int


class OfferEndedData(Model):
    agent_id: str


class OfferExpiredData(Model):
    agent_id: str
    reason: Literal["timeout", "agent_disconnected", "agent_away"]


class AgentJoinedData(Model):
    agent: AgentCard
    role: Literal["assignee", "supervisor"]


class AgentLeftData(Model):
    agent_id: str
    # unavailable: their account was disabled.
    reason: Literal["transfer", "disconnected", "left", "unavailable"]


class ParticipantData(Model):
    agent_id: str
    role: Literal["observer", "supervisor"]


class TextData(Model):
    client_id: str
    text: str


class ReadData(Model):
    side: Literal["visitor", "agent"]
    up_to_seq: int


class TransferredData(Model):
    from_agent_id: str | None
    to_agent_id: str | None = None
    to_team: str | None = None
    note: str = ""


class OfflineData(Model):
    reason: OfflineReason


class EndedData(Model):
    reason: EndReason
    # visitor_left: when the shopper's last page closed (the end comes a grace period later);
    # what reports count their wait or the conversation's length to.
    left_at: int | None = None


class RatedData(Model):
    rating: int
    comment: str = ""


class ReplyEmailedData(Model):
    # The shopper's address the answers up to this seq were emailed to.
    to: str
    up_to_seq: int


# ---- the events ---------------------------------------------------------------------------


class ConversationStarted(EventBase):
    """The visitor started a conversation on a topic (always seq 1)."""

    type: Literal["conversation_started"] = "conversation_started"
    data: StartedData


class ConversationQueued(EventBase):
    """Waiting in a team's queue (new, handed back, or transferred)."""

    type: Literal["conversation_queued"] = "conversation_queued"
    data: QueuedData


class ConversationOffered(EventBase):
    """Offered to an agent until `expires_at`."""

    type: Literal["conversation_offered"] = "conversation_offered"
    data: OfferedData


class OfferDeclined(EventBase):
    """The agent declined the offer."""

    type: Literal["offer_declined"] = "offer_declined"
    data: OfferEndedData


class OfferExpired(EventBase):
    """The offer lapsed: unanswered, or the agent went away or lost connection."""

    type: Literal["offer_expired"] = "offer_expired"
    data: OfferExpiredData


class AgentJoined(EventBase):
    """An agent took the conversation (assignee) or a supervisor joined it."""

    type: Literal["agent_joined"] = "agent_joined"
    data: AgentJoinedData


class AgentLeft(EventBase):
    """An agent left: transferred it, stayed disconnected past the grace period, or (a
    supervisor) left."""

    type: Literal["agent_left"] = "agent_left"
    data: AgentLeftData


class ParticipantAdded(EventBase):
    """A supervisor started observing."""

    type: Literal["participant_added"] = "participant_added"
    data: ParticipantData


class ParticipantRemoved(EventBase):
    """A supervisor stopped observing."""

    type: Literal["participant_removed"] = "participant_removed"
    data: ParticipantData


class MessageCreated(EventBase):
    """A chat message."""

    type: Literal["message_created"] = "message_created"
    data: TextData


class NoteCreated(EventBase):
    """An internal note between agents."""

    type: Literal["note_created"] = "note_created"
    data: TextData


class MessagesRead(EventBase):
    """One side has read everything up to `up_to_seq`."""

    type: Literal["messages_read"] = "messages_read"
    data: ReadData


class ConversationTransferred(EventBase):
    """Handed to an agent or a team, with a note for them."""

    type: Literal["conversation_transferred"] = "conversation_transferred"
    data: TransferredData


class ConversationWentOffline(EventBase):
    """Nobody can answer now: kept as an offline message to answer later."""

    type: Literal["conversation_offline"] = "conversation_offline"
    data: OfflineData


class ConversationEnded(EventBase):
    """Ended, with the reason."""

    type: Literal["conversation_ended"] = "conversation_ended"
    data: EndedData


class ConversationRated(EventBase):
    """The visitor rated the conversation (CSAT)."""

    type: Literal["conversation_rated"] = "conversation_rated"
    data: RatedData


class CobrowseRequested(EventBase):
    """An agent asked to see the shopper's page."""

    type: Literal["cobrowse_requested"] = "cobrowse_requested"
    data: CobrowseAgentData


class CobrowseStarted(EventBase):
    """The shopper allowed the agent to see their page."""

    type: Literal["cobrowse_started"] = "cobrowse_started"
    data: CobrowseAgentData


class CobrowseEnded(EventBase):
    """Co-browsing stopped (or the request was declined)."""

    type: Literal["cobrowse_ended"] = "cobrowse_ended"
    data: CobrowseEndedData


class ControlRequested(EventBase):
    """An agent asked to control the shopper's page; unanswered it expires at `expires_at`."""

    type: Literal["control_requested"] = "control_requested"
    data: ControlRequestedData


class ControlGranted(EventBase):
    """The shopper let the agent click and type on their page."""

    type: Literal["control_granted"] = "control_granted"
    data: CobrowseAgentData


class ControlEnded(EventBase):
    """Control is over: declined, expired unanswered, revoked by the shopper or released."""

    type: Literal["control_ended"] = "control_ended"
    data: ControlEndedData


class ControlActionApplied(EventBase):
    """A remote-control command and what the shopper's page did with it. `value` is the
    address of a `navigate`; what the agent typed or chose is not kept (the page masks every
    field's value in the agent's view and the recording, and so does the log)."""

    type: Literal["control_action"] = "control_action"
    data: ControlActionData


class CobrowseChunk(EventBase):
    """Co-browse batches are being stored in this file (recording)."""

    type: Literal["cobrowse_chunk"] = "cobrowse_chunk"
    data: ChunkData



class RecordingGapData(Model):
    kind: Literal["cobrowse", "call"]
    # url: a page the site does not record; declined: the shopper did not consent;
    # withdrawn: the shopper stopped the recording of a sharing or call they had consented to;
    # agent: the agent paused it (e.g. while the shopper reads out card details); storage: it
    # could not be written (a full disk), and stopped rather than lose batches unsaid;
    # restart: the server stopped while the page was being recorded, and nothing was recorded
    # until the page's first snapshot to the server that started next (a co-browse resume).
    reason: Literal["url", "policy", "declined", "withdrawn", "agent", "storage", "restart"]
    # url: the page session that went to the unrecorded page; a resume names the same one,
    # also when it is a new page session (a real page load) that came back to recorded pages.
    session_id: str | None = None
    url: str | None = None
    # When the gap began, where that was before the event itself (ms): a restart after a crash
    # is noticed only when the server starts again, and began at the last batch it stored.
    since: int | None = None


class RecordingPaused(EventBase):
    """Recording stopped for a while: the shopper is on a page the site does not record, did
    not consent or withdrew their consent, the agent paused it, or it could not be stored."""

    type: Literal["recording_paused"] = "recording_paused"
    data: RecordingGapData


class RecordingResumed(EventBase):
    """Recording goes on after a pause."""

    type: Literal["recording_resumed"] = "recording_resumed"
    data: RecordingGapData



class CallRequested(EventBase):
    """Someone started a voice, video or screen-share call: the other side is asked."""

    type: Literal["call_requested"] = "call_requested"
    data: CallRequestedData


class CallAccepted(EventBase):
    """The call was answered: both sides join."""

    type: Literal["call_accepted"] = "call_accepted"
    data: CallAcceptedData


class CallEnded(EventBase):
    """The call is over (hung up, declined, unanswered, a participant left…)."""

    type: Literal["call_ended"] = "call_ended"
    data: CallEndedData


class CallTrackAdded(EventBase):
    """A participant started sending a source (microphone, camera, screen)."""

    type: Literal["call_track_added"] = "call_track_added"
    data: CallTrackData


class CallTrackRemoved(EventBase):
    """A participant stopped sending a source."""

    type: Literal["call_track_removed"] = "call_track_removed"
    data: CallTrackData


class MediaRecorded(EventBase):
    """A recorded media file (its state as of this event; later events for the file win)."""

    type: Literal["media_recorded"] = "media_recorded"
    data: MediaRecordedData


class RecordingRecovered(EventBase):
    """After a crash, the call's files were found and marked."""

    type: Literal["recording_recovered"] = "recording_recovered"
    data: RecordingRecoveredData


class ReplyEmailed(EventBase):
    """The agents' answers the shopper had not read were emailed to them (AISLE_SMTP_URL)."""

    type: Literal["reply_emailed"] = "reply_emailed"
    data: ReplyEmailedData


LOG_EVENT_TYPES: tuple[type[EventBase], ...] = (
    ConversationStarted,
    ConversationQueued,
    ConversationOffered,
    OfferDeclined,
    OfferExpired,
    AgentJoined,
    AgentLeft,
    ParticipantAdded,
    ParticipantRemoved,
    MessageCreated,
    NoteCreated,
    MessagesRead,
    ConversationTransferred,
    ConversationWentOffline,
    ConversationEnded,
    ConversationRated,
    CobrowseRequested,
    CobrowseStarted,
    CobrowseEnded,
    ControlRequested,
    ControlGranted,
    ControlEnded,
    ControlActionApplied,
    CobrowseChunk,
    RecordingPaused,
    RecordingResumed,
    CallRequested,
    CallAccepted,
    CallEnded,
    CallTrackAdded,
    CallTrackRemoved,
    MediaRecorded,
    RecordingRecovered,
    ReplyEmailed,
)

LogEvent = Annotated[
    ConversationStarted
    | ConversationQueued
    | ConversationOffered
    | OfferDeclined
    | OfferExpired
    | AgentJoined
    | AgentLeft
    | ParticipantAdded
    | ParticipantRemoved
    | MessageCreated
    | NoteCreated
    | MessagesRead
    | ConversationTransferred
    | ConversationWentOffline
    | ConversationEnded
    | ConversationRated
    | CobrowseRequested
    | CobrowseStarted
    | CobrowseEnded
    | ControlRequested
    | ControlGranted
    | ControlEnded
    | ControlActionApplied
    | CobrowseChunk
    | RecordingPaused
    | RecordingResumed
    | CallRequested
    | CallAccepted
    | CallEnded
    | CallTrackAdded
    | CallTrackRemoved
    | MediaRecorded
    | RecordingRecovered
    | ReplyEmailed,
    Field(discriminator="type"),
]

log_event_adapter: TypeAdapter[LogEvent] = TypeAdapter(LogEvent)

# Events only agents see: the visitor's stream skips them (its seq numbers then have gaps).
# Recording pauses and resumes are the shopper's too: the widget tells them who stopped the
# recording of their page or call (they, the agent, or a server that could not save it).
AGENT_ONLY: frozenset[str] = frozenset(
    {
        "conversation_offered",
        "offer_declined",
        "offer_expired",
        "participant_added",
        "participant_removed",
        "note_created",
        "conversation_transferred",
        "control_action",
        "cobrowse_chunk",
        "media_recorded",
        "recording_recovered",
        "reply_emailed",
    }
)


def event_type_name(cls: type[EventBase]) -> str:
    default = cls.model_fields["type"].default
    if not isinstance(default, str):
        raise TypeError(f"{cls.__name__} has no literal type")
    return default


def data_model(type_name: str) -> type[Model]:
    for cls in LOG_EVENT_TYPES:
        if event_type_name(cls) == type_name:
            annotation = cls.model_fields["data"].annotation
            if not (isinstance(annotation, type) and issubclass(annotation, Model)):
                raise TypeError(f"{cls.__name__}.data is not a model")
            return annotation
    raise KeyError(type_name)
