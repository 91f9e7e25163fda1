"""The base of every wire model: unknown fields are a schema bug, so they are rejected."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class Model(BaseModel):
    # Strict: "5" is not a rating. What the server sends carries every field, so generated
    # types mark them required.
    model_config = ConfigDict(extra="forbid", strict=True,
                              json_schema_serialization_defaults_required=True)


Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
ClientId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
ShortText = Annotated[str, StringConstraints(max_length=200)]
Seq = Annotated[int, Field(ge=0, le=2**53)]
Url = Annotated[str, StringConstraints(max_length=2048)]
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
