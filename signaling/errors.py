"""Errors that reach clients. Each has a stable `code` that travels in the ack or the HTTP body.

    AisleError
    ├── InvalidPayload      (invalid_payload)   the request does not match its schema
    ├── TooLarge            (too_large)         a size limit was exceeded
    ├── UnsupportedMediaType (unsupported_media_type) a REST body that is not application/json
    ├── RateLimited         (rate_limited)      too many events from this socket
    ├── Unauthorized        (unauthorized)      no or bad credentials
    ├── Forbidden           (forbidden)         the principal may not touch this resource
    ├── NotFound            (not_found)
    ├── Conflict            (conflict)          the resource is in a state that forbids this
    ├── LimitReached        (limit_reached)     e.g. open conversations per visitor
    ├── Unavailable         (team_unavailable)  nobody can answer now (offline hours, no agent)
    ├── SiteDisabled        (site_disabled)     an admin turned the site off
    └── UnknownEvent        (unknown_event)
"""

from __future__ import annotations

from typing import Any, ClassVar


class AisleError(Exception):
    code: ClassVar[str] = "error"
    http_status: ClassVar[int] = 400
    # Counts towards disconnecting a socket that keeps sending garbage. Errors a well-behaved
    # client meets in a race (an offer that just expired: conflict) do not.
    abusive: ClassVar[bool] = False

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        return body


class InvalidPayload(AisleError):
    code = "invalid_payload"
    abusive = True


class TooLarge(AisleError):
    code = "too_large"
    abusive = True
    http_status = 413


class UnsupportedMediaType(AisleError):
    code = "unsupported_media_type"
    abusive = True
    http_status = 415


class RateLimited(AisleError):
    code = "rate_limited"
    abusive = True
    http_status = 429


class Unauthorized(AisleError):
    code = "unauthorized"
    abusive = True
    http_status = 401


class Forbidden(AisleError):
    code = "forbidden"
    abusive = True
    http_status = 403


class NotFound(AisleError):
    code = "not_found"
    http_status = 404


class Conflict(AisleError):
    code = "conflict"
    http_status = 409


class LimitReached(AisleError):
    code = "limit_reached"
    http_status = 429


class Unavailable(AisleError):
    code = "team_unavailable"
    http_status = 409


class SiteDisabled(AisleError):
    code = "site_disabled"
    http_status = 403


class UnknownEvent(AisleError):
    code = "unknown_event"
    abusive = True
