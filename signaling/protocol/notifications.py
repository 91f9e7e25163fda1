"""Notifications the server pushes (past-tense names) besides the log events themselves."""

from __future__ import annotations

from typing import Literal

from .base import Model
from .common import (
    AgentInfo,
    Availability,
    Conversation,
    ConversationSummary,
    QueueInfo,
    SiteConfig,
    VisitorConversation,
    VisitorProfile,
)
from .requests import Dashboard


class TypingChanged(Model):
    conversation_id: str
    side: Literal["visitor", "agent"]
    typing: bool
    name: str | None = None
    agent_id: str | None = None


class QueueUpdated(Model):
    """To a waiting visitor: its place in line."""

    conversation_id: str
    queue: QueueInfo


class VisitorConversationUpdated(Model):
    conversation: VisitorConversation


class ConversationUpdated(Model):
    conversation: Conversation


class OfferReceived(Model):
    conversation: Conversation
    summary: ConversationSummary
    expires_at: int
    # The note of the transfer that brought the conversation here, when there was one.
    transfer_note: str | None = None


class OfferUpdated(Model):
    """The shopper wrote while the conversation is offered to you: the offer card's summary
    (its last message) as it is now."""

    conversation_id: str
    summary: ConversationSummary


class OfferWithdrawn(Model):
    conversation_id: str
    # accepted / declined: by the same agent, in another of their consoles.
    reason: Literal["timeout", "accepted", "declined", "agent_disconnected", "agent_away",
                    "ended"]


class TeamQueueUpdated(Model):
    """To agents of a team: who is waiting."""

    team: str
    waiting: list[ConversationSummary]


class VisitorUpdated(Model):
    visitor: VisitorProfile


class AgentUpdated(Model):
    agent: AgentInfo


class DashboardUpdated(Model):
    dashboard: Dashboard


class AvailabilityChanged(Model):
    availability: Availability
    # When the site's own settings changed (topics, look, masking, recording notice): the new
    # ones, for widgets already open.
    site: SiteConfig | None = None


class PresenceChanged(Model):
    """The other side's connection dropped or came back (not logged: reloads are common)."""

    conversation_id: str
    side: Literal["visitor", "agent"]
    online: bool


class SessionClosed(Model):
    """Sent just before the server closes a connection on purpose."""

    # account_disabled / signed_out: the agent's account was disabled, or their sessions were
    # ended (a password reset); the token is no longer accepted.
    reason: Literal["too_many_errors", "token_expired", "account_disabled", "signed_out"]


class CannedChanged(Model):
    """A canned response you can use was added, changed or deleted (by you in another tab, or
    by a supervisor of your team): fetch the list again."""

    scope: Literal["personal", "team"]
    team: str | None = None


class SetAway(Model):
    """Your status was set to away: you let `missed` offers in a row go unanswered
    (AISLE_AWAY_AFTER_MISSED_OFFERS). Set it online again when you are back."""

    missed: int


class OfflineInboxChanged(Model):
    """An offline message of the team arrived, was answered or closed: fetch the inbox."""

    team: str
