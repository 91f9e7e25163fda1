"""Email out through the operator's SMTP server (`AISLE_SMTP_URL`), with the standard library's
client in a worker thread: a slow or unreachable mail server never holds the event loop.

    smtp://[user:password@]host[:port]      port 587 by default; STARTTLS when the server
                                            offers it (`?starttls=require`: refuse to send
                                            without it)
    smtps://[user:password@]host[:port]     port 465; TLS from the first byte

User and password are percent-decoded. The URL is never logged (it may hold the password)."""

from __future__ import annotations

import asyncio
import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit


class MailError(Exception):
    """Sending failed; the message says why (no credentials in it, and no address: it is
    logged, and a shopper's email address has no place in the logs)."""


_ADDRESS = re.compile(r"[^\s<>'\"(),;:]+@[^\s<>'\"(),;:]+")


def describe_failure(exc: BaseException) -> str:
    """The failure as logs may say it: the SMTP codes, never the recipients."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in exc.recipients.values()})
        return f"{type(exc).__name__}: the recipient was refused ({', '.join(map(str, codes))})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__}: {exc.smtp_code}"
    return _ADDRESS.sub("<address>", f"{type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    implicit_tls: bool
    require_starttls: bool
    username: str | None
    password: str | None

    @classmethod
    def parse(cls, url: str) -> SmtpTarget:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("use smtp://host[:port] or smtps://host[:port]")
        try:
            port = parts.port
        except ValueError:
            raise ValueError("the port is not a number") from None
        query = parse_qs(parts.query)
        starttls = query.get("starttls", ["auto"])[-1]
        if starttls not in ("auto", "require"):
            raise ValueError("starttls is auto or require")
        implicit = parts.scheme == "smtps"
        return cls(host=parts.hostname, port=port or (465 if implicit else 587),
                   implicit_tls=implicit, require_starttls=starttls == "require",
                   username=unquote(parts.username) if parts.username else None,
                   password=unquote(parts.password) if parts.password else None)

    def describe(self) -> str:
        """Where mail goes, as logged: no credentials."""
        how = "TLS" if self.implicit_tls else (
            "STARTTLS required" if self.require_starttls else "STARTTLS when offered")
        return f"{self.host}:{self.port} ({how})"


class Mailer:
    def __init__(self, target: SmtpTarget, sender: str, timeout_s: float = 20.0) -> None:
        self.target = target
        self.sender = sender or f"noreply@{target.host}"
        self._timeout_s = timeout_s

    async def send(self, message: EmailMessage) -> None:
        if "From" not in message:
            message["From"] = self.sender
        await asyncio.to_thread(self._send, message)

    def _send(self, message: EmailMessage) -> None:
        t = self.target
        context = ssl.create_default_context()
        try:
            client: smtplib.SMTP
            if t.implicit_tls:
                client = smtplib.SMTP_SSL(t.host, t.port, timeout=self._timeout_s,
                                          context=context)
            else:
                client = smtplib.SMTP(t.host, t.port, timeout=self._timeout_s)
            with client:
                client.ehlo()
                if not t.implicit_tls:
                    if client.has_extn("starttls"):
                        client.starttls(context=context)
                        client.ehlo()
                    elif t.require_starttls:
                        raise MailError(f"{t.host} does not offer STARTTLS")
                if t.username is not None:
                    client.login(t.username, t.password or "")
                client.send_message(message)
        except MailError:
            raise
        except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
            raise MailError(describe_failure(exc)) from None
