"""`aisle`: serve, migrate, and manage agents, teams and sites. Flags override `AISLE_*`
environment variables, which override the defaults (settings.py)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from . import cli_sites, logs
from .auth import check_new_password, hash_password, new_password
from .errors import AisleError
from .protocol import accounts as ac
from .settings import Settings, from_env
from .store import Store
from .store.database import current_revision, head_revision, migrate

log = logging.getLogger("aisle")

ROLES = ("agent", "supervisor", "admin", "trainer")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, help="where the database and files live "
                        "(AISLE_DATA_DIR, default ./data)")
    parser.add_argument("--database-url", help="SQLAlchemy URL, e.g. "
                        "postgresql+asyncpg://user@host/db (AISLE_DATABASE_URL; default SQLite "
                        "in the data dir)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aisle", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the server")
    _common(serve)
    serve.add_argument("--host", help="address to listen on (AISLE_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (AISLE_PORT, default 8080)")
    serve.add_argument("--public-url", help="URL browsers use to reach Aisle (AISLE_PUBLIC_URL)")
    serve.add_argument("--no-demo", action="store_true",
                       help="do not create the demo store and accounts on an empty data dir")

    migrate = sub.add_parser("migrate", help="bring the database schema up to date")
    _common(migrate)

    agents = sub.add_parser("agents", help="manage agents")
    agents_sub = agents.add_subparsers(dest="action", required=True)
    add = agents_sub.add_parser("add", help="create an agent (prints a password if none given)")
    _common(add)
    add.add_argument("login")
    add.add_argument("--name", help="display name (default: the login)")
    add.add_argument("--role", choices=ROLES, default="agent",
                     help="trainers review recordings; supervisors also run the floor")
    add.add_argument("--teams", default="", help="comma-separated team names")
    add.add_argument("--max-concurrent", type=int,
                     help="conversations at once (AISLE_DEFAULT_MAX_CONCURRENT, default 3)")
    add.add_argument("--password", help="default: generated and printed; '-' asks on the tty")
    lst = agents_sub.add_parser("list", help="list agents")
    _common(lst)
    st = agents_sub.add_parser("set", help="change an agent")
    _common(st)
    st.add_argument("login")
    st.add_argument("--name")
    st.add_argument("--role", choices=ROLES)
    st.add_argument("--teams", help="comma-separated team names (replaces the current ones)")
    st.add_argument("--max-concurrent", type=int)
    st.add_argument("--password", help="'-' asks on the tty; ends the agent's sessions")
    access = st.add_mutually_exclusive_group()
    access.add_argument("--disable", action="store_true",
                        help="the agent can no longer sign in; their sessions end")
    access.add_argument("--enable", action="store_true", help="undo --disable")
    access.add_argument("--sign-out", action="store_true",
                        help="end the agent's sessions (they sign in again)")

    teams = sub.add_parser("teams", help="manage teams (skills)")
    teams_sub = teams.add_subparsers(dest="action", required=True)
    tadd = teams_sub.add_parser("add")
    _common(tadd)
    tadd.add_argument("name")
    tlist = teams_sub.add_parser("list")
    _common(tlist)

    cli_sites.add_parsers(sub, _common)
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    settings = from_env()
    return settings.with_overrides(
        data_dir=getattr(args, "data_dir", None), database_url=getattr(args, "database_url", None),
        host=getattr(args, "host", None), port=getattr(args, "port", None),
        public_url=getattr(args, "public_url", None),
    )


def _password(value: str | None) -> tuple[str, bool]:
    """The password to set, and whether it was generated (and must be shown). Raises
    InvalidPayload for a chosen one that is too short or too long."""
    if value == "-":
        return check_new_password(getpass.getpass("password: ")), False
    if value:
        return check_new_password(value), False
    return new_password(), True


async def _with_store(settings: Settings, action: Callable[[Store], Awaitable[int]], *,
                      upgrade: bool = False) -> int:
    """Runs `action` on the store. A new database is created; an older schema is upgraded only
    by `aisle migrate` (upgrade=True): a command that manages agents or sites must not change
    the schema under a running server."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    url = settings.resolved_database_url
    store = await Store.open(url, run_migrations=False)
    try:
        try:
            async with store.read() as conn:
                revision = await current_revision(conn)
        except (OSError, DBAPIError) as exc:  # refused, unknown host, bad login, no such file
            print(f"cannot open the database {_safe_url(url)}: {_reason(exc)}",
                  file=sys.stderr)
            return 1
        if revision is None or upgrade:
            await migrate(store.engine)
        elif revision != head_revision():
            print(f"the database schema is at {revision}; this aisle needs {head_revision()}: "
                  "stop the server and run `aisle migrate` (or start the new server)",
                  file=sys.stderr)
            return 1
        return await action(store)
    finally:
        await store.close()


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ValueError:
        return "(unreadable URL)"


def _reason(exc: BaseException) -> str:
    """What went wrong, on one line: the driver's own words rather than SQLAlchemy's wrapper."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


async def agents_cmd(args: argparse.Namespace, store: Store, settings: Settings) -> int:
    if args.action == "list":
        for a in await store.agents.all():
            print(f"{a.login:20} {a.role:10} {','.join(a.teams):30} max {a.max_concurrent}  "
                  f"{a.display_name}" + ("  (disabled)" if a.disabled else ""))
        return 0
    teams = [t.strip() for t in (args.teams or "").split(",") if t.strip()]
    if args.action == "add":
        # The Team page's rules (protocol/accounts.py), so that both make the same accounts.
        new = _checked(ac.NewAccount, login=args.login, display_name=args.name or args.login,
                       role=args.role, teams=teams,
                       max_concurrent=settings.default_max_concurrent
                       if args.max_concurrent is None else args.max_concurrent)
        if new is None:
            return 1
        taken = {a.login.casefold() for a in await store.agents.all()}
        if new.login.casefold() in taken:  # logins are unique ignoring case
            print(f"the login {args.login!r} is taken", file=sys.stderr)
            return 1
        try:
            password, generated = _password(args.password)
        except AisleError as exc:
            print(exc.message, file=sys.stderr)
            return 1
        try:
            await store.agents.create(login=new.login, password_hash=hash_password(password),
                                      display_name=new.display_name, role=new.role,
                                      max_concurrent=new.max_concurrent, teams_=new.teams)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"created {new.role} {new.login}" + (f" with password {password}"
                                                   if generated else ""))
        if not new.teams and new.role in ("agent", "supervisor"):
            print(f"note: {new.login} is in no team, so no chat will be offered to them "
                  "(--teams)", file=sys.stderr)
        return 0
    record = await store.agents.get_by_login(args.login)
    if record is None:
        print(f"no agent {args.login!r}", file=sys.stderr)
        return 1
    changes = _checked(ac.AccountChanges, display_name=args.name or None, role=args.role,
                       max_concurrent=args.max_concurrent,
                       teams=teams if args.teams is not None else None)
    if changes is None:
        return 1
    values: dict[str, Any] = changes.model_dump(exclude_none=True,
                                                include={"display_name", "role",
                                                         "max_concurrent"})
    if args.password:
        try:
            values["password_hash"] = hash_password(_password(args.password)[0])
        except AisleError as exc:
            print(exc.message, file=sys.stderr)
            return 1
    if args.disable or args.enable:
        values["disabled"] = bool(args.disable)
    if args.disable:
        values["status"] = "offline"
    if values:
        await store.agents.update(record.id, **values)
    # A running server closes the agent's sockets within AISLE_ACCOUNT_CHECK_S.
    if args.password or args.disable or args.sign_out:
        await store.agents.end_sessions(record.id)
    if args.teams is not None:
        try:
            await store.agents.set_teams(record.id, teams)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
    print(f"updated {args.login}")
    return 0


async def teams_cmd(args: argparse.Namespace, store: Store, _: Settings) -> int:
    if args.action == "list":
        for name in await store.agents.list_teams():
            print(name)
        return 0
    team = _checked(ac.NewTeam, name=args.name)
    if team is None:
        return 1
    try:
        await store.agents.create_team(team.name)
    except AisleError as exc:  # it exists, in some case
        print(exc.message, file=sys.stderr)
        return 1
    print(f"created team {team.name}")
    return 0


_M = TypeVar("_M", bound=BaseModel)


def _checked(model: type[_M], **values: Any) -> _M | None:
    """The values as `model` takes them (the REST calls' rules), or None after saying why."""
    try:
        return model.model_validate({k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            print(f"{where}: {error['msg']}", file=sys.stderr)
        return None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = settings_from(args)
    serving = args.command == "serve"
    # A management command says what it did on stdout and what went wrong on stderr; its INFO
    # lines (the database opening, migrations checked) would bury both: AISLE_LOG_LEVEL=DEBUG
    # shows everything; `migrate` keeps its INFO lines, as they say what it did.
    level = settings.log_level if serving or args.command == "migrate" \
        or settings.log_level.upper() == "DEBUG" else "WARNING"
    logs.configure(level, json_lines=serving and settings.log_json)
    if args.command == "serve":
        from .serve import serve

        return serve(settings, seed=not args.no_demo and settings.seed_demo)
    if args.command == "migrate":
        async def migrate(_: Store) -> int:
            print("schema is up to date")
            return 0

        return asyncio.run(_with_store(settings, migrate, upgrade=True))
    if args.command == "sites":
        return asyncio.run(_with_store(
            settings, lambda store: cli_sites.sites_cmd(args, store, settings)))
    handlers = {"agents": agents_cmd, "teams": teams_cmd}
    handler = handlers[args.command]
    return asyncio.run(_with_store(settings, lambda store: handler(args, store, settings)))


if __name__ == "__main__":
    raise SystemExit(main())
