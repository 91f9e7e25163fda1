"""Accounts on REST (supervisors and admins): list agents and teams, add an agent, change one
(name, role, teams, capacity, disabled), reset a password, add a team. The rules are
accounts.py's."""

from __future__ import annotations

from aiohttp import web

from ..accounts import Accounts
from ..auth import Tokens
from ..errors import AisleError
from ..protocol import accounts as ac
from ..store import Store
from .api import bearer_agent, error_response, json_response, read_model


class AccountsApi:
    def __init__(self, store: Store, tokens: Tokens, accounts: Accounts) -> None:
        self._store = store
        self._tokens = tokens
        self._accounts = accounts

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/api/v1/accounts", self.list),
            web.post("/api/v1/accounts", self.create),
            web.patch("/api/v1/accounts/{id}", self.change),
            web.post("/api/v1/accounts/{id}/password", self.reset_password),
            web.post("/api/v1/teams", self.create_team),
        ]

    async def list(self, request: web.Request) -> web.Response:
        try:
            actor = await bearer_agent(self._tokens, self._store, request)
            return json_response(await self._accounts.overview(actor))
        except AisleError as exc:
            return error_response(exc)

    async def create(self, request: web.Request) -> web.Response:
        try:
            actor = await bearer_agent(self._tokens, self._store, request)
            req = await read_model(request, ac.NewAccount)
            return json_response(await self._accounts.create(actor, req), status=201)
        except AisleError as exc:
            return error_response(exc)

    async def change(self, request: web.Request) -> web.Response:
        try:
            actor = await bearer_agent(self._tokens, self._store, request)
            req = await read_model(request, ac.AccountChanges)
            return json_response(await self._accounts.change(actor, request.match_info["id"],
                                                             req))
        except AisleError as exc:
            return error_response(exc)

    async def reset_password(self, request: web.Request) -> web.Response:
        try:
            actor = await bearer_agent(self._tokens, self._store, request)
            return json_response(await self._accounts.reset_password(
                actor, request.match_info["id"]))
        except AisleError as exc:
            return error_response(exc)

    async def create_team(self, request: web.Request) -> web.Response:
        try:
            actor = await bearer_agent(self._tokens, self._store, request)
            req = await read_model(request, ac.NewTeam)
            return json_response(await self._accounts.create_team(actor, req), status=201)
        except AisleError as exc:
            return error_response(exc)
