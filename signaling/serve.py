"""`aisle serve`: run the application until SIGINT/SIGTERM, seeding the demo on first start."""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path

from aiohttp import web

from .app import AISLE, create_app
from .auth import verify_password
from .seed import Login, seed_demo
from .settings import Settings
from .store import Store

log = logging.getLogger(__name__)


def _remember(path: Path, logins: list[Login]) -> None:
    path.write_text("".join(f"{x.role} {x.login} {x.password}\n" for x in logins))
    path.chmod(0o600)


async def _demo_logins(store: Store, path: Path) -> list[str]:
    """The demo logins kept at the first start, as they stand: a password changed since (or
    an account disabled or gone) is not printed as if it still worked."""
    kept = await asyncio.to_thread(lambda: path.read_text() if path.exists() else "")
    lines = []
    for line in kept.splitlines():
        role, login, password = line.split(" ", 2)
        agent = await store.agents.get_by_login(login)
        if agent is None:
            continue
        if agent.disabled:
            lines.append(f"  {role:10} login: {login:12} (disabled)")
        elif not await asyncio.to_thread(verify_password, agent.password_hash, password):
            lines.append(f"  {role:10} login: {login:12} (password changed since)")
        else:
            lines.append(f"  {role:10} login: {login:12} password: {password}")
    if lines:
        lines.append(f"  (these demo logins are kept in {path})")
    return lines


def _banner(settings: Settings, logins: list[str]) -> str:
    url = settings.resolved_public_url
    lines = ["", f"  Aisle is running on {url}", f"  demo store:     {url}/demo/",
             f"  agent console:  {url}/agent/",
             f"  review player:  {url}/review/",
             f"  reports:        {url}/review/reports (supervisors, admins)",
             f"  sites:          {url}/review/sites (admins)", *logins]
    return "\n".join(lines) + "\n"


async def run(settings: Settings, *, seed: bool) -> None:
    app = await create_app(settings)
    demo_file = settings.data_dir / "demo-logins.txt"
    if seed:
        origins = [settings.resolved_public_url]
        logins = await seed_demo(app[AISLE].store, origins)
        if logins:
            _remember(demo_file, logins)
    # Before serving: a stop asked for as soon as /readyz answers still stops cleanly.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    await site.start()
    print(_banner(settings, await _demo_logins(app[AISLE].store, demo_file)), flush=True)
    await stop.wait()
    log.info("shutting down")
    await runner.cleanup()


def serve(settings: Settings, *, seed: bool) -> int:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        log.info("uvloop not available: using asyncio's loop")
    asyncio.run(run(settings, seed=seed))
    return 0
