"""The `harness` fixture: an in-process media plane on loopback for one test (media/testing.py
has the helpers tests import)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from media.testing import Harness, open_harness


@pytest.fixture
async def harness() -> AsyncIterator[Harness]:
    async with open_harness() as h:
        yield h
