"""`aisle sites add|set|show|list`: a store's key, name, allowed origins, hours and time zone,
and its settings (topics, widget theme, co-browse masking rules per URL pattern, recording
policy). Every value is checked before it is written: the server reads these settings on each
widget start, and a malformed one would break the widget for every shopper of the site."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ValidationError

from . import routing
from .protocol.common import CobrowsePolicy, Theme
from .review.policy import RecordingSettings
from .store import Store

# Settings given as JSON, with the model that checks each.
JSON_SETTINGS: dict[str, type[BaseModel]] = {
    "theme": Theme, "cobrowse": CobrowsePolicy, "recording": RecordingSettings}


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


async def sites_cmd(args: argparse.Namespace, store: Store) -> int:
    try:
        if args.action == "list":
            for s in await store.sites.all():
                print(f"{s.key:24} {s.name:30} {' '.join(s.allowed_origins)}")
            return 0
        if args.action == "show":
            return await _show(store, args.key)
        if args.action == "add":
            return await _add(args, store)
        return await _set(args, store)
    except BadValue as exc:
        print(f"aisle sites {args.action}: {exc}", file=sys.stderr)
        return 1


async def _show(store: Store, key: str) -> int:
    site = await store.sites.get_by_key(key)
    if site is None:
        raise BadValue(f"no site with key {key!r}")
    print(json.dumps({"key": site.key, "name": site.name, "origins": site.allowed_origins,
                      "hours": site.business_hours, "timezone": site.timezone,
                      **site.settings}, indent=2, ensure_ascii=False))
    return 0


async def _add(args: argparse.Namespace, store: Store) -> int:
    key = args.key or secrets.token_urlsafe(12)
    if await store.sites.get_by_key(key) is not None:
        raise BadValue(f"a site with key {key!r} exists already")
    args.topic = args.topic or ["help:I have a question:support"]
    values = await _checked(args, store)
    settings = values.pop("settings")
    await store.sites.create(key=key, name=args.name, allowed_origins=_origins(args.origin),
                             business_hours=values.get("business_hours"),
                             timezone=values.get("timezone", "UTC"), settings=settings)
    print(f"created site {args.name} with key {key}")
    print(f'embed: <script src="https://YOUR-AISLE-HOST/aisle.js" data-site="{key}" async>'
          "</script>")
    return 0


async def _set(args: argparse.Namespace, store: Store) -> int:
    site = await store.sites.get_by_key(args.key)
    if site is None:
        raise BadValue(f"no site with key {args.key!r}")
    values = await _checked(args, store)
    changes = values.pop("settings", {})
    if changes:
        values["settings"] = {**site.settings, **changes}
    if args.name is not None:
        values["name"] = args.name
    if args.origin is not None:
        values["allowed_origins"] = _origins(args.origin)
    if not values:
        raise BadValue("nothing to change: give at least one flag")
    await store.sites.update(site.id, **values)
    print(f"updated site {site.key}: {', '.join(sorted(values))}")
    return 0


def _origins(origins: list[str]) -> list[str]:
    for origin in origins:
        if origin != "self" and not origin.startswith(("http://", "https://")):
            raise BadValue(f"bad origin {origin!r}: use scheme://host[:port], e.g. "
                           "https://shop.example")
    return [o.rstrip("/") for o in origins]


async def _checked(args: argparse.Namespace, store: Store) -> dict[str, Any]:
    """The columns and settings the flags give, each checked."""
    values: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    if args.topic:
        settings["topics"] = parse_topics(args.topic, set(await store.agents.list_teams()))
    if args.hours is not None:
        values["business_hours"] = None if args.hours == "null" else parse_hours(args.hours)
    if args.timezone is not None:
        try:
            ZoneInfo(args.timezone)
        except (ValueError, ZoneInfoNotFoundError):
            raise BadValue(f"unknown time zone {args.timezone!r}") from None
        values["timezone"] = args.timezone
    for name, model in JSON_SETTINGS.items():
        raw = getattr(args, name)
        if raw is not None:
            settings[name] = parse_setting(name, raw, model)
    if settings:
        values["settings"] = settings
    return values


def parse_topics(specs: list[str], teams: set[str]) -> list[dict[str, str]]:
    topics = []
    for spec in specs:
        parts = spec.split(":", 2)
        if len(parts) != 3 or parts[2] not in teams:
            raise BadValue(f"bad topic {spec!r}: use id:label:team with an existing team")
        topics.append({"id": parts[0], "label": parts[1], "team": parts[2]})
    ids = [t["id"] for t in topics]
    if len(set(ids)) != len(ids):
        raise BadValue("topic ids must differ")
    return topics


def parse_hours(raw: str) -> dict[str, list[str]]:
    """'{"mon": ["09:00-17:00"], …}' checked day by day and span by span."""
    try:
        hours = json.loads(raw)
        if not isinstance(hours, dict):
            raise ValueError("hours must be a JSON object of days")
        for day, spans in hours.items():
            if day not in routing.DAYS or not isinstance(spans, list):
                raise ValueError(f"bad day {day!r}: use {', '.join(routing.DAYS)} with lists")
            for span in spans:
                routing.parse_span(span)
    except ValueError as exc:
        raise BadValue(f"bad hours: {exc}") from None
    return hours


def parse_setting(name: str, raw: str, model: type[BaseModel]) -> dict[str, Any]:
    """A JSON setting (inline, or `@path` to a file) checked by its model; stored as given by
    the model (defaults filled in), so what the server reads back is what was checked."""
    text = raw
    if raw.startswith("@"):
        try:
            text = Path(raw[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise BadValue(f"--{name}: cannot read {raw[1:]!r}: {exc.strerror}") from None
    try:
        value = model.model_validate_json(text)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(top)'}: {e['msg']}"
                             for e in exc.errors()[:5])
        raise BadValue(f"--{name}: {problems}") from None
    return value.model_dump(mode="json")
