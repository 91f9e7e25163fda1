"""Typed, prefixed identifiers (`cnv_…`, `agt_…`): random, URL-safe, sortable by creation time."""

from __future__ import annotations

import secrets
import time
from typing import NewType

ConversationId = NewType("ConversationId", str)
AgentId = NewType("AgentId", str)
VisitorId = NewType("VisitorId", str)
SiteId = NewType("SiteId", str)
CannedId = NewType("CannedId", str)

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case


def _encode(number: int, length: int) -> str:
    chars = []
    for _ in range(length):
        number, rem = divmod(number, 32)
        chars.append(_ALPHABET[rem])
    return "".join(reversed(chars))


def new_id(prefix: str) -> str:
    """`prefix_` + 9 chars of milliseconds + 16 random chars (80 bits)."""
    return f"{prefix}_{_encode(int(time.time() * 1000), 9)}{_encode(secrets.randbits(80), 16)}"


def new_conversation_id() -> ConversationId:
    return ConversationId(new_id("cnv"))


def new_agent_id() -> AgentId:
    return AgentId(new_id("agt"))


def new_visitor_id() -> VisitorId:
    return VisitorId(new_id("vis"))


def new_site_id() -> SiteId:
    return SiteId(new_id("sit"))


def new_canned_id() -> CannedId:
    return CannedId(new_id("can"))


def now_ms() -> int:
    return int(time.time() * 1000)
