"""Who is calling: signed, expiring tokens for visitors and agents, argon2 password hashes,
and the principal a socket or request acts as."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Literal

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .errors import InvalidPayload, Unauthorized

_hasher = PasswordHasher()
# Verifying against this keeps a login for an unknown user as slow as one for a known user.
_DUMMY_HASH = _hasher.hash("not a password")
MEDIA_TOKEN_TTL_S = 3600
# A password someone chooses (generated ones are longer). The most a login takes is the login
# request's limit (protocol/rest.py): a longer one could never be used.
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 200

PrincipalKind = Literal["visitor", "agent"]


@dataclass(frozen=True)
class Principal:
    kind: PrincipalKind
    id: str
    # Visitors: the site and the Origin the token was issued for.
    site_id: str | None = None
    origin: str | None = None
    expires_at: int = 0
    # Agents: the account's token version when the token was issued (accounts.check_session).
    version: int = 0

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.id}"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def new_password() -> str:
    """A generated password, shown once (16 characters)."""
    return secrets.token_urlsafe(12)


def check_new_password(password: str) -> str:
    """A password chosen for an account (`aisle agents add/set --password`, and any request
    that sets one), if it is long enough to keep and short enough to sign in with."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidPayload(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidPayload(f"a password may have at most {MAX_PASSWORD_LENGTH} characters")
    return password


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


class Tokens:
    """HS256 tokens. `kind` separates session tokens from long-lived visitor keys, so one can
    never be used as the other."""

    def __init__(self, secret: str, *, visitor_ttl_s: int, agent_ttl_s: int,
                 visitor_key_ttl_s: int = 365 * 86400) -> None:
        self._secret = secret
        self._ttl = {"visitor": visitor_ttl_s, "agent": agent_ttl_s}
        self._visitor_key_ttl_s = visitor_key_ttl_s

    def issue(self, principal: Principal) -> tuple[str, int]:
        now = int(time.time())
        expires = now + self._ttl[principal.kind]
        claims: dict[str, object] = {"sub": principal.id, "kind": principal.kind, "iat": now,
                                     "exp": expires}
        if principal.site_id:
            claims["site"] = principal.site_id
        if principal.origin:
            claims["origin"] = principal.origin
        if principal.version:
            claims["ver"] = principal.version
        return jwt.encode(claims, self._secret, algorithm="HS256"), expires * 1000

    def verify(self, token: object) -> Principal:
        if not isinstance(token, str) or not token or len(token) > 2048:
            raise Unauthorized("a token is required")
        try:
            claims = jwt.decode(token, self._secret, algorithms=["HS256"],
                                options={"require": ["sub", "kind", "exp"]})
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("the token has expired") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized("the token is not valid") from exc
        kind = claims.get("kind")
        if kind not in ("visitor", "agent"):
            raise Unauthorized("the token is not a session token")
        version = claims.get("ver", 0)
        if not isinstance(version, int):
            raise Unauthorized("the token is not valid")
        return Principal(kind=kind, id=str(claims["sub"]), site_id=claims.get("site"),
                         origin=claims.get("origin"), expires_at=int(claims["exp"]) * 1000,
                         version=version)

    def refresh(self, principal: Principal) -> tuple[str, int]:
        """A new token for a principal whose token is still valid. A socket outlives its
        handshake: one whose token has expired since must renew the way a new one would
        (sign in, or a new visitor session), with the same error `verify` gives."""
        if principal.expires_at <= int(time.time() * 1000):
            raise Unauthorized("the token has expired")
        return self.issue(principal)

    def visitor_key(self, visitor_id: str, site_id: str) -> str:
        """Kept by the widget across visits; proves a returning visitor is the same one. Each
        visit hands out a new one, so it lapses only after a long absence."""
        now = int(time.time())
        return jwt.encode({"sub": visitor_id, "site": site_id, "kind": "visitor_key",
                           "iat": now, "exp": now + self._visitor_key_ttl_s},
                          self._secret, algorithm="HS256")

    def media_token(self, conversation_id: str, agent: Principal) -> str:
        """Authorizes reading one recording's files for an hour, in URLs (`?t=`), since
        <video> and range requests cannot carry an Authorization header. It carries the
        agent's token version: ending their sessions ends their links too."""
        return jwt.encode({"sub": agent.id, "cnv": conversation_id, "kind": "media",
                           "ver": agent.version, "exp": int(time.time()) + MEDIA_TOKEN_TTL_S},
                          self._secret, algorithm="HS256")

    def read_media_token(self, token: str, conversation_id: str) -> Principal | None:
        """The agent the token was issued to, if it is valid for this conversation."""
        try:
            claims = jwt.decode(token, self._secret, algorithms=["HS256"],
                                options={"require": ["sub", "exp", "kind"]})
        except jwt.PyJWTError:
            return None
        version = claims.get("ver", 0)
        if claims.get("kind") != "media" or claims.get("cnv") != conversation_id \
                or not isinstance(version, int):
            return None
        return Principal(kind="agent", id=str(claims["sub"]), version=version)

    def read_visitor_key(self, key: str, site_id: str) -> tuple[str, bool] | None:
        """The visitor the key names and whether the key lapses by itself; None when it is not
        one of ours, is another site's or has lapsed. (Keys handed out before keys carried an
        expiry do not: their visitor's last visit says, `Visitors.create_session`.)"""
        try:
            claims = jwt.decode(key, self._secret, algorithms=["HS256"],
                                options={"require": ["sub", "kind"]})
        except jwt.PyJWTError:
            return None
        if claims.get("kind") != "visitor_key" or claims.get("site") != site_id:
            return None
        return str(claims["sub"]), "exp" in claims

