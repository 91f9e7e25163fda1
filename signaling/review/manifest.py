"""A conversation's recording manifest: who took part, which media files and co-browse chunks
lie where on the conversation's clock (ms since it started), and the gaps. Built from the log,
so it is always what happened; written as manifest.json beside the files when a conversation
ends (and after crash recovery) for exports and for people with only the folder."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson

from ..protocol.common import Conversation
from ..protocol.events import EventBase
from ..protocol.review import CobrowseChunkRef, Gap, Manifest, MediaFile, RecordingState

# Log events that describe a media file (written by the calls part of signaling).
MEDIA_FILE_EVENT = "media_recorded"
RECOVERED_EVENT = "recording_recovered"

UrlFor = Callable[[str], str]


def build(conv: Conversation, events: Sequence[EventBase], url_for: UrlFor) -> Manifest:
    origin = conv.created_at
    participants: dict[str, dict[str, str | None]] = {}
    media: dict[str, MediaFile] = {}
    chunks: list[CobrowseChunkRef] = []
    gaps: list[Gap] = []
    open_gaps: dict[tuple[str, str | None], Gap] = {}
    recovered = failed = False
    for event in events:
        data: dict[str, Any] = event.data.model_dump()
        if event.type == "conversation_started":
            participants[data["visitor_id"]] = {"kind": "visitor", "id": data["visitor_id"],
                                                "name": event.actor.name}
        elif event.type == "agent_joined":
            agent = data["agent"]
            participants[agent["id"]] = {"kind": "agent", "id": agent["id"],
                                         "name": agent["display_name"]}
        elif event.type == "cobrowse_chunk":
            # Stored from this page session on: a gap for an unrecorded page that another
            # session opened is over (logs written before resumes named the gap's session).
            _close_url_gaps(gaps, open_gaps, event.ts - origin, but=data["session_id"])
            chunks.append(CobrowseChunkRef(
                file=data["file"], session_id=data["session_id"],
                first_batch=data["first_batch"], start_offset_ms=event.ts - origin,
                url=url_for(data["file"])))
        elif event.type == MEDIA_FILE_EVENT:
            entry = MediaFile.model_validate({**data, "url": url_for(data["file"])})
            media[entry.file] = entry
            failed = failed or entry.state == "failed"
        elif event.type == RECOVERED_EVENT:
            recovered = True
        elif event.type == "cobrowse_ended":
            # Sharing over: the next sharing starts from its own page (and a restart's gap
            # that no snapshot closed ends with it).
            _close_url_gaps(gaps, open_gaps, event.ts - origin, reasons=("url", "restart"))
        elif event.type == "call_ended":
            # A call's recording paused (or stopped by the shopper) is not paused beyond it:
            # the next call starts recorded or not by its own consent.
            for key, gap in list(open_gaps.items()):
                if key[0] == "call":
                    del open_gaps[key]
                    gaps[gaps.index(gap)] = gap.model_copy(
                        update={"end_offset_ms": event.ts - origin})
        elif event.type == "recording_paused":
            if (data["kind"], data.get("session_id")) in open_gaps:
                continue  # paused again (say, after a restart): the gap open goes on
            began = min(event.ts, data["since"]) if data.get("since") else event.ts
            gap = Gap(kind=data["kind"], start_offset_ms=began - origin, end_offset_ms=None,
                      reason=data["reason"])
            open_gaps[(data["kind"], data.get("session_id"))] = gap
            gaps.append(gap)
        elif event.type == "recording_resumed":
            paused = open_gaps.pop((data["kind"], data.get("session_id")), None)
            if paused is not None:
                gaps[gaps.index(paused)] = paused.model_copy(
                    update={"end_offset_ms": event.ts - origin})
    state: RecordingState
    if conv.status in ("queued", "offered", "active"):
        state = "recording"
    elif recovered:
        state = "recovered"
    elif failed:
        state = "failed"
    else:
        state = "complete"
    for file in media.values():
        name = participants.get(file.participant, {}).get("name")
        if name and not file.participant_name:
            media[file.file] = file.model_copy(update={"participant_name": name})
    return Manifest(conversation_id=conv.id, clock_origin_ms=origin, state=state,
                    participants=list(participants.values()),
                    media=sorted(media.values(), key=lambda f: f.start_offset_ms),
                    cobrowse=chunks, gaps=gaps)


def _close_url_gaps(gaps: list[Gap], open_gaps: dict[tuple[str, str | None], Gap], at: int,
                    but: str | None = None, reasons: tuple[str, ...] = ("url",)) -> None:
    """Ends the open co-browse gaps for unrecorded pages, or for other `reasons` (but the one
    of page session `but`)."""
    for key, gap in list(open_gaps.items()):
        if key[0] == "cobrowse" and gap.reason in reasons and key[1] != but:
            del open_gaps[key]
            gaps[gaps.index(gap)] = gap.model_copy(update={"end_offset_ms": at})


def write(folder: Path, manifest: Manifest) -> Path:
    """manifest.json beside the recording's files (relative paths, no URLs)."""
    folder.mkdir(parents=True, exist_ok=True)
    body = manifest.model_dump(mode="json")
    for entry in body["media"] + body["cobrowse"]:
        entry.pop("url", None)
    path = folder / "manifest.json"
    # A name of its own per write: two writers at once (the end of the conversation and a
    # compose request) must not rename each other's file away.
    with tempfile.NamedTemporaryFile(dir=folder, prefix="manifest.", suffix=".tmp",
                                     delete=False) as handle:
        handle.write(orjson.dumps(body, option=orjson.OPT_INDENT_2))
    Path(handle.name).replace(path)
    return path
