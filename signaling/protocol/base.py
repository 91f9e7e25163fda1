"""The base of every wire model: unknown fields are a schema bug, so they are rejected."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from ..addresses import scrub_address
from ..redaction import redact_card_numbers


class Model(BaseModel):
    # Strict: "5" is not a rating. What the server sends carries every field, so generated
    # types mark them required.
    model_config = ConfigDict(extra="forbid", strict=True,
                              json_schema_serialization_defaults_required=True)


Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
ClientId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
ShortText = Annotated[str, StringConstraints(max_length=200)]


def _person_name(value: str) -> str:
    """A name people read (an agent's, in the console and the shopper's chat): not blank, and
    without control, zero-width or direction-changing characters that could disguise it."""
    if not value.strip():
        raise ValueError("a name cannot be blank")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in value):
        raise ValueError("a name cannot hold control or invisible characters")
    return value


PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80),
                       AfterValidator(_person_name)]
Seq = Annotated[int, Field(ge=0, le=2**53)]
_WEB_URL = re.compile(r"^https?://[^/?#\\]", re.IGNORECASE)  # the scheme, then a host


def _web_url(value: str) -> str:
    """A page's address, which consoles show as a link and co-browsing may send a page to:
    http or https with a host (never `javascript:` or `data:`), without control characters;
    a card number in it (a payment page's query string) masked, as in chat."""
    if not _WEB_URL.match(value) or any(unicodedata.category(c) == "Cc" for c in value):
        raise ValueError("only http and https addresses")
    return redact_card_numbers(value)


def _page_url(value: str) -> str:
    """The shopper's page: its secrets (tokens, session ids, signatures, e-mail addresses) are
    hidden too, as the widget does, for a client that did not (`[hidden]` may lengthen it)."""
    return scrub_address(_web_url(value))[:2048]


# Any address as stored (a profile's pages, written before WebUrl was checked, must still load).
Url = Annotated[str, StringConstraints(max_length=2048)]
# An address a client gives for a page: checked on the way in.
WebUrl = Annotated[str, StringConstraints(max_length=2048), AfterValidator(_web_url)]
# The shopper's own page (a page view, a chat's start), checked and scrubbed on the way in.
PageUrl = Annotated[str, StringConstraints(max_length=2048), AfterValidator(_page_url)]
Email = Annotated[
    str, StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]


class ErrorBody(Model):
    code: str
    message: str
    details: dict[str, Any] | None = None


class AckError(Model):
    """`{ok: false, error: {code, message}}`: every failed request is answered like this."""

    ok: Literal[False] = False
    error: ErrorBody


class Empty(Model):
    """A request or result without fields."""
