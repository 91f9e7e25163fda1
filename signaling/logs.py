"""Logging set-up: one JSON object per line, carrying `conversation_id` (and the socket's
principal) from a context variable wherever there is one. Configured once at start-up."""

from __future__ import annotations

import contextvars
import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import orjson

conversation_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "conversation_id", default=None
)
principal_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "principal", default=None
)


@contextmanager
def conversation_context(conversation_id: str | None) -> Iterator[None]:
    token = conversation_var.set(conversation_id)
    try:
        yield
    finally:
        conversation_var.reset(token)


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "conversation_id"):
            record.conversation_id = conversation_var.get()
        if not hasattr(record, "principal"):
            record.principal = principal_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key in ("conversation_id", "principal"):
            value = getattr(record, key, None)
            if value:
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


class TextFormatter(logging.Formatter):
    """For people reading a terminal: the time, level and logger, then `[principal
    conversation]` where there are any, then the message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(context)s%(message)s")

    def format(self, record: logging.LogRecord) -> str:
        context = " ".join(str(v) for v in (getattr(record, "principal", None),
                                             getattr(record, "conversation_id", None)) if v)
        record.context = f"[{context}] " if context else ""
        return super().format(record)


def configure(level: str = "INFO", json_lines: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(ContextFilter())
    if json_lines:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Socket.IO's own loggers are chatty and would log payloads; aioice logs every candidate
    # pair of every call at INFO. Keep them to warnings.
    for name in ("socketio", "engineio", "aiohttp.access", "aioice"):
        logging.getLogger(name).setLevel(logging.WARNING)


class RateLimitedLog:
    """Lets through at most `per_minute` records per key; the rest are counted and summarised,
    so a client sending garbage cannot flood the log."""

    def __init__(self, logger: logging.Logger, per_minute: int = 5) -> None:
        self._logger = logger
        self._per_minute = per_minute
        self._window: dict[str, tuple[float, int]] = {}

    def warning(self, key: str, msg: str, *args: object, exc_info: bool = False) -> None:
        self._log(logging.WARNING, key, msg, *args, exc_info=exc_info)

    def error(self, key: str, msg: str, *args: object, exc_info: bool = False) -> None:
        self._log(logging.ERROR, key, msg, *args, exc_info=exc_info)

    def _log(self, level: int, key: str, msg: str, *args: object, exc_info: bool) -> None:
        now = time.monotonic()
        start, count = self._window.get(key, (now, 0))
        if now - start >= 60:
            if count > self._per_minute:
                self._logger.warning("%s: %d similar messages suppressed", key,
                                     count - self._per_minute)
            start, count = now, 0
        count += 1
        self._window[key] = (start, count)
        if len(self._window) > 10_000:
            self._window.clear()
        if count <= self._per_minute:
            self._logger.log(level, msg, *args, exc_info=exc_info)
