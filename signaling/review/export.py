"""Export of one conversation as a zip: the manifest, the transcript as text and JSON, the
co-browse events, and the media files as recorded. Built in a worker thread into a temporary
file, which the response streams and then removes."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import orjson

from ..protocol.common import Conversation
from ..protocol.events import EventBase
from ..protocol.review import Manifest
from .service import Review, recording_file

# Bookkeeping, not the story of the conversation (transcript.json keeps every event).
_QUIET = frozenset({"messages_read", "cobrowse_chunk", "media_recorded", "call_track_added",
                    "call_track_removed", "recording_recovered"})


def _line(event: EventBase, names: dict[str, str]) -> str:
    """What a person reads of an event that is not a message."""
    data = event.data.model_dump()
    who = event.actor.name or event.actor.kind
    match event.type:
        case "agent_joined":
            agent = data.get("agent") or {}
            names[agent.get("id", "")] = agent.get("display_name", "an agent")
            role = " (supervisor)" if data.get("role") == "supervisor" else ""
            return f"{agent.get('display_name', 'An agent')} joined{role}"
        case "agent_left":
            name = names.get(data.get("agent_id", ""), "The agent")
            return f"{name} left ({str(data.get('reason', '')).replace('_', ' ')})"
        case "conversation_transferred":
            to = data.get("to_team") or names.get(data.get("to_agent_id") or "", "a colleague")
            note = f": “{data['note']}”" if data.get("note") else ""
            return f"{who} transferred it to {to}{note}"
        case "conversation_ended":
            return f"Ended ({str(data.get('reason', '')).replace('_', ' ')})"
        case "conversation_offline":
            return f"Left as a message ({str(data.get('reason', '')).replace('_', ' ')})"
        case "conversation_rated":
            comment = f": “{data['comment']}”" if data.get("comment") else ""
            return f"Rated {data.get('rating')}/5{comment}"
        case "reply_emailed":
            return f"Answers emailed to {data.get('to')}"
    return event.type.replace("_", " ")


def transcript_text(conv: Conversation, events: Sequence[EventBase]) -> str:
    lines = [f"Conversation {conv.id} — topic {conv.topic}, team {conv.team}",
             f"Started {datetime.fromtimestamp(conv.created_at / 1000, UTC):%Y-%m-%d %H:%M:%S} UTC",
             ""]
    names: dict[str, str] = {}
    for event in events:
        if event.type in _QUIET:
            continue
        offset = (event.ts - conv.created_at) // 1000
        stamp = f"[{offset // 3600:02d}:{offset % 3600 // 60:02d}:{offset % 60:02d}]"
        who = event.actor.name or event.actor.kind
        if event.type in ("message_created", "note_created"):
            text = getattr(event.data, "text", "")
            note = " (internal note)" if event.type == "note_created" else ""
            lines.append(f"{stamp} {who}{note}: {text}")
        else:
            lines.append(f"{stamp} — {_line(event, names)}")
    if conv.rating is not None:
        lines += ["", f"Rating: {conv.rating}/5 {conv.rating_comment or ''}".rstrip()]
    return "\n".join(lines) + "\n"


def build_zip(folder: Path, conv: Conversation, events: Sequence[EventBase],
              manifest: Manifest, review: dict[str, object] | None = None) -> Path:
    """`review`: the reviewers' annotations and scores, written as review.json."""
    handle = tempfile.NamedTemporaryFile(prefix=f"aisle-{conv.id}-", suffix=".zip",
                                         delete=False)
    handle.close()
    path = Path(handle.name)
    body = manifest.model_dump(mode="json")
    for entry in body["media"] + body["cobrowse"]:
        entry.pop("url", None)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", orjson.dumps(body, option=orjson.OPT_INDENT_2))
        archive.writestr("transcript.txt", transcript_text(conv, events))
        archive.writestr("transcript.json", orjson.dumps(
            [e.model_dump(mode="json") for e in events], option=orjson.OPT_INDENT_2))
        if review is not None:
            archive.writestr("review.json", orjson.dumps(review, option=orjson.OPT_INDENT_2))
        for chunk in manifest.cobrowse:
            source = recording_file(folder, chunk.file)
            archive.writestr(f"{chunk.file.removesuffix('.cb')}.json",
                             Review.decode_chunk(source))
        for media in manifest.media:
            # Already compressed: stored as they are.
            archive.write(recording_file(folder, media.file), media.file,
                          compress_type=zipfile.ZIP_STORED)
    return path
