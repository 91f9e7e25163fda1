"""Failed logins are remembered per address and login for a minute, and no more than
MAX_TRACKED_LOGINS of them: unique failed logins cannot grow the server's memory."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from signaling.errors import RateLimited
from signaling.http import api
from signaling.http.api import Api


def test_ten_failures_a_minute_then_refused() -> None:
    throttle = SimpleNamespace(_failures={})
    for _ in range(api.LOGIN_FAILURES_PER_MINUTE):
        Api._throttle(throttle, "1.2.3.4:kim")  # type: ignore[arg-type]
        Api._failed(throttle, "1.2.3.4:kim")  # type: ignore[arg-type]
    with pytest.raises(RateLimited):
        Api._throttle(throttle, "1.2.3.4:kim")  # type: ignore[arg-type]
    Api._throttle(throttle, "1.2.3.4:lee")  # type: ignore[arg-type]  # others are not held up


def test_unique_failed_logins_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api, "MAX_TRACKED_LOGINS", 100)
    throttle = SimpleNamespace(_failures={})
    for i in range(1_000):
        Api._failed(throttle, f"1.2.3.4:user{i}")  # type: ignore[arg-type]
    assert len(throttle._failures) <= 100
    assert "1.2.3.4:user999" in throttle._failures  # the newest are kept
