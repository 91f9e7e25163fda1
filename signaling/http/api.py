"""The REST API under /api/v1: visitor sessions (called cross-origin by the widget), agent login
and token refresh, agent photos, and read access to conversations."""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections import deque
from typing import Any, TypeVar

import orjson
from aiohttp import web
from pydantic import ValidationError

from .. import access
from ..accounts import check_session
from ..auth import Principal, Tokens, verify_password
from ..errors import (
    AisleError,
    Forbidden,
    InvalidPayload,
    NotFound,
    RateLimited,
    TooLarge,
    Unauthorized,
    UnsupportedMediaType,
)
from ..notifier import Notifier, agent_room, wire
from ..protocol import notifications as n
from ..protocol.base import Model
from ..protocol.rest import CreateVisitorSession, Login, LoginResult, PhotoResult
from ..settings import Settings
from ..sockets.events import loads as json_loads
from ..store import Store
from ..store.agents import AgentRecord
from ..views import PHOTO_PATH, agent_info
from ..visitors import Visitors

log = logging.getLogger(__name__)

M = TypeVar("M", bound=Model)

# Accepted photo types, recognised by their first bytes rather than trusting the client.
PHOTO_TYPES = {
    "image/png": (b"\x89PNG\r\n\x1a\n", "png"),
    "image/jpeg": (b"\xff\xd8\xff", "jpg"),
    "image/webp": (b"RIFF", "webp"),
}
PHOTO_NAME = re.compile(r"^agt_[0-9a-z]+-[0-9a-f]{16}\.(png|jpg|webp)$")
LOGIN_FAILURES_PER_MINUTE = 10
MAX_BODY_BYTES = 65_536  # a JSON request body (photos have their own limit)
# Login names and addresses whose recent failures are remembered (each is a few hundred bytes).
MAX_TRACKED_LOGINS = 10_000


def json_response(body: Model | dict[str, Any], status: int = 200,
                  headers: dict[str, str] | None = None) -> web.Response:
    payload = wire(body) if isinstance(body, Model) else body
    return web.Response(body=orjson.dumps(payload), status=status,
                        content_type="application/json", headers=headers)


def error_response(exc: AisleError, headers: dict[str, str] | None = None) -> web.Response:
    return json_response({"error": exc.to_wire()}, exc.http_status, headers)


def bearer(tokens: Tokens, request: web.Request) -> Principal:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise Unauthorized("an Authorization: Bearer token is required")
    return tokens.verify(header.removeprefix("Bearer ").strip())


async def bearer_agent(tokens: Tokens, store: Store, request: web.Request) -> AgentRecord:
    """The agent whose token the request carries, if their account still accepts it."""
    principal = bearer(tokens, request)
    if principal.kind != "agent":
        raise Unauthorized("an agent token is required")
    return check_session(principal, await store.agents.get(principal.id))


async def read_model(request: web.Request, model: type[M]) -> M:
    """The JSON body as `model`. A body must say it is `application/json` (a form or text/plain
    is what a page of another site can post without asking); no body at all reads as {}."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise TooLarge("request body too large")
    raw = bytearray()
    async for chunk in request.content.iter_chunked(65_536):  # a chunked body has no length
        raw += chunk
        if len(raw) > MAX_BODY_BYTES:
            raise TooLarge("request body too large")
    if raw and request.content_type != "application/json":
        raise UnsupportedMediaType("send the body as application/json",
                                   accepted=["application/json"])
    try:
        data = json_loads(bytes(raw) or b"{}")  # as on sockets: a lone surrogate reads as U+FFFD
    except ValueError as exc:
        raise InvalidPayload("the body is not JSON") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidPayload("the body does not match the schema", errors=[
            {"loc": ".".join(str(p) for p in e["loc"]), "msg": e["msg"]}
            for e in exc.errors(include_url=False, include_input=False)[:10]]) from exc


def own_origin(request: web.Request) -> str:
    scheme = request.headers.get("X-Forwarded-Proto", request.scheme)
    return f"{scheme}://{request.host}"


class Api:
    def __init__(self, settings: Settings, store: Store, tokens: Tokens, visitors: Visitors,
                 notifier: Notifier) -> None:
        self._settings = settings
        self._store = store
        self._tokens = tokens
        self._visitors = visitors
        self._notifier = notifier
        self._photos = settings.data_dir / "photos"
        self._failures: dict[str, deque[float]] = {}

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/api/v1/visitor-sessions", self.visitor_session),
            web.options("/api/v1/visitor-sessions", self.visitor_session_preflight),
            web.post("/api/v1/login", self.login),
            web.post("/api/v1/token", self.refresh),
            web.post("/api/v1/agents/me/photo", self.upload_photo),
            web.get(PHOTO_PATH + "{name}", self.photo),
            web.get("/api/v1/conversations/{id}", self.conversation),
            web.get("/api/v1/conversations/{id}/events", self.conversation_events),
        ]

    # ---- visitors (cross-origin) ----------------------------------------------------------

    @staticmethod
    def _cors(request: web.Request) -> dict[str, str]:
        origin = request.headers.get("Origin")
        if not origin:
            return {}
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}

    async def visitor_session_preflight(self, request: web.Request) -> web.Response:
        return web.Response(status=204, headers={
            **self._cors(request),
            "Access-Control-Allow-Methods": "POST",
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Max-Age": "600",
        })

    async def visitor_session(self, request: web.Request) -> web.Response:
        origin = request.headers.get("Origin")
        try:
            req = await read_model(request, CreateVisitorSession)
            session = await self._visitors.create_session(req, origin, own_origin(request))
        except AisleError as exc:
            # Readable by the page, so the widget can tell "refused" from "server down" (the
            # refusal names nothing the page does not know).
            return error_response(exc, self._cors(request))
        return json_response(session, headers=self._cors(request))

    # ---- agents ---------------------------------------------------------------------------

    def _throttle(self, key: str) -> None:
        failures = self._failures.get(key)
        if failures is None:
            return
        now = time.monotonic()
        while failures and now - failures[0] > 60:
            failures.popleft()
        if not failures:
            del self._failures[key]
        elif len(failures) >= LOGIN_FAILURES_PER_MINUTE:
            raise RateLimited("too many failed logins: wait a minute")

    def _failed(self, key: str) -> None:
        now = time.monotonic()
        if len(self._failures) >= MAX_TRACKED_LOGINS:  # forget what is over a minute old
            for stale in [k for k, v in self._failures.items() if not v or now - v[-1] > 60]:
                del self._failures[stale]
            while len(self._failures) >= MAX_TRACKED_LOGINS:  # a flood: the oldest go first
                del self._failures[next(iter(self._failures))]
        self._failures.setdefault(key, deque()).append(now)

    async def login(self, request: web.Request) -> web.Response:
        try:
            req = await read_model(request, Login)
            key = f"{request.remote}:{req.login}"
            self._throttle(key)
            record = await self._store.agents.get_by_login(req.login)
            if not verify_password(record.password_hash if record else None, req.password) \
                    or record is None:
                self._failed(key)
                raise Unauthorized("wrong login or password")
            if record.disabled:
                raise Forbidden("this account is disabled: ask your supervisor or admin",
                                reason="account_disabled")
            token, expires = self._tokens.issue(Principal(kind="agent", id=record.id,
                                                          version=record.token_version))
        except AisleError as exc:
            return error_response(exc)
        log.info("agent %s logged in", record.id)
        return json_response(LoginResult(token=token, expires_at=expires,
                                         agent=agent_info(record, None)))

    def _bearer(self, request: web.Request) -> Principal:
        return bearer(self._tokens, request)

    async def _agent(self, request: web.Request) -> AgentRecord:
        return await bearer_agent(self._tokens, self._store, request)

    async def refresh(self, request: web.Request) -> web.Response:
        try:
            principal = self._bearer(request)
            if principal.kind == "agent":
                check_session(principal, await self._store.agents.get(principal.id))
            token, expires = self._tokens.refresh(principal)
        except AisleError as exc:
            return error_response(exc, self._cors(request))
        return json_response({"token": token, "expires_at": expires},
                             headers=self._cors(request))

    async def upload_photo(self, request: web.Request) -> web.Response:
        try:
            agent = await self._agent(request)
            kind = request.content_type
            if kind not in PHOTO_TYPES:
                raise InvalidPayload("a photo must be PNG, JPEG or WebP",
                                     accepted=sorted(PHOTO_TYPES))
            limit = self._settings.max_upload_bytes
            if request.content_length is not None and request.content_length > limit:
                raise TooLarge(f"a photo may be at most {limit} bytes")
            body = bytearray()
            async for chunk in request.content.iter_chunked(65_536):
                body += chunk
                if len(body) > limit:
                    raise TooLarge(f"a photo may be at most {limit} bytes")
            magic, ext = PHOTO_TYPES[kind]
            if not body.startswith(magic) or (ext == "webp" and body[8:12] != b"WEBP"):
                raise InvalidPayload("the file is not the image type it claims to be")
        except AisleError as exc:
            return error_response(exc)
        self._photos.mkdir(parents=True, exist_ok=True)
        name = f"{agent.id}-{secrets.token_hex(8)}.{ext}"
        (self._photos / name).write_bytes(bytes(body))
        if agent.photo and PHOTO_NAME.match(agent.photo):
            (self._photos / agent.photo).unlink(missing_ok=True)
        await self._store.agents.update(agent.id, photo=name)
        record = await self._store.agents.get(agent.id) or agent
        await self._notifier.agents(agent_room(agent.id), "agent_updated",
                                    n.AgentUpdated(agent=agent_info(record, None)))
        return json_response(PhotoResult(photo_url=f"{PHOTO_PATH}{name}"))

    async def photo(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        path = self._photos / name
        if not PHOTO_NAME.match(name) or not path.is_file():
            return error_response(NotFound("no such photo"))
        return web.FileResponse(path, headers={
            "Cache-Control": "public, max-age=86400, immutable",
            "X-Content-Type-Options": "nosniff",
            "Access-Control-Allow-Origin": "*",
        })

    # ---- conversations --------------------------------------------------------------------

    async def conversation(self, request: web.Request) -> web.Response:
        try:
            agent = await self._agent(request)
            conv = await self._store.conversations.get(request.match_info["id"])
            if conv is None:
                raise NotFound("no such conversation")
            access.check(access.can_read(agent, conv))
        except AisleError as exc:
            return error_response(exc)
        return json_response(conv)

    async def conversation_events(self, request: web.Request) -> web.Response:
        try:
            agent = await self._agent(request)
            conv = await self._store.conversations.get(request.match_info["id"])
            if conv is None:
                raise NotFound("no such conversation")
            access.check(access.can_read(agent, conv))
            try:
                after = int(request.query.get("after", "0"))
            except ValueError as exc:
                raise InvalidPayload("after must be a number") from exc
            if not 0 <= after <= 2**53:
                raise InvalidPayload("after is out of range")
            events = await self._store.conversations.events_after(conv.id, after,
                                                                  agent_view=True)
        except AisleError as exc:
            return error_response(exc)
        return json_response({"events": [wire(e) for e in events]})
