"""Co-browse batches stored for recordings: one file per page session and full snapshot (so
each file can be replayed on its own), appended by one writer thread so the event loop never
waits on the disk. Record format, repeated after an 8-byte magic `AISLECB1`:
`<u32 header length><header JSON {batch_no, full, ts}><u32 data length><deflated JSON events>`."""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import orjson

log = logging.getLogger(__name__)

MAGIC = b"AISLECB1"
_U32 = struct.Struct("<I")


def encode_record(batch_no: int, full: bool, ts: int, data: bytes) -> bytes:
    header = orjson.dumps({"batch_no": batch_no, "full": full, "ts": ts})
    return _U32.pack(len(header)) + header + _U32.pack(len(data)) + data


def read_records(path: Path) -> list[tuple[dict[str, object], bytes]]:
    """Every complete record of a chunk file (a torn last record is ignored; a file the disk
    refused even its first bytes has none)."""
    blob = path.read_bytes()
    if len(blob) < len(MAGIC) and MAGIC.startswith(blob):
        return []
    if not blob.startswith(MAGIC):
        raise ValueError(f"{path} is not a co-browse chunk")
    records = []
    offset = len(MAGIC)
    while offset + 4 <= len(blob):
        (size,) = _U32.unpack_from(blob, offset)
        header_end = offset + 4 + size
        if header_end + 4 > len(blob):
            break
        header = orjson.loads(blob[offset + 4:header_end])
        (data_size,) = _U32.unpack_from(blob, header_end)
        data_end = header_end + 4 + data_size
        if data_end > len(blob):
            break
        records.append((header, blob[header_end + 4:data_end]))
        offset = data_end
    return records


@dataclass(frozen=True)
class _Op:
    kind: str  # open / append / close / barrier
    path: Path
    payload: bytes = b""
    done: threading.Event | None = None


class ChunkWriter:
    """Owns the writer thread and the open files.

    A file that cannot be opened or written (a full disk, an I/O error) takes no more records:
    a torn record is cut off again, so what the file holds stays readable, and `on_failure`
    is called (on the writer thread) with its path, for the recording to say it stopped
    instead of claiming batches it lost."""

    def __init__(self, on_failure: Callable[[Path, OSError], None] | None = None) -> None:
        self._on_failure = on_failure
        self._queue: queue.Queue[_Op | None] = queue.Queue(maxsize=10_000)
        self._files: dict[Path, BinaryIO] = {}
        # The one thread that touches the files; stopped by close().
        self._thread = threading.Thread(target=self._run, name="cobrowse-chunks", daemon=True)
        self._thread.start()

    def open(self, path: Path) -> None:
        self._queue.put(_Op("open", path))

    def append(self, path: Path, record: bytes) -> None:
        self._queue.put(_Op("append", path, record))

    def close_file(self, path: Path) -> None:
        self._queue.put(_Op("close", path))

    def _run(self) -> None:
        while (op := self._queue.get()) is not None:
            try:
                self._apply(op)
            except OSError as exc:
                log.error("co-browse recording %s: %s failed (%s): the file takes no more "
                          "records", op.path.name, op.kind, exc)
                handle = self._files.pop(op.path, None)
                if handle is not None:
                    with contextlib.suppress(OSError):
                        handle.close()
                if self._on_failure is not None:
                    try:
                        self._on_failure(op.path, exc)
                    except Exception:  # (the loop closed, say): this thread must live on
                        log.exception("co-browse recording %s: could not report the failure",
                                      op.path.name)
        for handle in self._files.values():
            handle.close()
        self._files.clear()

    def _apply(self, op: _Op) -> None:
        if op.kind == "open":
            op.path.parent.mkdir(parents=True, exist_ok=True)
            handle = op.path.open("ab", buffering=0)
            try:
                if handle.tell() == 0:
                    _write_all(handle, MAGIC, 0)
            except OSError:
                handle.close()
                with contextlib.suppress(OSError):  # an empty file is no chunk: none is better
                    if op.path.stat().st_size == 0:
                        op.path.unlink()
                raise
            self._files[op.path] = handle
        elif op.kind == "append" and op.path in self._files:
            # Written through per record (unbuffered): a killed server loses only the records
            # still queued, at most the last few batches.
            current = self._files[op.path]
            _write_all(current, op.payload, current.tell())
        elif op.kind == "close" and op.path in self._files:
            self._files.pop(op.path).close()
        elif op.kind == "barrier" and op.done is not None:
            op.done.set()

    def flush(self, timeout_s: float = 10.0) -> bool:
        """Blocks until everything queued before it is written (call off the event loop)."""
        done = threading.Event()
        self._queue.put(_Op("barrier", Path(), done=done))
        return done.wait(timeout_s)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)


def _write_all(handle: BinaryIO, data: bytes, start: int) -> None:
    """Writes every byte, or cuts the file back to `start` and raises: never half a record."""
    view = memoryview(data)
    try:
        while view:
            written = handle.write(view)
            if not written:
                raise OSError("nothing written")
            view = view[written:]
    except OSError:
        with contextlib.suppress(OSError):  # a device (or a failing disk) may refuse this too
            os.ftruncate(handle.fileno(), start)
        raise
