"""Keyframes: recognizing a VP8 keyframe, and asking a publisher for one without flooding it.

Forwarding never re-encodes, so a viewer (or a recorder) can only start at a keyframe the
publisher sends; a PLI (RTCP picture loss indication) is how we ask for one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)

# RFC 6386 9.1: a keyframe's 3-byte frame tag has bit 0 clear, followed by the start code.
VP8_START_CODE = b"\x9d\x01\x2a"
VP8_KEYFRAME_HEADER_BYTES = 10  # frame tag (3) + start code (3) + width (2) + height (2)


def is_vp8_keyframe(data: bytes) -> bool:
    # The start-code check matters: the first frame aiortc assembles after joining mid-stream can
    # be a partial frame whose first byte has bit 0 clear by chance.
    return (
        len(data) >= VP8_KEYFRAME_HEADER_BYTES
        and data[0] & 1 == 0
        and data[3:6] == VP8_START_CODE
    )


def vp8_dimensions(data: bytes) -> tuple[int, int] | None:
    """Width and height from a VP8 keyframe header (upper 2 bits are scaling, ignored)."""
    if not is_vp8_keyframe(data):
        return None
    width = int.from_bytes(data[6:8], "little") & 0x3FFF
    height = int.from_bytes(data[8:10], "little") & 0x3FFF
    return width, height


class KeyframeRequester:
    """Sends PLIs for one publisher track: at most one per `min_interval_s`, none lost.

    Each keyframe costs the publisher a burst of packets; under loss, a PLI per request makes
    keyframe storms that cause more loss. So within the interval after a PLI, a request is
    dropped while the keyframe it asked for is still on its way (that keyframe serves
    everybody), and deferred to the end of the interval once it has arrived (it reports a new
    loss). Viewers still waiting ask again on their next delta frame, so a lost PLI is retried.
    Owned by its Publication, which calls `close()`.
    """

    def __init__(
        self,
        send: Callable[[], Awaitable[None]],
        min_interval_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._send = send
        self._min_interval_s = min_interval_s
        self._clock = clock
        self._last: float | None = None
        self._outstanding = False
        self._timer: asyncio.TimerHandle | None = None
        # The deferred PLI, if one is being sent; close() cancels it.
        self._deferred: asyncio.Task[bool] | None = None
        self._closed = False
        self.sent = 0
        self.coalesced = 0

    def keyframe_arrived(self) -> None:
        self._outstanding = False

    async def request(self) -> bool:
        if self._closed:
            return False
        now = self._clock()
        if self._last is None or now - self._last >= self._min_interval_s:
            return await self._send_now()
        self.coalesced += 1
        if not self._outstanding and self._timer is None:
            delay = self._last + self._min_interval_s - now
            self._timer = asyncio.get_running_loop().call_later(delay, self._fire)
        return False

    def _fire(self) -> None:
        self._timer = None
        if not self._closed and (self._deferred is None or self._deferred.done()):
            self._deferred = asyncio.create_task(self._send_now())

    async def _send_now(self) -> bool:
        self._last = self._clock()
        self._outstanding = True
        try:
            await self._send()
        except ConnectionError:
            # The publisher's transport is not up yet (a peer that just offered) or gone: the
            # next request (the next delta frame a waiting viewer drops) goes out at once.
            logger.debug("PLI not sent: transport unavailable")
            self._outstanding = False
            self._last = None
            return False
        self.sent += 1
        return True

    async def close(self) -> None:
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._deferred is not None and not self._deferred.done():
            self._deferred.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._deferred

    @property
    def busy(self) -> bool:
        """A deferred PLI is scheduled or being sent (for task accounting)."""
        return self._timer is not None or (
            self._deferred is not None and not self._deferred.done())
