"""Review on the wire (REST, /api/v1/recordings…): the catalogue, one recording's timeline,
annotations, scorecards and scores, export and composed-video jobs."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .base import Model
from .common import Conversation, ConversationStatus, EndReason
from .events import LogEvent

RecordingState = Literal["recording", "complete", "failed", "aborted", "recovered"]


class RecordingSummary(Model):
    conversation_id: str
    site_id: str
    team: str
    topic: str
    topic_label: str | None = None
    agent_id: str | None
    agent_name: str | None
    visitor_id: str
    visitor_name: str | None
    started_at: int
    ended_at: int | None
    duration_s: int
    rating: int | None
    has_call: bool
    has_cobrowse: bool
    messages: int
    annotations: int
    score_ratio: float | None
    # "active", "offline" (a message left, not closed) or "ended", and why it ended.
    status: ConversationStatus
    ended_reason: EndReason | None = None
    # A message left ("offline") whose shopper's last words an agent has answered.
    message_answered: bool = False
    # The first message that matched the search words, for the results list.
    excerpt: str | None = None


class RecordingList(Model):
    recordings: list[RecordingSummary]
    total: int
    # What the asker may find: every recording (supervisors, trainers, admins), the
    # conversations they handled (an agent, where a site lets agents replay their own), or
    # nothing (an agent where no site does).
    scope: Literal["all", "own", "none"] = "all"


class ReviewedAgent(Model):
    """An agent as the catalogue's filters offer them."""

    id: str
    display_name: str
    login: str
    teams: list[str]


class AgentList(Model):
    agents: list[ReviewedAgent]


class MediaFile(Model):
    """One participant's audio/video (or screen) file on the conversation's clock."""

    file: str
    participant: str  # peer id: "visitor" or the agent's id
    participant_name: str | None = None
    source: Literal["microphone", "camera", "screen"]
    kinds: list[Literal["audio", "video"]]
    start_offset_ms: int
    duration_ms: int
    state: RecordingState
    url: str


class CobrowseChunkRef(Model):
    file: str
    session_id: str
    first_batch: int
    start_offset_ms: int
    url: str


class Gap(Model):
    kind: Literal["cobrowse", "call", "all"]
    start_offset_ms: int
    end_offset_ms: int | None
    reason: str


class Manifest(Model):
    conversation_id: str
    clock_origin_ms: int
    state: RecordingState
    participants: list[dict[str, str | None]]
    media: list[MediaFile]
    cobrowse: list[CobrowseChunkRef]
    gaps: list[Gap]


class Annotation(Model):
    id: str
    author_id: str
    author_name: str | None
    at_ms: int
    end_ms: int | None
    text: str
    created_at: int


class NewAnnotation(Model):
    # Conversation ms (a recording of years is still far below the bound).
    at_ms: Annotated[int, Field(ge=0, le=2**53)]
    end_ms: Annotated[int, Field(ge=0, le=2**53)] | None = None
    text: Annotated[str, StringConstraints(min_length=1, max_length=4000)]


class AnnotationEdit(Model):
    """An annotation's words, changed by its author (its moment stays)."""

    text: Annotated[str, StringConstraints(min_length=1, max_length=4000)]


class Criterion(Model):
    id: Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=r"^[a-z0-9_\-]+$")]
    label: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    max: Annotated[int, Field(ge=1, le=10)] = 5


class Scorecard(Model):
    team: str
    criteria: Annotated[list[Criterion], Field(max_length=30)]


class ScorecardUpdate(Model):
    criteria: Annotated[list[Criterion], Field(min_length=1, max_length=30)]


class Score(Model):
    reviewer_id: str
    reviewer_name: str | None
    agent_id: str | None
    team: str
    scores: dict[str, int]
    ratio: float
    comment: str
    created_at: int


class NewScore(Model):
    scores: dict[str, Annotated[int, Field(ge=0, le=10)]]
    comment: Annotated[str, StringConstraints(max_length=4000)] = ""


class Recording(Model):
    conversation: Conversation
    # The conversation's topic as its site names it (None: no longer one of the site's topics).
    topic_label: str | None = None
    manifest: Manifest
    events: list[LogEvent]
    annotations: list[Annotation]
    scorecard: Scorecard
    scores: list[Score]
    # A short-lived token for media and chunk URLs (browsers cannot send headers on <video>).
    media_token: str


class ScoreSummaryRow(Model):
    key: str  # agent id or team
    name: str
    conversations: int
    average_ratio: float
    # Criterion id → its average share of the criterion's maximum, 0..1 (teams' scorecards
    # give the same criterion different maxima).
    per_criterion: dict[str, float]


class ScoreSummary(Model):
    by: Literal["agent", "team"]
    rows: list[ScoreSummaryRow]


class Job(Model):
    id: str
    kind: Literal["compose"]
    conversation_id: str
    state: Literal["queued", "running", "done", "failed"]
    progress: float
    error: str | None = None
    url: str | None = None


class Erasure(Model):
    visitor_id: str
    conversations: int
    files: int
