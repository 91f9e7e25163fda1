"""The demo logins `aisle serve` prints at each start are the ones that still work: a password
changed since (from the Team page or the shell) is not printed as if it did."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

from tests.integration.remote import ready

AISLE = [sys.executable, "-m", "signaling.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def banner(data: Path) -> str:
    port = free_port()
    proc = subprocess.Popen(  # noqa: ASYNC220 - a long-running server, stopped by a signal
        [*AISLE, "serve", "--data-dir", str(data), "--port", str(port)], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, env={**os.environ, "AISLE_LOG_JSON": "false"})
    try:
        await ready(f"http://127.0.0.1:{port}", proc)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    return out


async def aisle(data: Path, *args: str) -> None:
    proc = await asyncio.create_subprocess_exec(*AISLE, *args, "--data-dir", str(data),
                                                stderr=asyncio.subprocess.PIPE)
    _, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()


async def test_the_banner_prints_only_demo_passwords_that_still_work(tmp_path: Path) -> None:
    first = await banner(tmp_path)
    assert re.search(r"agent\s+login: agent\s+password: \S+", first)
    await aisle(tmp_path, "agents", "set", "agent", "--password", "a-new-secret-9")
    await aisle(tmp_path, "agents", "set", "supervisor", "--disable")
    second = await banner(tmp_path)
    assert re.search(r"agent\s+login: agent\s+\(password changed since\)", second)
    assert re.search(r"supervisor\s+login: supervisor\s+\(disabled\)", second)
    assert re.search(r"admin\s+login: admin\s+password: \S+", second)
    assert "a-new-secret-9" not in second
