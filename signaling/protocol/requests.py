"""Requests clients send (imperative names) and the `data` their acks carry on success."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from ..redaction import redact_card_numbers
from .base import ClientId, Email, Id, Model, PageUrl, PersonName, Seq, ShortText
from .common import (
    AgentInfo,
    AgentStatus,
    Conversation,
    ConversationSummary,
    PrechatFields,
    VisitorConversation,
    VisitorProfile,
)
from .events import LogEvent

# What people write to each other: card numbers in it are masked on the way in (redaction.py).
MessageText = Annotated[str, StringConstraints(min_length=1, max_length=4000),
                        AfterValidator(redact_card_numbers)]


# ---- shared by both namespaces --------------------------------------------------------------


class ConversationRef(Model):
    conversation_id: Id


class RecordingRef(Model):
    """The agent pauses or resumes a recording: the call's (the default) or the sharing's."""

    conversation_id: Id
    kind: Literal["cobrowse", "call"] = "call"


class StopRecording(Model):
    """The shopper withdraws the consent to recording they gave for this sharing or call."""

    conversation_id: Id
    kind: Literal["cobrowse", "call"]


class SendMessage(Model):
    conversation_id: Id
    client_id: ClientId
    text: MessageText


class Sent(Model):
    seq: int


class Typing(Model):
    conversation_id: Id
    typing: bool


class MarkRead(Model):
    conversation_id: Id
    up_to_seq: Seq


class GetHistory(Model):
    conversation_id: Id
    before_seq: Seq | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class History(Model):
    events: list[LogEvent]
    has_more: bool


class Resume(Model):
    conversation_id: Id
    after_seq: Seq


class VisitorResumed(Model):
    conversation: VisitorConversation
    events: list[LogEvent]


class AgentResumed(Model):
    conversation: Conversation
    events: list[LogEvent]
    # Whether the shopper has the store open now (later changes come as presence_changed).
    visitor_online: bool | None = None


class Token(Model):
    token: str
    expires_at: int


# ---- visitor ------------------------------------------------------------------------------


class StartConversation(Model):
    topic: Id
    client_id: ClientId
    fields: PrechatFields = PrechatFields()
    # The first message; required when the team is unavailable (it becomes an offline message).
    message: MessageText | None = None
    page_url: PageUrl | None = None


class RateConversation(Model):
    conversation_id: Id
    rating: Annotated[int, Field(ge=1, le=5)]
    comment: Annotated[str, StringConstraints(max_length=2000),
                       AfterValidator(redact_card_numbers)] = ""


class Identify(Model):
    name: Annotated[str, StringConstraints(max_length=100)] | None = None
    email: Email | None = None


class SetContext(Model):
    # Free-form values the store sets (cart value, order id, tier). Size-limited by the server.
    context: dict[str, Any]


class ReportPageView(Model):
    url: PageUrl
    title: ShortText = ""


# ---- agent --------------------------------------------------------------------------------


class SetStatus(Model):
    status: AgentStatus
    # Going away or offline (end of a shift): the agent's open chats go back to the front of
    # their team's queue at once instead of staying theirs.
    hand_back: bool = False


class QueueSnapshot(Model):
    conversations: list[ConversationSummary]


class SendNote(SendMessage):
    pass


class Transfer(Model):
    conversation_id: Id
    to_agent_id: Id | None = None
    to_team: Id | None = None
    note: Annotated[str, StringConstraints(max_length=2000)] = ""

    @model_validator(mode="after")
    def _one_target(self) -> Transfer:
        if (self.to_agent_id is None) == (self.to_team is None):
            raise ValueError("give exactly one of to_agent_id and to_team")
        return self


class MyConversations(Model):
    conversations: list[Conversation]
    offers: list[Conversation]


class GetVisitor(Model):
    visitor_id: Id


class VisitorDetails(Model):
    visitor: VisitorProfile
    conversations: list[ConversationSummary]
    # Connected now (in at least one tab).
    online: bool = False


class SearchConversations(Model):
    """Words of the shopper's name or email address, or of what was written (every word must
    be found), or a conversation id."""

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100)]
    limit: int = Field(default=20, ge=1, le=50)


class ListOffline(Model):
    include_answered: bool = True


class Inbox(Model):
    conversations: list[ConversationSummary]


class CannedResponse(Model):
    id: str
    scope: Literal["personal", "team"]
    team: str | None = None
    shortcut: str
    text: str


class SaveCanned(Model):
    id: Id | None = None
    scope: Literal["personal", "team"]
    team: Id | None = None
    shortcut: Annotated[str, StringConstraints(min_length=1, max_length=32,
                                               pattern=r"^[a-z0-9_\-]+$")]
    text: MessageText


class CannedList(Model):
    responses: list[CannedResponse]


class CannedRef(Model):
    id: Id


class AgentList(Model):
    agents: list[AgentInfo]
    teams: list[str]


class SiteTopic(Model):
    site_id: str
    id: str
    label: str
    team: str


class TopicList(Model):
    """Every site's topics: what the shopper picked, as people read it."""

    topics: list[SiteTopic]


class TeamQueue(Model):
    team: str
    waiting: list[ConversationSummary]
    longest_wait_s: int
    online_agents: int
    capacity: int


class Dashboard(Model):
    queues: list[TeamQueue]
    agents: list[AgentInfo]
    active_conversations: list[ConversationSummary]


class ObserveResult(Model):
    conversation: Conversation
    events: list[LogEvent]
    # Whether the shopper has the store open now, as in AgentResumed.
    visitor_online: bool | None = None


class UpdateProfile(Model):
    display_name: PersonName
