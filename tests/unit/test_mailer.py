"""AISLE_SMTP_URL read into where and how mail goes; a bad one stops the server with a reason."""

from __future__ import annotations

from typing import Any

import pytest

from signaling.mailer import SmtpTarget
from signaling.reply_mail import reply_mail_from
from signaling.settings import Settings


def test_smtp_urls() -> None:
    plain = SmtpTarget.parse("smtp://mail.example")
    assert (plain.host, plain.port, plain.implicit_tls, plain.require_starttls) == (
        "mail.example", 587, False, False)
    assert plain.username is None and plain.password is None
    tls = SmtpTarget.parse("smtps://help%40shop.example:p%3Ass@mail.example?x=1")
    assert (tls.port, tls.implicit_tls, tls.username, tls.password) == (
        465, True, "help@shop.example", "p:ss")
    strict = SmtpTarget.parse("smtp://mail.example:2525?starttls=require")
    assert (strict.port, strict.require_starttls) == (2525, True)
    assert "p:ss" not in tls.describe() and "help" not in tls.describe()
    for bad in ("http://mail.example", "smtp://", "smtp://mail.example:port",
                "smtp://mail.example?starttls=never"):
        with pytest.raises(ValueError):
            SmtpTarget.parse(bad)


def test_a_bad_smtp_url_stops_the_server_saying_why() -> None:
    nothing: Any = None
    with pytest.raises(SystemExit, match="AISLE_SMTP_URL: use smtp://"):
        reply_mail_from(Settings(smtp_url="mail.example:25"), nothing, nothing, nothing)
    assert reply_mail_from(Settings(), nothing, nothing, nothing) is None
