"""After a crash: which recording files in a directory are playable, and for how long.

Blocking (reads whole files): callers on an event loop run it in a thread, as
`LocalMediaControl.inspect_recordings` does. A file cut by SIGKILL has no duration or cues
but plays up to its last flushed cluster; `ffmpeg -c copy` rewrites it with an index.
"""

from __future__ import annotations

import logging
from pathlib import Path

import av

from media.control import RecoveredFile
from media.recorder import FILE_SUFFIX, TAG_PREFIX

logger = logging.getLogger(__name__)

DECODE_CHECK_FRAMES = 3  # decode this many frames to call a file playable; demux the rest


def inspect_recordings(directory: str | Path) -> list[RecoveredFile]:
    root = Path(directory)
    if not root.is_dir():
        return []
    return [inspect_file(path) for path in sorted(root.glob(f"*{FILE_SUFFIX}"))]


def inspect_file(path: Path) -> RecoveredFile:
    tags: dict[str, str] = {}
    frames = 0
    decoded = 0
    first: float | None = None
    last_end = 0.0
    complete = False
    error = ""
    try:
        with av.open(str(path)) as container:
            tags = {k.upper(): v for k, v in container.metadata.items()}
            complete = container.duration is not None  # written by the trailer only
            if not container.streams:
                raise ValueError("no streams")
            stream = container.streams[0]
            for packet in container.demux(stream):
                if packet.pts is None or packet.time_base is None:
                    continue  # the demuxer's end-of-stream flush packet
                start = float(packet.pts * packet.time_base)
                duration = float((packet.duration or 0) * packet.time_base)
                first = start if first is None else min(first, start)
                last_end = max(last_end, start + duration)
                frames += 1
                if decoded < DECODE_CHECK_FRAMES:
                    decoded += len(packet.decode())
    except Exception as exc:  # a truncated or foreign file: report it, never raise
        error = f"{type(exc).__name__}: {exc}"
        logger.info("recording %s: %s", path.name, error)
    duration_ms = round((last_end - first) * 1000) if first is not None else 0
    return RecoveredFile(
        path=str(path),
        playable=decoded > 0,
        complete=complete and not error,
        duration_ms=duration_ms,
        frames=frames,
        peer_id=tags.get(f"{TAG_PREFIX}PEER", ""),
        source=tags.get(f"{TAG_PREFIX}SOURCE", ""),
        kind=tags.get(f"{TAG_PREFIX}KIND", ""),
        call_id=tags.get(f"{TAG_PREFIX}CALL", ""),
        start_offset_ms=_int(tags.get(f"{TAG_PREFIX}START_OFFSET_MS")),
        error=error,
    )


def _int(value: str | None) -> int:
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0
