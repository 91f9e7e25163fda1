"""Private instances of the servers some tests are about (PostgreSQL now; Redis later), started
on free loopback ports in a temporary directory, never the machine's shared ones."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} not found: `make test` installs PostgreSQL (Debian package)")
    return path


def _as_postgres_user(command: list[str]) -> list[str]:
    """initdb refuses to run as root: run it as the `postgres` system user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yields a SQLAlchemy URL of a fresh database on a private PostgreSQL server."""
    # Its own directory under /tmp: pytest's are private to root, and the server runs as
    # the postgres user when we are root.
    with tempfile.TemporaryDirectory(prefix="aisle-pg-") as name:
        directory = Path(name)
        if os.geteuid() == 0:
            shutil.chown(directory, "postgres")
        yield from _run_postgres(directory)


def _run_postgres(directory: Path) -> Iterator[str]:
    data = directory / "data"
    port = free_port()
    subprocess.run(_as_postgres_user([_pg_bin("initdb"), "-D", str(data), "--auth=trust",
                                      "-U", "postgres", "-E", "UTF8", "--no-sync"]),
                   check=True, capture_output=True)
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(_as_postgres_user([_pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-w",
                                      "-l", str(directory / "log"), "start"]),
                   check=True, capture_output=True)
    try:
        subprocess.run([_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U",
                        "postgres", "aisle"], check=True, capture_output=True)
        yield f"postgresql+asyncpg://postgres@127.0.0.1:{port}/aisle"
    finally:
        subprocess.run(_as_postgres_user([_pg_bin("pg_ctl"), "-D", str(data), "-m",
                                          "immediate", "stop"]), capture_output=True)
