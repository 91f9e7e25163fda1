"""Shared shapes: statuses, people as clients see them, conversations in their two views."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from .base import Email, Id, Model, ShortText, Url

ConversationStatus = Literal["queued", "offered", "active", "ended", "offline"]
EndReason = Literal["agent_ended", "visitor_ended", "visitor_left", "closed_offline"]
AgentStatus = Literal["online", "away", "offline"]
Role = Literal["agent", "supervisor", "admin", "trainer"]
ActorKind = Literal["visitor", "agent", "system"]
OfflineReason = Literal["no_agents", "outside_hours"]
ConsentState = Literal["off", "requested", "on"]
CallState = Literal["off", "ringing", "active"]


class Actor(Model):
    kind: ActorKind
    id: str | None = None
    name: str | None = None


class AgentCard(Model):
    """What a visitor sees of an agent."""

    id: str
    display_name: str
    photo_url: str | None = None


class PrechatFields(Model):
    name: Annotated[str, StringConstraints(max_length=100)] | None = None
    email: Email | None = None


class Participant(Model):
    agent_id: str
    role: Literal["observer", "supervisor"]


class QueueInfo(Model):
    position: int
    # None when nobody can take the conversation now.
    estimated_wait_s: int | None


class VisitorConversation(Model):
    """A conversation as its visitor sees it."""

    id: str
    status: ConversationStatus
    topic: str
    agent: AgentCard | None = None
    queue: QueueInfo | None = None
    offline_reason: OfflineReason | None = None
    ended_reason: EndReason | None = None
    rating: int | None = None
    last_seq: int
    created_at: int
    cobrowse: ConsentState = "off"
    control: ConsentState = "off"
    call: CallState = "off"
    call_id: str | None = None
    call_media: Literal["audio", "video", "screen"] | None = None
    call_by: Literal["visitor", "agent"] | None = None
    # Whether the current sharing and call are recorded (None: not on, the site records
    # neither, or a log written before this was said).
    cobrowse_recorded: bool | None = None
    call_recorded: bool | None = None


class Conversation(Model):
    """A conversation as agents and the REST API see it: exactly what replaying its log gives."""

    id: str
    site_id: str
    visitor_id: str
    status: ConversationStatus
    topic: str
    team: str
    agent_id: str | None = None
    offered_agent_id: str | None = None
    participants: list[Participant] = []
    fields: PrechatFields = PrechatFields()
    offline_reason: OfflineReason | None = None
    ended_reason: EndReason | None = None
    rating: int | None = None
    rating_comment: str | None = None
    created_at: int
    queued_at: int | None = None
    assigned_at: int | None = None
    ended_at: int | None = None
    last_seq: int = 0
    visitor_read_seq: int = 0
    agent_read_seq: int = 0
    # Co-browsing: asked, allowed, by whom; remote control likewise (one agent at a time).
    cobrowse: ConsentState = "off"
    cobrowse_agent_id: str | None = None
    control: ConsentState = "off"
    control_agent_id: str | None = None
    # A call: ringing (who asked, for what), then active until it ends.
    call: CallState = "off"
    call_id: str | None = None
    call_media: Literal["audio", "video", "screen"] | None = None
    call_by: Literal["visitor", "agent"] | None = None
    # Whether the current sharing and call are recorded: said when they start, False once the
    # shopper stops the recording (None: not on, or a log written before this was said).
    cobrowse_recorded: bool | None = None
    call_recorded: bool | None = None


class PageView(Model):
    url: Url
    title: ShortText = ""
    at: int


class VisitorProfile(Model):
    id: str
    site_id: str
    name: str | None = None
    email: str | None = None
    current_page: PageView | None = None
    pages_visited: list[PageView] = []
    context: dict[str, Any] = {}
    created_at: int
    last_seen_at: int


class ConversationSummary(Model):
    """A line in a queue, an inbox or a visitor's history."""

    id: str
    site_id: str
    status: ConversationStatus
    topic: str
    team: str
    visitor_id: str
    visitor_name: str | None = None
    agent_id: str | None = None
    created_at: int
    queued_at: int | None = None
    ended_at: int | None = None
    # What the shopper last wrote (an agent's reply is not shown as theirs).
    last_message: str | None = None
    last_seq: int = 0
    # An agent wrote to the shopper in it at some point (a message left answered, or a chat
    # answered live that became a message): the offline inbox says "Unanswered" only if not.
    agent_replied: bool = False
    rating: int | None = None


class AgentInfo(Model):
    """An agent as colleagues and supervisors see them."""

    id: str
    login: str
    display_name: str
    photo_url: str | None = None
    role: Role
    teams: list[str]
    max_concurrent: int
    status: AgentStatus
    connected: bool = False
    load: int = 0


class Topic(Model):
    id: Id
    label: ShortText
    team: Id


class Theme(Model):
    color: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] = "#4f46e5"
    position: Literal["right", "left"] = "right"
    greeting: ShortText = "Hi! How can we help?"


class CobrowseRule(Model):
    """Masking for pages whose URL matches `match` (shell-style, e.g. `*/account*`)."""

    match: Annotated[str, StringConstraints(max_length=500)]
    mask_all_text: bool | None = None
    mask: list[Annotated[str, StringConstraints(max_length=300)]] = []
    block: list[Annotated[str, StringConstraints(max_length=300)]] = []
    unmask: list[Annotated[str, StringConstraints(max_length=300)]] = []


Origin = Annotated[str, StringConstraints(
    max_length=300, pattern=r"^https?://([A-Za-z0-9.\-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$")]


# A query or fragment parameter's name, as the store's addresses write it (`order_ref`).
ParamName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100,
                                             pattern=r"^[^\s&=#?;]+$")]


class CobrowsePolicy(Model):
    rules: list[CobrowseRule] = []
    # Where the store's images, fonts and stylesheets come from besides its own origins (a
    # CDN): the console's CSP lets the co-browse mirror load them.
    asset_origins: list[Origin] = []
    # Parameters whose values the widget hides in page addresses (page views, the chat's start
    # page, the co-browse stream) besides the built-in ones (token, code, session, email…:
    # signaling/addresses.py), compared without case, `-`, `_` or `.`.
    hidden_url_params: Annotated[list[ParamName], Field(max_length=50)] = []


class RecordingNotice(Model):
    """What the shopper is told before co-browsing or a call is recorded."""

    cobrowse: bool
    calls: bool
    mode: Literal["notice", "consent"]


class SiteConfig(Model):
    """What the widget needs to draw itself."""

    name: str
    theme: Theme
    topics: list[Topic]
    cobrowse: CobrowsePolicy = CobrowsePolicy()
    recording: RecordingNotice = RecordingNotice(cobrowse=True, calls=True, mode="notice")
    # False once an admin turned the site off: a widget with no open chat hides itself.
    enabled: bool = True


class TeamAvailability(Model):
    team: str
    available: bool
    reason: OfflineReason | None = None
    estimated_wait_s: int | None = None
    # outside_hours: when the site opens next (unix ms), if within a week.
    opens_at: int | None = None


class Availability(Model):
    teams: list[TeamAvailability] = Field(default_factory=list)
