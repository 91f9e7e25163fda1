"""Timestamps: one monotonic timeline per forwarded or recorded track, whatever the source does.

aiortc's receiver `TimestampMapper` turns any backward RTP timestamp into a 2**32 wrap
(rtcrtpreceiver.py:240-242): a recording's PTS then jumps by 13.3 h at 90 kHz. And when a viewer
slot switches to a rebuilt publisher, timestamps restart from 0. Both become discontinuities
here: the output keeps the source's own steps and re-anchors on the arrival clock when a step
is implausible.
"""

from __future__ import annotations

MAX_STEP_MISMATCH_S = 5.0  # RTP step vs arrival step beyond this is a discontinuity, not jitter


class PtsRebaser:
    """Maps source timestamps (ticks at `clock_rate`) to output ticks starting at 0.

    The output is strictly increasing; its steps follow the source's RTP steps while they agree
    with the arrival clock within `max_mismatch_s`, and the arrival clock otherwise.
    """

    def __init__(self, clock_rate: int, max_mismatch_s: float = MAX_STEP_MISMATCH_S) -> None:
        self.clock_rate = clock_rate
        self._max_mismatch = int(max_mismatch_s * clock_rate)
        self._offset: int | None = None
        self._last_out: int | None = None
        self._last_arrival = 0.0
        self.discontinuities = 0

    @property
    def last(self) -> int | None:
        return self._last_out

    def switch_source(self) -> None:
        """The next timestamp comes from another source: continue from the arrival clock."""
        self._offset = None

    def map(self, timestamp: int, arrival: float) -> int:
        if self._last_out is None:
            out = 0
            self._offset = -timestamp
        else:
            elapsed = max(0, round((arrival - self._last_arrival) * self.clock_rate))
            expected = self._last_out + elapsed
            if self._offset is None:
                out = max(expected, self._last_out + 1)
                self._offset = out - timestamp
            else:
                out = timestamp + self._offset
                if out <= self._last_out or abs(out - expected) > self._max_mismatch:
                    self.discontinuities += 1
                    out = max(expected, self._last_out + 1)
                    self._offset = out - timestamp
        self._last_out = out
        self._last_arrival = arrival
        return out
