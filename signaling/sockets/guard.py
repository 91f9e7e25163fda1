"""Per-socket limits: a token bucket on events, and a count of errors that gets a client
sending garbage disconnected."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

from ..errors import RateLimited
from ..settings import Settings


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    errors: deque[float] = field(default_factory=deque)


class SocketGuard:
    def __init__(self, settings: Settings) -> None:
        self._rate = settings.events_per_second
        self._burst = float(settings.events_burst)
        self._stream_rate = settings.stream_events_per_second
        self._stream_burst = float(settings.stream_events_burst)
        self._max_errors = settings.errors_before_disconnect
        self._window = settings.error_window_s
        self._buckets: dict[str, _Bucket] = {}

    def _bucket(self, key: str, burst: float | None = None) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(burst or self._burst, time.monotonic())
        return bucket

    def admit(self, key: str, *, stream: bool = False) -> None:
        """Take a token from the socket's bucket (its stream bucket for high-rate events)."""
        rate, burst = ((self._stream_rate, self._stream_burst) if stream
                       else (self._rate, self._burst))
        bucket = self._bucket(f"{key}:stream" if stream else key, burst)
        now = time.monotonic()
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.stamp) * rate)
        bucket.stamp = now
        if bucket.tokens < 1:
            raise RateLimited("too many events: slow down")
        bucket.tokens -= 1

    def record_error(self, key: str) -> bool:
        """Count a protocol error; True when the socket has now earned a disconnect."""
        errors = self._bucket(key).errors
        now = time.monotonic()
        errors.append(now)
        while errors and now - errors[0] > self._window:
            errors.popleft()
        return len(errors) >= self._max_errors

    def forget(self, key: str) -> None:
        self._buckets.pop(key, None)
        self._buckets.pop(f"{key}:stream", None)

    def __len__(self) -> int:
        return len(self._buckets)
