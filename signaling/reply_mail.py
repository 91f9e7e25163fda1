"""Answers by email: a shopper who left a message (or left before the answer came) and gave an
email address gets the agents' answers they have not read, once they are still unread
`reply_mail_delay_s` after the last one was written. Several answers in that time go in one
email; an answer read in the widget first is not sent.

What was sent is in the conversation's log (`reply_emailed`, agents only, up to which seq), so
nothing goes twice and a restart picks up answers still due: the server looks for them at start.
A mail server that fails is tried again later (RETRY_S), then the answer stays in the widget
only, said in the log as an error line."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import make_msgid

from .dispatcher import SYSTEM
from .ids import now_ms
from .journal import Journal
from .mailer import Mailer, MailError, SmtpTarget
from .protocol.common import Conversation
from .protocol.events import LogEvent, MessageCreated
from .settings import Settings
from .store import Store
from .store.appender import NewEvent
from .timers import Timers

log = logging.getLogger(__name__)

# Conversations whose answers may be emailed: the shopper is not in a live chat.
MAILED_STATUSES = ("offline", "ended")
# A failed send is tried again after each of these, then given up.
RETRY_S = (60.0, 300.0, 1800.0)
# At start, answers written this long ago or less are still due.
CATCH_UP_MS = 7 * 24 * 3600 * 1000


def answers(events: Sequence[LogEvent], after_seq: int) -> list[MessageCreated]:
    """The agents' messages after `after_seq`."""
    return [e for e in events if isinstance(e, MessageCreated) and e.seq > after_seq
            and e.actor.kind == "agent"]


def compose(*, site_name: str, to: str, shopper: str | None, replies: Sequence[MessageCreated],
            page_url: str | None) -> EmailMessage:
    """The email: each answer with who wrote it, and where to go on."""
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = f"{site_name} answered your message"
    message["Message-ID"] = make_msgid(domain="aisle.invalid")
    lines = [f"Hello{' ' + shopper if shopper else ''},", "",
             f"{'An answer' if len(replies) == 1 else 'Answers'} to your message to "
             f"{site_name}:", ""]
    author = None
    for reply in replies:
        if reply.actor.name != author or author is None:
            author = reply.actor.name
            lines.append(f"{author or 'Our team'} wrote:")
        lines += [f"> {line}" if line else ">" for line in reply.data.text.splitlines()]
        lines.append("")
    if page_url:
        lines += ["To answer, open the page you wrote from, in the same browser, and use the "
                  "chat there:", page_url, ""]
    else:
        lines += ["To answer, come back to the store and use its chat, in the same browser.", ""]
    lines.append("Please don't reply to this email: replies are not read.")
    message.set_content("\n".join(lines))
    return message


class ReplyMail:
    def __init__(self, settings: Settings, store: Store, journal: Journal, timers: Timers,
                 mailer: Mailer) -> None:
        self._settings = settings
        self._store = store
        self._journal = journal
        self._timers = timers
        self._mailer = mailer

    async def agent_wrote(self, conv: Conversation) -> None:
        """An agent answered: the email goes once the answers rest unread for the delay."""
        if conv.status in MAILED_STATUSES:
            self._schedule(conv.id, self._settings.reply_mail_delay_s, attempt=0)

    async def conversation_ended(self, conversation_id: str) -> None:
        """A live chat ended because the shopper had gone: answers written after they left go
        too. (A chat that ended with them there is over; its last words are not emailed.)"""
        conv = await self._store.conversations.get(conversation_id)
        if conv is not None and conv.ended_reason == "visitor_left":
            self._schedule(conversation_id, self._settings.reply_mail_delay_s, attempt=0)

    def _schedule(self, conversation_id: str, delay_s: float, attempt: int) -> None:
        self._timers.schedule(f"reply-mail:{conversation_id}", delay_s,
                              lambda: self._due(conversation_id, attempt))

    async def recover(self) -> None:
        """At start: answers still due (the server stopped before their email went)."""
        since = now_ms() - CATCH_UP_MS
        for conv in await self._store.conversations.unread_by_visitor(MAILED_STATUSES, since):
            self._schedule(conv.id, self._settings.reply_mail_delay_s, attempt=0)

    async def _due(self, conversation_id: str, attempt: int) -> None:
        conv = await self._store.conversations.get(conversation_id)
        if conv is None or conv.status not in MAILED_STATUSES:
            return
        visitor = await self._store.visitors.get(conv.visitor_id)
        to = conv.fields.email or (visitor.email if visitor else None)
        if not to:
            return
        sent = await self._store.conversations.events_of_types(
            conv.id, ["reply_emailed", "conversation_started"])
        emailed = max((e.data.up_to_seq for e in sent if e.type == "reply_emailed"), default=0)
        started = next((e for e in sent if e.type == "conversation_started"), None)
        after = max(emailed, conv.visitor_read_seq)
        replies = answers(await self._store.conversations.events_after(
            conv.id, after, agent_view=False), after)
        if not replies:
            return
        site = await self._store.sites.get(conv.site_id)
        message = compose(
            site_name=site.name if site else "The store", to=to,
            shopper=conv.fields.name or (visitor.name if visitor else None), replies=replies,
            page_url=getattr(started.data, "page_url", None) if started else None)
        try:
            await self._mailer.send(message)
        except MailError as exc:
            if attempt < len(RETRY_S):
                log.warning("emailing the answer failed, trying again in %.0f s: %s",
                            RETRY_S[attempt], exc, extra={"conversation_id": conv.id})
                self._schedule(conv.id, RETRY_S[attempt], attempt + 1)
            else:
                log.error("emailing the answer failed %d times, given up: %s", attempt + 1,
                          exc, extra={"conversation_id": conv.id})
            return
        await self._journal.append(conv.id, [NewEvent(
            "reply_emailed", {"to": to, "up_to_seq": replies[-1].seq}, SYSTEM)])
        log.info("answer emailed (%d message%s)", len(replies), "" if len(replies) == 1 else "s",
                 extra={"conversation_id": conv.id})


def reply_mail_from(settings: Settings, store: Store, journal: Journal,
                    timers: Timers) -> ReplyMail | None:
    """Answers by email when AISLE_SMTP_URL is set (a malformed one stops the server)."""
    if not settings.smtp_url:
        log.info("answers by email: off (AISLE_SMTP_URL is not set)")
        return None
    try:
        target = SmtpTarget.parse(settings.smtp_url)
    except ValueError as exc:
        raise SystemExit(f"AISLE_SMTP_URL: {exc}") from None
    log.info("answers by email: through %s", target.describe())
    return ReplyMail(settings, store, journal, timers, Mailer(target, settings.mail_from))
