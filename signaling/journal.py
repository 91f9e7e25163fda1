"""Appending to conversation logs and telling everyone: one conversation's appends run one at a
time on this node, so its events go out in `seq` order; each new event is delivered under its
type, and a changed state as `conversation_updated` (agents) and its visitor view."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from .notifier import Notifier, conversation_room
from .protocol import notifications as n
from .protocol.common import Conversation
from .store import Store
from .store.conversations import Appended, NewEvent
from .views import Views

# State fields whose change is worth a `conversation_updated` (reads and seq alone are not).
_QUIET_FIELDS = {"last_seq", "visitor_read_seq", "agent_read_seq"}
# Events that never change anything but those fields (the chat path: no comparison needed).
_QUIET_EVENTS = frozenset({"message_created", "note_created", "messages_read", "cobrowse_chunk",
                           "control_action", "media_recorded", "call_track_added",
                           "call_track_removed"})


def significant_change(before: Conversation | None, after: Conversation,
                       types: frozenset[str] = frozenset()) -> bool:
    if before is None:
        return True
    if types and types <= _QUIET_EVENTS:
        return False
    a = before.model_dump(exclude=_QUIET_FIELDS)
    b = after.model_dump(exclude=_QUIET_FIELDS)
    return a != b


class Journal:
    def __init__(self, store: Store, notifier: Notifier, views: Views) -> None:
        self._store = store
        self._notifier = notifier
        self._views = views
        # A lock per conversation with appends under way, and how many hold or wait for it:
        # dropped when the last one is done.
        self._locks: dict[str, tuple[asyncio.Lock, list[int]]] = {}

    async def append(self, conversation_id: str, new: Sequence[NewEvent]) -> Appended:
        entry = self._locks.get(conversation_id)
        if entry is None:
            entry = self._locks[conversation_id] = (asyncio.Lock(), [0])
        lock, users = entry
        users[0] += 1
        try:
            async with lock:
                return await self._append(conversation_id, new)
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._locks[conversation_id]

    async def _append(self, conversation_id: str, new: Sequence[NewEvent]) -> Appended:
        result = await self._store.conversations.append(conversation_id, new)
        if result.created:
            await self._notifier.log_events(result.new_events)
            if significant_change(result.before, result.state,
                                  frozenset(e.type for e in result.new_events)):
                await self.publish_state(result.state)
        return result

    async def publish_state(self, conv: Conversation) -> None:
        room = conversation_room(conv.id)
        await self._notifier.agents(room, "conversation_updated",
                                    n.ConversationUpdated(conversation=conv))
        view = await self._views.visitor_conversation(conv)
        await self._notifier.visitors(room, "conversation_updated",
                                      n.VisitorConversationUpdated(conversation=view))
