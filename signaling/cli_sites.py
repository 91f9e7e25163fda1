"""`aisle sites add|set|show|list`: a store's key, name, allowed origins, hours and time zone,
and its settings (topics, widget theme, co-browse masking rules per URL pattern, recording
policy). Every value is checked before it is written, by the rules the Sites page's REST calls
use too (site_settings.py)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import site_settings
from .errors import AisleError
from .settings import Settings
from .store import Store
from .store.sites import SiteRecord


class BadValue(ValueError):
    """A flag's value is not acceptable; the message says why."""


def add_parsers(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    sites = sub.add_parser("sites", help="manage sites (stores that embed the widget)")
    sites_sub = sites.add_subparsers(dest="action", required=True)
    sadd = sites_sub.add_parser("add", help="create a site (prints its key and embed code)")
    common(sadd)
    sadd.add_argument("name")
    sadd.add_argument("--origin", action="append", required=True,
                      help="an allowed page origin, e.g. https://shop.example (repeatable)")
    sadd.add_argument("--key", help="site key (default: generated)")
    _site_flags(sadd)
    sset = sites_sub.add_parser("set", help="change a site (only the flags given)")
    common(sset)
    sset.add_argument("key")
    sset.add_argument("--name")
    sset.add_argument("--origin", action="append",
                      help="an allowed page origin (repeatable; replaces the current ones)")
    onoff = sset.add_mutually_exclusive_group()
    onoff.add_argument("--disable", dest="enabled", action="store_false", default=None,
                       help="turn chat off: the widget no longer loads and no chat starts "
                            "(open chats go on until they end)")
    onoff.add_argument("--enable", dest="enabled", action="store_true", default=None,
                       help="turn chat back on")
    _site_flags(sset)
    sshow = sites_sub.add_parser("show", help="print a site and its settings as JSON")
    common(sshow)
    sshow.add_argument("key")
    slist = sites_sub.add_parser("list")
    common(slist)


def _site_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", action="append",
                        help="id:label:team, e.g. 'order:My order:support' (repeatable; "
                             "replaces the current ones)")
    parser.add_argument("--hours", help='JSON, e.g. {"mon":["09:00-17:00"]}; "null": always')
    parser.add_argument("--timezone", help="IANA name, e.g. Europe/Paris (default UTC)")
    parser.add_argument("--theme", help='JSON or @file, e.g. {"color":"#0f766e"}')
    parser.add_argument("--cobrowse", help='JSON or @file: masking rules per URL pattern, '
                        'e.g. {"rules":[{"match":"*/account*","mask":[".balance"]}]}')
    parser.add_argument("--recording", help='JSON or @file: the recording policy, e.g. '
                        '{"cobrowse":true,"calls":false,"retention_days":90}')


async def sites_cmd(args: argparse.Namespace, store: Store, settings: Settings) -> int:
    try:
        if args.action == "list":
            for s in await store.sites.all():
                off = "" if s.enabled else "  (chat off)"
                print(f"{s.key:24} {s.name:30} {' '.join(s.allowed_origins)}{off}")
            return 0
        if args.action == "show":
            return await _show(store, args.key)
        if args.action == "add":
            return await _add(args, store, settings)
        return await _set(args, store)
    except (BadValue, AisleError) as exc:
        print(f"aisle sites {args.action}: {exc}", file=sys.stderr)
        return 1


async def _site(store: Store, key: str) -> SiteRecord:
    site = await store.sites.get_by_key(key)
    if site is None:
        raise BadValue(f"no site with key {key!r}")
    return site


async def _show(store: Store, key: str) -> int:
    site = await _site(store, key)
    print(json.dumps({"key": site.key, "name": site.name, "origins": site.allowed_origins,
                      "hours": site.business_hours, "timezone": site.timezone,
                      **site.settings}, indent=2, ensure_ascii=False))
    return 0


async def _add(args: argparse.Namespace, store: Store, settings: Settings) -> int:
    site = await site_settings.create_site(
        store, {"name": args.name, "origins": args.origin, **_given(args)}, key=args.key)
    print(f"created site {site.name} with key {site.key}")
    _say_topics_and_hours(site.settings.get("topics", []), site.business_hours)
    print(f"embed: {site_settings.embed_tag(settings.resolved_public_url, site.key)}")
    if not settings.public_url:
        print(f"note: {settings.resolved_public_url} is where `aisle serve` listens with these "
              "settings; if shoppers' browsers reach Aisle at another address, set "
              "AISLE_PUBLIC_URL to it", file=sys.stderr)
    return 0


def _say_topics_and_hours(topics: list[dict[str, Any]], hours: dict[str, Any] | None) -> None:
    """What shoppers will be offered, said back: a default topic or closed hours unnoticed
    would send every shopper to an inbox nobody reads."""
    for t in topics:
        print(f"topic {t['id']!r} ({t['label']}) goes to team {t['team']}")
    if hours is not None and not any(hours.values()):
        print("note: these hours never open: every shopper is asked to leave a message",
              file=sys.stderr)


async def _set(args: argparse.Namespace, store: Store) -> int:
    site = await _site(store, args.key)
    given = _given(args)
    if args.name is not None:
        given["name"] = args.name
    if args.origin is not None:
        given["origins"] = args.origin
    if args.enabled is not None:
        given["enabled"] = args.enabled
    if not given:
        raise BadValue("nothing to change: give at least one flag")
    written = await site_settings.change_site(store, site, given)
    print(f"updated site {site.key}: {', '.join(written)}")
    if "hours" in given:
        fresh = await _site(store, site.key)
        _say_topics_and_hours([], fresh.business_hours)
    return 0


def _given(args: argparse.Namespace) -> dict[str, Any]:
    """The values the flags give, as site_settings takes them (checked there)."""
    given: dict[str, Any] = {}
    if args.topic:
        given["topics"] = [parse_topic(spec) for spec in args.topic]
    if args.hours is not None:
        given["hours"] = _json("hours", args.hours)
    if args.timezone is not None:
        given["timezone"] = args.timezone
    for name in site_settings.SETTING_MODELS:
        raw = getattr(args, name)
        if raw is not None:
            given[name] = _json(name, _text(name, raw))
    return given


def parse_topic(spec: str) -> dict[str, str]:
    """'id:label:team' as the topic it names."""
    parts = spec.split(":", 2)
    if len(parts) != 3:
        raise BadValue(f"bad topic {spec!r}: use id:label:team with an existing team")
    return {"id": parts[0], "label": parts[1], "team": parts[2]}


def _text(name: str, raw: str) -> str:
    """A JSON flag's value, inline or `@path` to a file."""
    if not raw.startswith("@"):
        return raw
    try:
        return Path(raw[1:]).read_text(encoding="utf-8")
    except OSError as exc:
        raise BadValue(f"--{name}: cannot read {raw[1:]!r}: {exc.strerror}") from None


def _json(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise BadValue(f"--{name}: not JSON: {exc}") from None
