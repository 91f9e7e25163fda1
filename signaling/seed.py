"""The demo data the first `aisle serve` creates: a demo store site, three teams, a demo agent,
a demo supervisor and a demo admin, with logins printed once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from .auth import hash_password
from .store import Store

DEMO_SITE_KEY = "demo"
TEAMS = ("sales", "support", "billing")
DEMO_TOPICS = [
    {"id": "buying", "label": "Help choosing a product", "team": "sales"},
    {"id": "order", "label": "An order I placed", "team": "support"},
    {"id": "payment", "label": "Payment or refund", "team": "billing"},
]


@dataclass(frozen=True)
class Login:
    login: str
    password: str
    role: str


async def seed_demo(store: Store, public_origins: list[str]) -> list[Login] | None:
    """Creates the demo data when the store is empty; returns the new logins, else None."""
    if await store.sites.all() or await store.agents.all():
        return None
    for team in TEAMS:
        await store.agents.create_team(team)
    await store.sites.create(
        key=DEMO_SITE_KEY, name="Aisle demo store",
        # "self" is Aisle's own origin, where /demo is served.
        allowed_origins=["self", *public_origins],
        settings={
            "theme": {"color": "#4f46e5", "position": "right",
                      "greeting": "Hi! Questions about a product or an order?"},
            "topics": DEMO_TOPICS,
        },
    )
    logins = [Login("agent", secrets.token_urlsafe(9), "agent"),
              Login("supervisor", secrets.token_urlsafe(9), "supervisor"),
              Login("admin", secrets.token_urlsafe(9), "admin")]
    await store.agents.create(login="agent", password_hash=hash_password(logins[0].password),
                              display_name="Alex (demo agent)", role="agent", max_concurrent=3,
                              teams_=list(TEAMS))
    await store.agents.create(login="supervisor",
                              password_hash=hash_password(logins[1].password),
                              display_name="Sam (demo supervisor)", role="supervisor",
                              max_concurrent=3, teams_=list(TEAMS))
    # Sets up the stores (sites) and gives supervisor roles; takes no chats.
    await store.agents.create(login="admin", password_hash=hash_password(logins[2].password),
                              display_name="Robin (demo admin)", role="admin",
                              max_concurrent=3, teams_=[])
    return logins
