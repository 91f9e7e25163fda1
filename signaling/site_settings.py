"""A site's values, checked then written: the one set of rules for `aisle sites` and the Sites
page. The server reads these on each widget start, and a malformed one would break the widget
for every shopper of the site, so each is checked before anything is written: a bad one raises
InvalidPayload naming the field, and the site stays as it was.

Values are given by their wire names (`name`, `origins`, `topics`, `hours`, `timezone`,
`theme`, `cobrowse`, `recording`, `enabled`); `hours` None means open around the clock."""

from __future__ import annotations

import functools
import html
import itertools
import re
import secrets
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import routing
from .errors import Conflict, InvalidPayload
from .protocol.common import CobrowsePolicy, Origin, Theme, Topic
from .review.policy import RecordingSettings
from .store import Store
from .store.sites import SELF_ORIGIN, SiteRecord

# Settings kept as JSON in `sites.settings`, with the model that checks each.
SETTING_MODELS: dict[str, type[BaseModel]] = {
    "theme": Theme, "cobrowse": CobrowsePolicy, "recording": RecordingSettings}
FIELDS = ("name", "origins", "topics", "hours", "timezone", "enabled", *SETTING_MODELS)

# A key goes into the embed tag's attribute and into addresses as it is.
KEY = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_NAME = 80
MAX_ORIGINS = 50
MAX_TOPICS = 50
MAX_SPANS_PER_DAY = 12
# "09:00-17:30"; routing.parse_span reads it, this also wants minutes below 60.
SPAN = re.compile(r"^\s*\d{1,2}:[0-5]\d\s*-\s*\d{1,2}:[0-5]\d\s*$")
DEFAULT_TOPIC = {"id": "help", "label": "I have a question", "team": "support"}

_origin = TypeAdapter(Origin)


def new_key() -> str:
    return secrets.token_urlsafe(12)


def embed_tag(script_base: str, key: str) -> str:
    """What a store puts on its pages (README, "Putting the widget on a store")."""
    return (f'<script src="{html.escape(script_base.rstrip("/"))}/aisle.js" '
            f'data-site="{html.escape(key)}" async></script>')


@functools.cache
def timezones() -> tuple[str, ...]:
    """IANA names this server knows, for a picker (UTC first): places, not the database's
    own entries ("Factory", "localtime") or the old POSIX rules ("EST5EDT")."""
    return ("UTC", *sorted(z for z in available_timezones()
                           if z != "UTC" and ("/" in z or z in _PLAIN_ZONES)))


# Zone names without a "/" that are places or standards people pick.
_PLAIN_ZONES = frozenset({"GMT", "Iceland", "Japan", "Singapore", "Turkey", "Israel", "Egypt",
                          "Jamaica", "Cuba", "Iran", "Libya", "Hongkong", "Poland", "Portugal",
                          "Eire", "Zulu", "UCT", "Universal", "Greenwich"})


def _bad(field: str, message: str) -> InvalidPayload:
    return InvalidPayload(message, field=field)


def _problems(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or '(top)'}: {e['msg']}"
                     for e in exc.errors(include_url=False)[:5])


# ---- one value each ---------------------------------------------------------------------------

def check_key(key: str) -> str:
    if not KEY.match(key):
        raise _bad("key", f"bad key {key!r}: use 1 to 64 letters, digits, - or _")
    return key


def check_name(name: object) -> str:
    """A name shoppers read in the widget's header: not blank, no invisible characters."""
    if not isinstance(name, str):
        raise _bad("name", "the name must be text")
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise _bad("name", f"the name must be 1 to {MAX_NAME} characters")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in name):
        raise _bad("name", "the name cannot hold control or invisible characters")
    return name


def check_origins(origins: object) -> list[str]:
    """Page origins as browsers send them (scheme://host[:port], lower case), or "self"."""
    if not isinstance(origins, list) or not origins:
        raise _bad("origins", "give at least one allowed origin, e.g. https://shop.example")
    if len(origins) > MAX_ORIGINS:
        raise _bad("origins", f"at most {MAX_ORIGINS} allowed origins")
    checked: dict[str, None] = {}
    for origin in origins:
        if origin == SELF_ORIGIN:
            checked.setdefault(SELF_ORIGIN, None)
            continue
        value = origin.strip().rstrip("/") if isinstance(origin, str) else origin
        try:
            checked.setdefault(_origin.validate_python(value).lower(), None)
        except ValidationError:
            raise _bad("origins", f"bad origin {origin!r}: use scheme://host[:port], e.g. "
                                  "https://shop.example") from None
    return list(checked)


def check_topics(topics: object, teams: Collection[str]) -> list[dict[str, str]]:
    """Each topic a Topic, its label not blank, its team an existing one, ids distinct."""
    if not isinstance(topics, list) or not topics:
        raise _bad("topics", "a site needs at least one topic")
    if len(topics) > MAX_TOPICS:
        raise _bad("topics", f"at most {MAX_TOPICS} topics")
    checked: list[dict[str, str]] = []
    for n, raw in enumerate(topics, start=1):
        try:
            topic = Topic.model_validate(raw)
        except ValidationError as exc:
            raise _bad("topics", f"bad topic {n}: {_problems(exc)} (ids are letters, "
                                 "digits, - and _)") from None
        if not topic.label.strip():
            raise _bad("topics", f"bad topic {topic.id!r}: its label is blank")
        if topic.team not in teams:
            raise _bad("topics", f"bad topic {topic.id!r}: there is no team {topic.team!r} "
                                 "(use an existing team)")
        checked.append({"id": topic.id, "label": topic.label.strip(), "team": topic.team})
    ids = [t["id"] for t in checked]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise _bad("topics", f"topic ids must differ: {', '.join(twice)} is used twice")
    return checked


def default_topics(teams: Sequence[str]) -> list[dict[str, str]]:
    """A new site's one topic: to the support team, or else the first team there is."""
    if not teams:
        raise _bad("topics", "there are no teams yet: add one first")
    team = DEFAULT_TOPIC["team"] if DEFAULT_TOPIC["team"] in teams else teams[0]
    return [{**DEFAULT_TOPIC, "team": team}]


def check_hours(hours: object) -> dict[str, list[str]] | None:
    """{"mon": ["09:00-12:00", "13:00-17:00"], …} day by day and span by span (a day left out
    is closed; None: always open). Spans come back as HH:MM-HH:MM, in order."""
    if hours is None:
        return None
    if not isinstance(hours, dict):
        raise _bad("hours", "bad hours: give an object of days, or null for always open")
    checked: dict[str, list[str]] = {}
    for day, spans in hours.items():
        if day not in routing.DAYS or not isinstance(spans, list):
            raise _bad("hours", f"bad hours: bad day {day!r}: use {', '.join(routing.DAYS)} "
                                "with lists")
        if len(spans) > MAX_SPANS_PER_DAY:
            raise _bad("hours", f"bad hours: at most {MAX_SPANS_PER_DAY} spans a day ({day})")
        parsed = []
        for span in spans:
            try:
                if not isinstance(span, str) or not SPAN.match(span):
                    raise ValueError
                parsed.append(routing.parse_span(span))
            except ValueError:
                raise _bad("hours", f"bad hours: {day}: {span!r} is not a time span like "
                                    "09:00-17:30 (from before to, 00:00 to 24:00)") from None
        parsed.sort()
        for (_, end), (start, _) in itertools.pairwise(parsed):
            if start < end:
                raise _bad("hours", f"bad hours: {day}: the spans overlap")
        checked[day] = [f"{_clock(a)}-{_clock(b)}" for a, b in parsed]
    return checked


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def check_timezone(name: object) -> str:
    try:
        if not isinstance(name, str) or len(name) > 64:
            raise ValueError
        ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError, OSError):
        raise _bad("timezone", f"unknown time zone {name!r}: use an IANA name such as "
                               "Europe/Paris") from None
    return name


def check_setting(name: str, value: object) -> dict[str, Any]:
    """A JSON setting checked by its model; stored as the model gives it back (defaults filled
    in), so what the server reads is what was checked."""
    try:
        checked = SETTING_MODELS[name].model_validate(value)
    except ValidationError as exc:
        raise _bad(name, f"{name}: {_problems(exc)}") from None
    return checked.model_dump(mode="json")


# ---- a site -----------------------------------------------------------------------------------

def check_values(given: Mapping[str, Any], teams: Collection[str]) -> dict[str, Any]:
    """The columns the given values set (settings: only the keys given), each checked."""
    unknown = sorted(set(given) - set(FIELDS))
    if unknown:
        raise InvalidPayload(f"unknown site fields: {', '.join(unknown)}")
    values: dict[str, Any] = {}
    if "name" in given:
        values["name"] = check_name(given["name"])
    if "origins" in given:
        values["allowed_origins"] = check_origins(given["origins"])
    if "hours" in given:
        values["business_hours"] = check_hours(given["hours"])
    if "timezone" in given:
        values["timezone"] = check_timezone(given["timezone"])
    settings: dict[str, Any] = {}
    if "topics" in given:
        settings["topics"] = check_topics(given["topics"], teams)
    if "enabled" in given:
        if not isinstance(given["enabled"], bool):
            raise _bad("enabled", "enabled: true or false")
        settings["enabled"] = given["enabled"]
    for name in SETTING_MODELS:
        if name in given:
            settings[name] = check_setting(name, given[name])
    if settings:
        values["settings"] = settings
    return values


async def create_site(store: Store, given: Mapping[str, Any], key: str | None = None
                      ) -> SiteRecord:
    """A new site (its key generated unless given); `name` and `origins` are required, one
    topic to support (or the first team) unless topics are given."""
    key = check_key(key) if key is not None else new_key()
    teams = await store.agents.list_teams()
    missing = [f for f in ("name", "origins") if f not in given]
    if missing:
        raise _bad(missing[0], f"a new site needs {' and '.join(missing)}")
    if "topics" not in given:
        given = {**given, "topics": default_topics(teams)}
    values = check_values(given, teams)
    if await store.sites.get_by_key(key) is not None:
        raise Conflict(f"a site with key {key!r} exists already")
    return await store.sites.create(
        key=key, name=values["name"], allowed_origins=values["allowed_origins"],
        business_hours=values.get("business_hours"), timezone=values.get("timezone", "UTC"),
        settings=values["settings"])


async def change_site(store: Store, site: SiteRecord, given: Mapping[str, Any]) -> list[str]:
    """Writes what `given` changes (settings not given are kept); the columns written."""
    values = check_values(given, await store.agents.list_teams())
    if "settings" in values:
        values["settings"] = {**site.settings, **values["settings"]}
    if values:
        await store.sites.update(site.id, **values)
    return sorted(values)
