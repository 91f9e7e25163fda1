"""Named one-shot timers (offer timeouts, grace periods). Each timer is a task this object owns:
scheduling a key again replaces the old timer, and `close()` cancels them all, so no background
task outlives the server."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


class Timers:
    def __init__(self) -> None:
        # Held so the tasks are not garbage-collected mid-flight and can be cancelled on close.
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def schedule(self, key: str, delay_s: float, action: Callable[[], Awaitable[None]]) -> None:
        self.cancel(key)
        self._tasks[key] = asyncio.create_task(self._run(key, delay_s, action), name=key)

    def cancel(self, key: str) -> bool:
        task = self._tasks.pop(key, None)
        if task is None:
            return False
        if task is not asyncio.current_task():
            task.cancel()
        return True

    def pending(self, key: str) -> bool:
        return key in self._tasks

    def keys(self, prefix: str = "") -> list[str]:
        return [k for k in self._tasks if k.startswith(prefix)]

    async def _run(self, key: str, delay_s: float, action: Callable[[], Awaitable[None]]) -> None:
        try:
            await asyncio.sleep(delay_s)
            # Leave the table before acting, so the action may schedule the same key again.
            if self._tasks.get(key) is asyncio.current_task():
                del self._tasks[key]
            await action()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("timer %s failed", key)

    async def close(self) -> None:
        tasks = list(self._tasks.values())
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def __len__(self) -> int:
        return len(self._tasks)
