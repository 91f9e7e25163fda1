"""Who says whether a sharing or call is recorded, beyond the site's policy. Where a site asks
for consent, a sharing or call without it is not recorded (a gap opens: "declined"), and one the
shopper stops recording stops being recorded ("withdrawn"); an agent may pause a call's
recording ("agent") and resume it, unless the shopper withdrew; a sharing's or call's
recording that could not be written stops ("storage") and the agent may resume it too. A later
sharing or call recorded closes the gap. Co-browsing and calls log these edges through `edge`,
so the review timeline gets one gap per stretch of each lane, whatever the number of sharings
or calls in it."""

from __future__ import annotations

from typing import Any, Literal

from ..protocol.events import RecordingGapData
from ..store import Store

Lane = Literal["cobrowse", "call"]
# Gaps a later recorded sharing or call closes (those for a page or a policy have their own).
_CONSENT_REASONS = frozenset({"declined", "withdrawn", "agent", "storage"})


async def open_gap(store: Store, conversation_id: str, lane: Lane) -> str | None:
    """The reason of the lane's open consent gap, or None when it is recorded (or never was
    asked about)."""
    reason: str | None = None
    for event in await store.conversations.events_of_types(
            conversation_id, ("recording_paused", "recording_resumed")):
        data = event.data
        if not isinstance(data, RecordingGapData) or data.kind != lane \
                or data.reason not in _CONSENT_REASONS:
            continue
        reason = data.reason if event.type == "recording_paused" else None
    return reason


async def paused_by_agent(store: Store, conversation_id: str, call_id: str) -> bool:
    """Whether the agent paused this call's recording, or it stopped because it could not be
    written (and nothing has changed it since): the agent may resume those."""
    events = await store.conversations.events_of_types(
        conversation_id, ("call_accepted", "recording_paused", "recording_resumed"))
    for event in reversed(events):
        data = event.data
        if isinstance(data, RecordingGapData):
            if data.kind == "call":
                return event.type == "recording_paused" and data.reason in ("agent", "storage")
        elif getattr(data, "call_id", None) == call_id:
            return False  # accepted, and not paused since
    return False


async def cobrowse_paused_by_agent(store: Store, conversation_id: str) -> bool:
    """Whether the agent paused the recording of the sharing under way, or it stopped because
    it could not be written (and nothing has changed it since): the agent may resume those.
    Pages the site does not record pause and resume on their own."""
    events = await store.conversations.events_of_types(
        conversation_id, ("cobrowse_started", "recording_paused", "recording_resumed"))
    for event in reversed(events):
        data = event.data
        if isinstance(data, RecordingGapData):
            if data.kind == "cobrowse" and data.reason not in ("url", "policy"):
                return (event.type == "recording_paused"
                        and data.reason in ("agent", "storage"))
        else:
            return False  # started, and not paused since
    return False


async def edge(store: Store, conversation_id: str, lane: Lane,
               recorded: bool) -> tuple[str, dict[str, Any]] | None:
    """The event to log when a sharing or call starts recorded or not, if the lane changes."""
    gap = await open_gap(store, conversation_id, lane)
    if recorded and gap is not None:
        return "recording_resumed", {"kind": lane, "reason": gap}
    if not recorded and gap is None:
        return "recording_paused", {"kind": lane, "reason": "declined"}
    return None
