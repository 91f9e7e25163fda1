"""TURN REST credentials (coturn `use-auth-secret`) handed to browsers with their ICE servers.

username = "<unix expiry>:<participant>", password = base64(HMAC-SHA1(secret, username)), as in
draft-uberti-behave-turn-rest-00 and coturn's `static-auth-secret`. Pure: no I/O, no clock
unless `now` is omitted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from dataclasses import dataclass, field

from media.errors import InvalidArgument

MAX_TTL_S = 3600  # 1 h: a leaked credential stays usable no longer than a typical call
_PARTICIPANT = re.compile(r"^[A-Za-z0-9_.@:-]{1,128}$")


@dataclass(frozen=True, slots=True)
class TurnCredentials:
    username: str
    password: str
    expires_at: int  # unix seconds
    ttl_s: int


@dataclass(frozen=True, slots=True)
class IceServer:
    """One entry of a browser's `RTCConfiguration.iceServers`."""

    urls: list[str]
    username: str | None = None
    credential: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def turn_credentials(
    secret: str, participant: str, ttl_s: int = MAX_TTL_S, now: float | None = None
) -> TurnCredentials:
    if not secret:
        raise InvalidArgument("TURN secret is empty")
    if not _PARTICIPANT.match(participant):
        raise InvalidArgument("participant id is not usable in a TURN username")
    if not 0 < ttl_s <= MAX_TTL_S:
        raise InvalidArgument(f"TURN credential lifetime must be 1..{MAX_TTL_S} s")
    expires_at = int(time.time() if now is None else now) + ttl_s
    username = f"{expires_at}:{participant}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return TurnCredentials(
        username=username,
        password=base64.b64encode(digest).decode("ascii"),
        expires_at=expires_at,
        ttl_s=ttl_s,
    )


def browser_ice_servers(
    stun_urls: list[str], turn_urls: list[str], credentials: TurnCredentials | None
) -> list[IceServer]:
    """The ICE server list for a browser: STUN without credentials, TURN with them."""
    servers: list[IceServer] = []
    if stun_urls:
        servers.append(IceServer(urls=list(stun_urls)))
    if turn_urls and credentials is not None:
        servers.append(
            IceServer(
                urls=list(turn_urls),
                username=credentials.username,
                credential=credentials.password,
            )
        )
    return servers
