"""One Socket.IO namespace's plumbing: every request is rate-limited, validated against its
pydantic model, handled, and answered `{ok: true, data}` or `{ok: false, error}`; errors count
against the socket, and a socket that keeps sending garbage is told and disconnected. No handler
can take the server down."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from engineio import AsyncServer as EngineServer
from pydantic import ValidationError

from ..auth import Principal
from ..errors import AisleError, InvalidPayload, UnknownEvent
from ..logs import RateLimitedLog, conversation_var, principal_var
from ..notifier import wire
from ..protocol import notifications as n
from ..protocol.base import Empty, Model
from ..protocol.registry import RequestSpec
from ..store.write_health import describe, is_storage_error
from .server import AisleServer

log = logging.getLogger(__name__)

S = TypeVar("S", bound="Session")


@dataclass
class Session:
    sid: str
    principal: Principal


Handler = Callable[[Any, Any], Awaitable[Model | None]]


def _validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    return [{"loc": ".".join(str(p) for p in e["loc"]), "msg": e["msg"]}
            for e in exc.errors(include_url=False, include_input=False)[:10]]


class Namespace(Generic[S]):
    def __init__(self, sio: AisleServer, namespace: str, specs: dict[str, RequestSpec]) -> None:
        self.sio = sio
        self.namespace = namespace
        self.specs = specs
        self.sessions: dict[str, S] = {}
        self._handlers: dict[str, Handler] = {}
        self._errors = RateLimitedLog(log)
        # Disconnects scheduled after an error ack has gone out; held so they finish.
        self._closing: set[asyncio.Task[None]] = set()
        # Called with the sid of every socket that goes away, and whether its connection was
        # lost (broke or fell silent) rather than closed by its page: calls wait for a rejoin.
        self.on_disconnect: list[Callable[[str, bool], Awaitable[None]]] = []

    def handler(self, event: str) -> Callable[[Handler], Handler]:
        if event not in self.specs:
            raise KeyError(f"{event} is not in the protocol registry of {self.namespace}")

        def register(fn: Handler) -> Handler:
            self._handlers[event] = fn
            return fn

        return register

    def install(self) -> None:
        missing = set(self.specs) - set(self._handlers)
        if missing:
            raise RuntimeError(f"{self.namespace}: no handler for {sorted(missing)}")
        for event in self.specs:
            self.sio.on(event, namespace=self.namespace)(self._wrap(event))
        self.sio.on("*", namespace=self.namespace)(self._unknown)

    def _wrap(self, event: str) -> Callable[..., Awaitable[dict[str, Any]]]:
        spec = self.specs[event]
        handler = self._handlers[event]

        async def dispatch(sid: str, *args: Any) -> dict[str, Any]:
            return await self._dispatch(event, spec, handler, sid, args)

        return dispatch

    async def _dispatch(self, event: str, spec: RequestSpec, handler: Handler, sid: str,
                        args: tuple[Any, ...]) -> dict[str, Any]:
        session = self.sessions.get(sid)
        if session is None:
            return {"ok": False, "error": {"code": "unauthorized", "message": "not connected"}}
        principal_var.set(session.principal.label)
        conversation_var.set(None)
        try:
            self.sio.guard.admit(sid, stream=spec.stream)
            if len(args) > 1:
                raise InvalidPayload("send one payload object")
            data = args[0] if args else None
            if data is None and spec.request is Empty:
                data = {}
            if not isinstance(data, dict):
                raise InvalidPayload("the payload must be an object")
            conversation = data.get("conversation_id")
            if isinstance(conversation, str):
                conversation_var.set(conversation[:64])
            try:
                request = spec.request.model_validate(data)
            except ValidationError as exc:
                raise InvalidPayload("the payload does not match the schema",
                                     errors=_validation_details(exc)) from exc
            result = await handler(session, request)
            return {"ok": True, "data": wire(result) if result is not None else {}}
        except AisleError as exc:
            if exc.abusive:
                await self._count_error(sid)
            return {"ok": False, "error": exc.to_wire()}
        except Exception as exc:
            if is_storage_error(exc):
                # The database fails (a full disk, a lost server): said in the log and on
                # /readyz, and to the client as something to try again, not as our bug.
                self._errors.warning("storage", "%s: the database failed (%s)", event,
                                     describe(exc))
                return {"ok": False, "error": {"code": "storage_unavailable",
                                               "message": "the server cannot store this right "
                                                          "now: try again in a moment"}}
            # Our bug, not the client's: logged (rate-limited), not held against the socket.
            self._errors.warning(f"handler:{event}", "%s failed", event, exc_info=True)
            return {"ok": False, "error": {"code": "internal_error",
                                           "message": "the server could not do that"}}

    async def _unknown(self, event: Any, sid: str, *args: Any) -> dict[str, Any]:
        await self._count_error(sid)
        name = event if isinstance(event, str) else repr(type(event).__name__)
        return {"ok": False, "error": UnknownEvent(f"no event {name[:64]!r}").to_wire()}

    async def _count_error(self, sid: str) -> None:
        if self.sio.guard.record_error(sid):
            self.sio.guard.forget(sid)
            task = asyncio.create_task(self._close(sid))
            self._closing.add(task)
            task.add_done_callback(self._closing.discard)

    async def _close(self, sid: str) -> None:
        await self.sio.emit("session_closed", wire(n.SessionClosed(reason="too_many_errors")),
                            to=sid, namespace=self.namespace)
        await self.sio.disconnect(sid, namespace=self.namespace)
        self._errors.warning("too_many_errors", "disconnected %s after too many errors", sid)

    async def close(self) -> None:
        for task in list(self._closing):
            task.cancel()
        await asyncio.gather(*self._closing, return_exceptions=True)


def connection_lost(reason: object) -> bool:
    """A disconnect's reason (python-engineio's) says the connection broke or fell silent,
    rather than that the page closed it or the server did."""
    return reason in (EngineServer.reason.PING_TIMEOUT, EngineServer.reason.TRANSPORT_ERROR)
