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


def transcript_text(conv: Conversation, events: Sequence[EventBase]) -> str:
    lines = [f"Conversation {conv.id} — topic {conv.topic}, team {conv.team}",
             f"Started {datetime.fromtimestamp(conv.created_at / 1000, UTC):%Y-%m-%d %H:%M:%S} UTC",
             ""]
    for event in events:
        offset = (event.ts - conv.created_at) // 1000
        stamp = f"[{offset // 3600:02d}:{offset % 3600 // 60:02d}:{offset % 60:02d}]"
        who = event.actor.name or event.actor.kind
        if event.type in ("message_created", "note_created"):
            text = getattr(event.data, "text", "")
            note = " (internal note)" if event.type == "note_created" else ""
            lines.append(f"{stamp} {who}{note}: {text}")
        else:
            lines.append(f"{stamp} — {event.type.replace('_', ' ')}")
    if conv.rating is not None:
        lines += ["", f"Rating: {conv.rating}/5 {conv.rating_comment or ''}".rstrip()]
    return "\n".join(lines) + "\n"


def build_zip(folder: Path, conv: Conversation, events: Sequence[EventBase],
              manifest: Manifest) -> Path:
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
        for chunk in manifest.cobrowse:
            source = recording_file(folder, chunk.file)
            archive.writestr(f"{chunk.file.removesuffix('.cb')}.json",
                             Review.decode_chunk(source))
        for media in manifest.media:
            # Already compressed: stored as they are.
            archive.write(recording_file(folder, media.file), media.file,
                          compress_type=zipfile.ZIP_STORED)
    return path
