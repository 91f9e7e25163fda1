"""Managing sites on the wire (REST, /api/v1/sites…): what `aisle sites` does, for admins in the
browser. These models bound sizes and types; the values' rules (origins, topics and their
teams, hours, time zone) are site_settings.py's, the same as the CLI's."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from ..review.policy import RecordingSettings
from .base import Model
from .common import CobrowsePolicy, Theme, Topic

Text = Annotated[str, StringConstraints(max_length=300)]
Day = Annotated[str, StringConstraints(max_length=16)]
Span = Annotated[str, StringConstraints(max_length=20)]
# Days left out are closed; None: open around the clock.
Hours = dict[Day, Annotated[list[Span], Field(max_length=12)]]
Origins = Annotated[list[Text], Field(max_length=50)]
Topics = Annotated[list[Topic], Field(max_length=50)]
TimeZone = Annotated[str, StringConstraints(max_length=64)]


class Site(Model):
    """A store that embeds the widget, as admins see it."""

    id: str
    key: str
    name: str
    origins: list[str]
    hours: dict[str, list[str]] | None
    timezone: str
    topics: list[Topic]
    theme: Theme
    cobrowse: CobrowsePolicy
    recording: RecordingSettings
    # The tag to put on the store's pages.
    embed: str
    # Off: the widget no longer loads on the store's pages and no chat starts; chats already
    # open go on until they end.
    enabled: bool = True


class SiteList(Model):
    sites: list[Site]
    # What topics may send chats to, and the time zones this server knows.
    teams: list[str]
    timezones: list[str]


class NewSite(Model):
    """A new site, its key generated. Without topics it gets one, to support (or the first
    team)."""

    name: Text
    origins: Origins
    topics: Topics | None = None
    hours: Hours | None = None
    timezone: TimeZone = "UTC"
    theme: Theme | None = None
    cobrowse: CobrowsePolicy | None = None
    recording: RecordingSettings | None = None


class SiteChanges(Model):
    """Only what is given changes (`hours: null` opens around the clock); a setting given
    (theme, cobrowse, recording) is replaced whole. Each value is checked before any is
    written."""

    name: Text | None = None
    origins: Origins | None = None
    topics: Topics | None = None
    hours: Hours | None = None
    timezone: TimeZone | None = None
    theme: Theme | None = None
    cobrowse: CobrowsePolicy | None = None
    recording: RecordingSettings | None = None
    enabled: bool | None = None
