"""Export of one conversation as a zip: the manifest, the transcript as text and JSON, the
co-browse events, and the media files as recorded. Built in a worker thread into a temporary
file, which the response streams and then removes."""

from __future__ import annotations

import contextlib
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import orjson

from ..errors import NotFound
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
        case "call_requested":
            media = _CALL_MEDIA.get(str(data.get("media")), "")
            return f"{who} started a {media}call".replace("  ", " ")
        case "call_accepted":
            return "The call was answered"
        case "call_ended":
            return f"The call ended ({_words(data.get('reason'))})"
        case "cobrowse_requested":
            return f"{who} asked to see the shopper's page"
        case "cobrowse_started":
            recorded = " (recorded)" if data.get("recorded") else ""
            return f"The shopper shared their page{recorded}"
        case "cobrowse_ended":
            return f"Co-browsing ended ({_words(data.get('reason'))}, by the {data.get('by')})"
        case "control_requested":
            return f"{who} asked for control of the page"
        case "control_granted":
            return "The shopper gave control of their page"
        case "control_ended":
            return f"Control of the page ended (by the {data.get('by')})"
        case "control_action":  # logged by the server, for the agent named in it
            agent = names.get(str(data.get("agent_id") or ""), "The agent")
            return f"{agent} {control_action_text(data)}"
        case "recording_paused" | "recording_resumed":
            what = "call" if data.get("kind") == "call" else "co-browsing"
            done = "paused" if event.type == "recording_paused" else "resumed"
            return f"Recording of the {what} {done} ({_words(data.get('reason'))})"
    return event.type.replace("_", " ")


_CALL_MEDIA = {"audio": "voice ", "video": "video ", "screen": "screen-share "}


def _words(value: object) -> str:
    return str(value or "").replace("_", " ")


def control_action_text(data: dict[str, object]) -> str:
    """What the agent did on the shopper's page: "clicked", "typed “M”", and whether the page
    refused it."""
    value = data.get("value")
    match data.get("action"):
        case "click":
            did = "clicked on the page"
        case "type":
            did = f"typed “{value}”" if value else "typed"
        case "select":
            did = f"chose “{value}”" if value else "chose an option"
        case "navigate":
            did = f"opened {value}" if value else "opened a page"
        case _:
            did = "scrolled the page"
    return did if data.get("ok", True) else f"{did}: refused ({_words(data.get('reason'))})"


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
    """`review`: the reviewers' annotations and scores, written as review.json. A file the log
    names that is not there (the disk refused it) is left out; the manifest still says it was
    meant to be."""
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
            with contextlib.suppress(NotFound, FileNotFoundError):  # (gone meanwhile too)
                archive.writestr(f"{chunk.file.removesuffix('.cb')}.json",
                                 Review.decode_chunk(recording_file(folder, chunk.file)))
        for media in manifest.media:
            with contextlib.suppress(NotFound, FileNotFoundError):  # compressed: stored as is
                archive.write(recording_file(folder, media.file), media.file,
                              compress_type=zipfile.ZIP_STORED)
    return path
