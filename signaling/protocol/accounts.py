"""Managing agents' accounts on the wire (REST, /api/v1/accounts…): the same changes as
`aisle agents` and `aisle teams`, for supervisors and admins in the browser."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from .base import Model, PersonName
from .common import Role

Login = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")]
# A new team's name must be usable everywhere a team is named (transfers, canned responses,
# topics): the protocol's ids. Existing teams (the CLI takes any name) can still be assigned.
NewTeamName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                               max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
TeamName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64,
                                            pattern=r"^[^\x00-\x1f\x7f]+$")]
DisplayName = PersonName
Capacity = Annotated[int, Field(ge=1, le=50)]


class Account(Model):
    """An agent as the people who manage them see them."""

    id: str
    login: str
    display_name: str
    photo_url: str | None = None
    role: Role
    teams: list[str]
    max_concurrent: int
    disabled: bool
    connected: bool


class AccountList(Model):
    accounts: list[Account]
    teams: list[str]
    # The roles the caller may give and whose accounts they may change.
    manageable_roles: list[Role]


class NewAccount(Model):
    login: Login
    display_name: DisplayName
    role: Role = "agent"
    teams: Annotated[list[TeamName], Field(max_length=50)] = []
    max_concurrent: Capacity = 3


class AccountChanges(Model):
    """Only what is given changes. Disabling ends the agent's sessions at once."""

    display_name: DisplayName | None = None
    role: Role | None = None
    teams: Annotated[list[TeamName], Field(max_length=50)] | None = None
    max_concurrent: Capacity | None = None
    disabled: bool | None = None


class AccountPassword(Model):
    """A generated password, shown once: the new account's, or after a reset (which ends the
    agent's sessions)."""

    account: Account
    password: str


class NewTeam(Model):
    name: NewTeamName
