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
        self._max_errors = settings.errors_before_disconnect
        self._window = settings.error_window_s
        self._buckets: dict[str, _Bucket] = {}

    def _bucket(self, key: str) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(self._burst, time.monotonic())
        return bucket

    def admit(self, key: str, cost: float = 1.0) -> None:
        bucket = self._bucket(key)
        now = time.monotonic()
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.stamp) * self._rate)
        bucket.stamp = now
        if bucket.tokens < cost:
            raise RateLimited("too many events: slow down")
        bucket.tokens -= cost

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

    def __len__(self) -> int:
        return len(self._buckets)
