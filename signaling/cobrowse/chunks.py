"""Co-browse batches stored for recordings: one file per page session and full snapshot (so
each file can be replayed on its own), appended by one writer thread so the event loop never
waits on the disk. Record format, repeated after an 8-byte magic `AISLECB1`:
`<u32 header length><header JSON {batch_no, full, ts}><u32 data length><deflated JSON events>`."""

from __future__ import annotations

import logging
import queue
import struct
import threading
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
    """Every complete record of a chunk file (a torn last record is ignored)."""
    blob = path.read_bytes()
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
    """Owns the writer thread and the open files."""

    def __init__(self) -> None:
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
            except OSError:
                log.exception("co-browse chunk %s: %s failed", op.path.name, op.kind)
        for handle in self._files.values():
            handle.close()
        self._files.clear()

    def _apply(self, op: _Op) -> None:
        if op.kind == "open":
            op.path.parent.mkdir(parents=True, exist_ok=True)
            handle = op.path.open("ab")
            if handle.tell() == 0:
                handle.write(MAGIC)
            self._files[op.path] = handle
        elif op.kind == "append" and op.path in self._files:
            # Flushed per record: a killed server leaves every acknowledged batch on disk.
            self._files[op.path].write(op.payload)
            self._files[op.path].flush()
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
