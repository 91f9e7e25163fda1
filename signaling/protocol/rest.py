"""REST bodies: sessions, login, token refresh, uploads."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from .base import Model
from .common import AgentInfo, Availability, SiteConfig, VisitorConversation


class CreateVisitorSession(Model):
    site_key: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    # What the widget kept from an earlier visit; proves it is the same visitor.
    visitor_key: Annotated[str, StringConstraints(max_length=512)] | None = None


class VisitorSession(Model):
    visitor_id: str
    visitor_key: str
    token: str
    expires_at: int
    site: SiteConfig
    availability: Availability
    # The open conversation (or one with an answer the visitor has not read) to resume.
    conversation: VisitorConversation | None = None
    # Answers to a message left are also emailed, to a shopper who gives an address.
    email_replies: bool = False


class Login(Model):
    login: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class LoginResult(Model):
    token: str
    expires_at: int
    agent: AgentInfo


class PhotoResult(Model):
    photo_url: str
