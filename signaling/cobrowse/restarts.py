"""What a sharing's log says about its recording when the server starts: which gaps are open
(a page the site does not record, a pause, a restart) and which chunk file was being written,
with the time of the last batch stored in it. Read by `Cobrowse.recover`: a recording a crash
cut off gets its `restart` gap from that last batch on."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..protocol.cobrowse import ChunkData
from ..protocol.events import EventBase, RecordingGapData
from .chunks import read_records

log = logging.getLogger(__name__)

# The events `sharing_recording` reads.
EVENT_TYPES = ("cobrowse_started", "cobrowse_chunk", "recording_paused", "recording_resumed")


@dataclass
class SharingRecording:
    # Page session (or None) → the reason of its open co-browse gap.
    open_gaps: dict[str | None, str] = field(default_factory=dict)
    # The chunk file written last in this sharing (relative to the conversation's folder), and
    # when it was opened (its first batch's time).
    last_chunk: ChunkData | None = None
    last_chunk_ms: int | None = None


def sharing_recording(events: Sequence[EventBase]) -> SharingRecording:
    """The current sharing's recording, from its conversation's events of `EVENT_TYPES`."""
    state = SharingRecording()
    for event in events:
        data = event.data
        if event.type == "cobrowse_started":
            state = SharingRecording()
        elif isinstance(data, ChunkData):
            state.last_chunk, state.last_chunk_ms = data, event.ts
        elif isinstance(data, RecordingGapData) and data.kind == "cobrowse":
            if event.type == "recording_paused":
                state.open_gaps.setdefault(data.session_id, data.reason)
            else:
                state.open_gaps.pop(data.session_id, None)
    return state


def last_stored_ms(path: Path) -> int | None:
    """When the last whole batch of a chunk file was stored (None: none, or unreadable)."""
    try:
        records = read_records(path)
    except (OSError, ValueError):
        log.warning("could not read %s to date a restart's gap", path, exc_info=True)
        return None
    if not records:
        return None
    ts = records[-1][0].get("ts")
    return ts if isinstance(ts, int) else None
