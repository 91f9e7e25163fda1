"""Subject access: a shopper asks what the store holds about them. Supervisors and admins find
the shopper's visitors by the email address they gave (one visitor per browser and site), and
export one visitor's data as JSON: the profile, and each conversation with its whole log
(internal notes about them included: they are their personal data too) and the names of its
recording files (the files themselves are in the conversation's export). Both are audited."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError

from ..errors import Forbidden, InvalidPayload, NotFound
from ..protocol.base import Email
from ..store import Store
from ..store.agents import AgentRecord
from .manifest import build

_EMAIL: TypeAdapter[str] = TypeAdapter(Email)


def _check(agent: AgentRecord) -> None:
    if agent.role not in ("admin", "supervisor"):
        raise Forbidden("supervisors and admins answer subject access requests")


async def find(store: Store, agent: AgentRecord, email: str) -> list[dict[str, Any]]:
    _check(agent)
    try:
        _EMAIL.validate_python(email)
    except ValidationError:
        raise InvalidPayload("email: an email address") from None
    found = []
    for visitor in await store.visitors.with_email(email):
        convs = await store.conversations.find(visitor_id=visitor.id, limit=1_000_000)
        found.append({"visitor_id": visitor.id, "site_id": visitor.site_id,
                      "name": visitor.name, "last_seen_at": visitor.last_seen_at,
                      "conversations": len(convs)})
    # The visitors found, not the address asked about: an erased shopper's address must not
    # stay in the audit log.
    await store.review.audit(agent.id, "visitors_found", {
        "matches": len(found), "login": agent.login,
        "visitor_ids": [v["visitor_id"] for v in found]})
    return found


async def export(store: Store, agent: AgentRecord, visitor_id: str) -> dict[str, Any]:
    _check(agent)
    visitor = await store.visitors.get(visitor_id)
    if visitor is None:
        raise NotFound("no such visitor")
    conversations = []
    for conv in await store.conversations.find(visitor_id=visitor_id, limit=1_000_000):
        events = await store.conversations.events_after(conv.id, 0, agent_view=True,
                                                        limit=1_000_000)
        manifest = build(conv, events, lambda path: path)
        conversations.append({
            "conversation": conv.model_dump(mode="json"),
            "events": [e.model_dump(mode="json") for e in events],
            "recording_files": [m.file for m in manifest.media]
            + [c.file for c in manifest.cobrowse]})
    await store.review.audit(agent.id, "visitor_exported", {
        "visitor_id": visitor_id, "conversations": len(conversations), "login": agent.login})
    return {"visitor": visitor.model_dump(mode="json"), "conversations": conversations}
