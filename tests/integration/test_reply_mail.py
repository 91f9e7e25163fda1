"""Answers by email, through a real SMTP server on loopback (aiosmtpd): a message left with an
address gets the answers not read in the widget, once; a failing mail server is tried again; a
restart sends what was still due; a shopper without an address gets nothing."""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiosmtpd.smtp import SMTP, Envelope, Session

from signaling import reply_mail
from signaling.app import AISLE, create_app
from signaling.mailer import Mailer, MailError, SmtpTarget
from tests.conftest import ServerFactory
from tests.integration.flows import cid, send, start
from tests.integration.harness import Server, start_server, until

DELAY = dict(reply_mail_delay_s=0.3, mail_from="Harbour Goods <help@shop.example>")


@dataclass
class Inbox:
    """What the mail server accepted; it refuses the first `refuse` messages (451)."""

    port: int = 0
    refuse: int = 0
    refused: int = 0
    # Refuse every recipient, as a server does for an address it does not know (550).
    refuse_recipients: bool = False
    mail: list[EmailMessage] = field(default_factory=list)
    to: list[list[str]] = field(default_factory=list)

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        if self.refuse_recipients:
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.refused < self.refuse:
            self.refused += 1
            return "451 4.3.0 try again later"
        content = envelope.content if isinstance(envelope.content, bytes) else b""
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.mail.append(parsed)
        self.to.append(list(envelope.rcpt_tos))
        return "250 OK"

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture
async def inbox() -> AsyncIterator[Inbox]:
    box = Inbox()
    loop = asyncio.get_running_loop()
    smtp = await loop.create_server(lambda: SMTP(box, hostname="mail.test"), "127.0.0.1", 0)
    box.port = smtp.sockets[0].getsockname()[1]
    yield box
    smtp.close()
    await smtp.wait_closed()


async def left_message(server: Server, email_address: str | None) -> tuple[Any, dict[str, Any]]:
    """A shopper with nobody online leaves a message (from a product page)."""
    widget, session = await server.visitor()
    fields = {"name": "Dana", "email": email_address} if email_address else {}
    conv = await start(widget, message="Do you ship to Norway?", fields=fields,
                       page_url="https://shop.example/p/mug")
    assert conv["status"] == "offline"
    return widget, conv


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


async def test_answers_not_read_are_emailed_once(make_server: ServerFactory, inbox: Inbox) -> None:
    server = await make_server(smtp_url=inbox.url, **DELAY)
    assert (await server.visitor_session())["email_replies"] is True
    agent = await server.add_agent("alex", teams=("support",), status="away")
    console = await server.agent_client(agent)
    widget, conv = await left_message(server, "dana@example.com")
    _, quiet = await left_message(server, None)

    # Two answers in a row: one email with both, to the address given, from the store.
    first = await send(console, conv["id"], "Yes, we do.")
    await send(console, conv["id"], "Delivery takes\n3 to 5 days.")
    await send(console, quiet["id"], "We do ship there.")
    await until(lambda: len(inbox.mail) == 1, what="the email")
    message = inbox.mail[0]
    assert inbox.to == [["dana@example.com"]]
    assert message["From"] == "Harbour Goods <help@shop.example>"
    assert message["Subject"] == "Test store answered your message"
    text = body(message)
    assert "Hello Dana," in text and "Alex wrote:\n> Yes, we do." in text
    assert "> Delivery takes\n> 3 to 5 days." in text and "https://shop.example/p/mug" in text
    # Said to agents in the log; the shopper's own stream does not carry it.
    emailed = await console.wait_for("reply_emailed")
    assert emailed["data"] == {"to": "dana@example.com", "up_to_seq": first + 1}
    resumed = await widget.call("resume", {"conversation_id": conv["id"], "after_seq": 0})
    assert "reply_emailed" not in [e["type"] for e in resumed["events"]]

    # Read in the widget before the delay: not emailed; the next unread answer alone is.
    third = await send(console, conv["id"], "Anything else?")
    await widget.call("mark_read", {"conversation_id": conv["id"], "up_to_seq": third})
    await send(console, conv["id"], "Our shipping page has the rates.")
    await until(lambda: len(inbox.mail) == 2, what="the second email")
    second = body(inbox.mail[1])
    assert "shipping page" in second
    assert "Anything else" not in second and "Yes, we do" not in second
    # Without an address: nothing (its timer has run, and its log says nothing was sent).
    await until(lambda: not server.aisle.timers.pending(f"reply-mail:{quiet['id']}"),
                what="the quiet conversation's turn")
    history = await console.call("get_history", {"conversation_id": quiet["id"]})
    assert "reply_emailed" not in [e["type"] for e in history["events"]]
    assert len(inbox.mail) == 2


async def test_an_answer_to_a_shopper_who_left_the_live_chat_is_emailed(
        make_server: ServerFactory, inbox: Inbox) -> None:
    server = await make_server(smtp_url=inbox.url, visitor_grace_s=0.3, **DELAY)
    console = await server.agent_client(await server.add_agent(teams=("support",)))
    widget, _ = await server.visitor()
    conv = await start(widget, fields={"name": "Dana", "email": "dana@example.com"})
    await console.wait_for("offer_received")
    await console.call("accept_offer", {"conversation_id": conv["id"]})
    await widget.close()
    await send(console, conv["id"], "Here is the tracking link.")
    await console.wait_for("conversation_ended")
    await until(lambda: len(inbox.mail) == 1, what="the answer by email")
    assert "Here is the tracking link." in body(inbox.mail[0])


async def test_a_refusing_mail_server_is_tried_again(make_server: ServerFactory, inbox: Inbox,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reply_mail, "RETRY_S", (0.1, 0.1))
    inbox.refuse = 2
    server = await make_server(smtp_url=inbox.url, **DELAY)
    console = await server.agent_client(await server.add_agent(teams=("support",),
                                                               status="away"))
    _, conv = await left_message(server, "dana@example.com")
    await send(console, conv["id"], "Yes, we do.")
    await until(lambda: len(inbox.mail) == 1, what="the email after two refusals")
    assert inbox.refused == 2


async def test_a_refused_address_is_not_written_to_the_logs(
        make_server: ServerFactory, inbox: Inbox, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """The server's reply quotes the address: the log says the recipient was refused, and its
    code, never who (a shopper's email has no place in the logs)."""
    monkeypatch.setattr(reply_mail, "RETRY_S", (0.05,))
    inbox.refuse_recipients = True
    server = await make_server(smtp_url=inbox.url, **DELAY)
    console = await server.agent_client(await server.add_agent(teams=("support",),
                                                               status="away"))
    _, conv = await left_message(server, "mia.m1@example.org")
    with caplog.at_level(logging.INFO):
        await send(console, conv["id"], "Yes, we do.")
        await until(lambda: "given up" in caplog.text, what="the last try logged")
    ours = "\n".join(r.getMessage() for r in caplog.records  # (not the test's mail server's)
                      if r.name.startswith(("signaling", "media", "aiohttp")))
    assert "the recipient was refused (550)" in ours
    assert "@example.org" not in ours


async def test_answers_still_due_are_emailed_after_a_restart(tmp_path: Path,
                                                             inbox: Inbox) -> None:
    # Answered while the server had no mail server set; then it starts with one.
    server = await start_server(tmp_path / "data")
    assert (await server.visitor_session())["email_replies"] is False
    console = await server.agent_client(await server.add_agent(teams=("support",),
                                                               status="away"))
    _, conv = await left_message(server, "dana@example.com")
    await send(console, conv["id"], "Yes, we do.", client_id=cid())
    settings = replace(server.settings, smtp_url=inbox.url, **DELAY)  # type: ignore[arg-type]
    await server.close()
    app = await create_app(settings)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        await until(lambda: len(inbox.mail) == 1, what="the email after the restart")
        assert "Yes, we do." in body(inbox.mail[0])
        # Logged once the mail server has answered (a moment after it has the email).
        store = app[AISLE].store
        for _ in range(500):
            logged = await store.conversations.events_of_types(conv["id"], ["reply_emailed"])
            if logged:
                break
            await asyncio.sleep(0.01)
        assert len(logged) == 1
    finally:
        await runner.cleanup()


async def test_a_mail_server_without_starttls_is_refused_when_it_is_required(
        inbox: Inbox) -> None:
    mailer = Mailer(SmtpTarget.parse(inbox.url + "?starttls=require"), "help@shop.example")
    message = EmailMessage()
    message["To"] = "dana@example.com"
    message.set_content("hello")
    with pytest.raises(MailError, match="does not offer STARTTLS"):
        await mailer.send(message)
    assert inbox.mail == []
    await Mailer(SmtpTarget.parse(inbox.url), "help@shop.example").send(message)
    assert inbox.to == [["dana@example.com"]]
