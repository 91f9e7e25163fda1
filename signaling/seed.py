"""The demo data the first `aisle serve` creates: a demo store site, three teams, a demo agent,
a demo supervisor and a demo admin, with logins printed once; a few canned responses and a
scorecard per team, so that typing `/` and scoring a conversation work from the first minute."""

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
# The demo store's own name and colour (cobrowse_js/demo: Harbour Goods, teal).
DEMO_STORE_NAME = "Harbour Goods"
DEMO_COLOR = "#0f766e"
# Shared per team, as a supervisor would set them up; the agent's own greeting beside them.
DEMO_CANNED = [
    ("sales", "sizes", "Our tees run true to size. Between two sizes? Take the larger one: "
                       "cotton shrinks a little in the first wash."),
    ("support", "track", "You can follow your parcel from the link in your shipping email. "
                         "Orders leave our warehouse within one working day."),
    ("billing", "refund", "Refunds go back to the card you paid with, within 5 working days "
                          "of the return reaching us."),
]
DEMO_GREETING = "Hi {first_name}, thanks for getting in touch. How can I help you today?"
DEMO_CRITERIA = [
    {"id": "greeting", "label": "Greeted the shopper and introduced themselves", "max": 5},
    {"id": "understanding", "label": "Understood what the shopper needed", "max": 5},
    {"id": "answer", "label": "Gave a correct and complete answer", "max": 5},
    {"id": "tone", "label": "Tone and empathy", "max": 5},
    {"id": "close", "label": "Closed the conversation well", "max": 5},
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
        key=DEMO_SITE_KEY, name=DEMO_STORE_NAME,
        # "self" is Aisle's own origin, where /demo is served.
        allowed_origins=["self", *public_origins],
        settings={
            "theme": {"color": DEMO_COLOR, "position": "right",
                      "greeting": "Hi! Questions about a product or an order?"},
            "topics": DEMO_TOPICS,
        },
    )
    logins = [Login("agent", secrets.token_urlsafe(9), "agent"),
              Login("supervisor", secrets.token_urlsafe(9), "supervisor"),
              Login("admin", secrets.token_urlsafe(9), "admin")]
    agent = await store.agents.create(
        login="agent", password_hash=hash_password(logins[0].password),
        display_name="Alex (demo agent)", role="agent", max_concurrent=3, teams_=list(TEAMS))
    supervisor = await store.agents.create(
        login="supervisor", password_hash=hash_password(logins[1].password),
        display_name="Sam (demo supervisor)", role="supervisor", max_concurrent=3,
        teams_=list(TEAMS))
    # Sets up the stores (sites) and gives supervisor roles; takes no chats.
    await store.agents.create(login="admin", password_hash=hash_password(logins[2].password),
                              display_name="Robin (demo admin)", role="admin",
                              max_concurrent=3, teams_=[])
    for team, shortcut, text in DEMO_CANNED:
        await store.canned.save(canned_id=None, agent_id=None, team=team, shortcut=shortcut,
                                text=text)
    await store.canned.save(canned_id=None, agent_id=agent.id, team=None, shortcut="hi",
                            text=DEMO_GREETING)
    for team in TEAMS:
        await store.review.set_criteria(team, DEMO_CRITERIA, supervisor.id)
    return logins
