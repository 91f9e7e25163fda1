"""The media plane's settings from ours, and the ICE servers (with short-lived TURN
credentials) handed to each participant's browser."""

from __future__ import annotations

from media.settings import MediaSettings
from media.turn import browser_ice_servers, turn_credentials

from ..protocol.calls import IceServer
from ..settings import Settings


def media_settings(settings: Settings) -> MediaSettings:
    return MediaSettings(
        ice_host_addresses=settings.media_host_addresses,
        ice_announced_address=settings.media_announced_address or None,
        ice_port_min=settings.media_port_min,
        ice_port_max=settings.media_port_max,
        ice_consent_interval_s=settings.media_consent_interval_s,
    )


def ice_servers(settings: Settings, participant: str) -> list[IceServer]:
    credentials = None
    if settings.turn_secret and settings.turn_urls:
        credentials = turn_credentials(settings.turn_secret, participant,
                                       ttl_s=min(settings.turn_ttl_s, 3600))
    return [IceServer(urls=s.urls, username=s.username, credential=s.credential)
            for s in browser_ice_servers(list(settings.stun_urls), list(settings.turn_urls),
                                         credentials)]
