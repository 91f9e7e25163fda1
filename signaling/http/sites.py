"""Sites on REST (admins): list them, show, create and change one. The rules are
site_settings.py's (the same as `aisle sites`), the rights sites.py's."""

from __future__ import annotations

from aiohttp import web

from ..auth import Tokens
from ..errors import AisleError
from ..protocol import sites as ps
from ..settings import Settings
from ..sites import Sites, site_view
from ..store import Store
from .api import bearer_agent, error_response, json_response, own_origin, read_model


class SitesApi:
    def __init__(self, settings: Settings, store: Store, tokens: Tokens, sites: Sites) -> None:
        self._settings = settings
        self._store = store
        self._tokens = tokens
        self._sites = sites

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/api/v1/sites", self.list),
            web.post("/api/v1/sites", self.create),
            web.get("/api/v1/sites/{key}", self.get),
            web.patch("/api/v1/sites/{key}", self.change),
        ]

    def _script_base(self, request: web.Request) -> str:
        """Where stores load aisle.js from: the public URL when set, else this request's."""
        return self._settings.public_url or own_origin(request)

    async def list(self, request: web.Request) -> web.Response:
        try:
            actor = await bearer_agent(self._tokens, self._store, request)
            return json_response(await self._sites.overview(actor, self._script_base(request)))
        except AisleError as exc:
            return error_response(exc)

    async def get(self, request: web.Request) -> web.Response:
        try:
            actor = await bearer_agent(self._tokens, self._store, request)
            site = await self._sites.get(actor, request.match_info["key"])
            return json_response(site_view(site, self._script_base(request)))
        except AisleError as exc:
            return error_response(exc)

    async def create(self, request: web.Request) -> web.Response:
        try:
            actor = await bearer_agent(self._tokens, self._store, request)
            self._sites.require_admin(actor)  # before reading what they sent
            req = await read_model(request, ps.NewSite)
            site = await self._sites.create(actor, req)
            return json_response(site_view(site, self._script_base(request)), status=201)
        except AisleError as exc:
            return error_response(exc)

    async def change(self, request: web.Request) -> web.Response:
        try:
            actor = await bearer_agent(self._tokens, self._store, request)
            self._sites.require_admin(actor)
            req = await read_model(request, ps.SiteChanges)
            site = await self._sites.change(actor, request.match_info["key"], req)
            return json_response(site_view(site, self._script_base(request)))
        except AisleError as exc:
            return error_response(exc)
