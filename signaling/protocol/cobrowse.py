"""Co-browsing on the wire: consent to view and to control, the page's rrweb batches, the agent's
pointer and commands, and what the page did with them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from .base import ClientId, Id, Model, Seq, WebUrl

SessionId = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                             pattern=r"^[A-Za-z0-9_\-]+$")]
Coordinate = Annotated[float, Field(ge=-100_000, le=100_000)]
NodeId = Annotated[int, Field(ge=0, le=2**31)]

# A batch is at most this many bytes as sent (compressed); larger ones come in parts.
MAX_PART_BYTES = 262_144
MAX_PARTS = 64


# ---- log event data -----------------------------------------------------------------------


class CobrowseAgentData(Model):
    agent_id: str
    # On cobrowse_started: whether this sharing is recorded (None in logs written before).
    recorded: bool | None = None


class CobrowseEndedData(Model):
    by: Literal["visitor", "agent", "system"]
    # page_closed: the shared page went away and no page of the shopper's took over while
    # they stayed on the store in another tab.
    reason: Literal["stopped", "declined", "conversation_ended", "agent_left", "page_closed"]


class ControlRequestedData(Model):
    agent_id: str
    expires_at: int


class ControlEndedData(Model):
    agent_id: str
    by: Literal["visitor", "agent", "system"]


ControlAction = Literal["click", "type", "select", "scroll", "navigate"]


class ControlActionData(Model):
    agent_id: str
    command_id: str
    action: ControlAction
    node_id: int | None = None
    # What the agent typed or chose, or the URL; never a value from a masked field (refused).
    value: str | None = None
    ok: bool
    reason: str | None = None


class ChunkData(Model):
    """Where the co-browse batches from `first_batch` on are stored (recordings)."""

    session_id: str
    file: str
    first_batch: int


# ---- requests -----------------------------------------------------------------------------


class ConsentAnswer(Model):
    conversation_id: Id
    allow: bool
    # Where the site asks for consent to recording: whether the shopper gives it (the
    # default, no, records nothing of this sharing). Ignored where the site only notifies.
    record: bool = False


class Target(Model):
    """A place on the shopper's page: the rrweb node id the agent pointed at and where."""

    node_id: NodeId | None = None
    x: Coordinate
    y: Coordinate


class CobrowseCommand(Model):
    conversation_id: Id
    command_id: ClientId
    action: ControlAction
    target: Target | None = None
    value: Annotated[str, StringConstraints(max_length=2000)] | None = None
    # scroll: by how much; navigate: where (same origin as the shopper's page only).
    dx: Coordinate = 0
    dy: Coordinate = 0
    url: WebUrl | None = None


class CommandSent(Model):
    command_id: str


Point = Annotated[list[Coordinate], Field(min_length=2, max_length=2)]
PointerKind = Literal["move", "highlight", "scroll_to", "draw", "clear"]


class CobrowsePointer(Model):
    """The agent's pointer and drawing tools (not logged; they need view consent only)."""

    conversation_id: Id
    kind: PointerKind
    target: Target | None = None
    # draw: a stroke of points in page coordinates, each [x, y] (a JSON array: strict models
    # take no tuple from JSON).
    points: Annotated[list[Point], Field(max_length=500)] = []


class CobrowseBatch(Model):
    """Recorded page events, deflate-compressed (fflate `deflateSync`) JSON array of rrweb
    events, numbered per page session; large batches come in parts."""

    conversation_id: Id
    session_id: SessionId
    batch_no: Seq
    full: bool = False
    part: Annotated[int, Field(ge=0, lt=MAX_PARTS)] = 0
    parts: Annotated[int, Field(ge=1, le=MAX_PARTS)] = 1
    data: Annotated[bytes, Field(max_length=MAX_PART_BYTES)]


class BatchAccepted(Model):
    # Set when the server lost the thread (a gap): send a full snapshot next.
    snapshot_needed: bool = False
    # Whether this batch was recorded (False: the site does not record this page, or co-browsing,
    # or the shopper did not agree to it; None: not said, e.g. with `snapshot_needed`).
    recorded: bool | None = None


class CommandResult(Model):
    conversation_id: Id
    command_id: ClientId
    ok: bool
    reason: Annotated[str, StringConstraints(max_length=200)] | None = None


# ---- notifications ------------------------------------------------------------------------


class BatchRelayed(Model):
    conversation_id: str
    session_id: str
    batch_no: int
    full: bool
    data: bytes
    ts: int
    # Whether this batch was recorded (see BatchAccepted).
    recorded: bool | None = None


class CommandRequested(Model):
    """To the shopper's page: apply this (control consent was given)."""

    conversation_id: str
    command_id: str
    agent_name: str
    action: ControlAction
    target: Target | None = None
    value: str | None = None
    dx: float = 0
    dy: float = 0
    url: str | None = None


class CommandApplied(Model):
    """To agents: what the page did with a command."""

    conversation_id: str
    command_id: str
    ok: bool
    reason: str | None = None


class PointerMoved(Model):
    conversation_id: str
    agent_name: str
    kind: PointerKind
    target: Target | None = None
    points: list[list[float]] = []


class SnapshotRequested(Model):
    conversation_id: str
