"""Review over REST (supervisors, trainers; agents their own where the site allows): search
recordings, open one, its files (range requests, token in the URL), annotations, scorecards,
scores and their summaries, export, erasure; and the supervisors' reports."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from typing import Any, cast

from aiohttp import web

from .. import reports
from ..auth import Tokens
from ..errors import AisleError, Forbidden, InvalidPayload
from ..protocol import review as rv
from ..review import catalog, subject
from ..review.export import build_zip
from ..review.jobs import Jobs
from ..review.retention import Retention
from ..review.service import Review
from ..store import Store
from ..store.agents import AgentRecord
from .api import bearer_agent, error_response, json_response, read_model

MAX_QUERY_INT = 2**53


def _int(query: Any, name: str) -> int | None:
    raw = query.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError as exc:
        raise InvalidPayload(f"{name} must be a whole number") from exc
    if abs(value) > MAX_QUERY_INT:  # the database's integers are 64-bit
        raise InvalidPayload(f"{name} is out of range")
    return value


def _flag(query: Any, name: str) -> bool | None:
    raw = query.get(name)
    if raw in (None, ""):
        return None
    if raw not in ("true", "false", "1", "0"):
        raise InvalidPayload(f"{name} must be true or false")
    return raw in ("true", "1")


def parse_query(query: Any) -> catalog.Query:
    words = tuple(w for w in (query.get("q") or "").split() if w)[:8]
    limit = _int(query, "limit") or 50
    return catalog.Query(
        agent_id=query.get("agent") or None, team=query.get("team") or None,
        since_ms=_int(query, "from"), until_ms=_int(query, "to"),
        min_rating=_int(query, "min_rating"), max_rating=_int(query, "max_rating"),
        min_duration_s=_int(query, "min_duration"), max_duration_s=_int(query, "max_duration"),
        words=words, has_call=_flag(query, "has_call"), has_cobrowse=_flag(query, "has_cobrowse"),
        outcome=cast(catalog.Outcome | None, _choice(query, "outcome", catalog.OUTCOMES)),
        scored=_flag(query, "scored"),
        sort=cast(catalog.Sort, _choice(query, "sort", catalog.SORTS) or "newest"),
        limit=max(1, min(limit, 200)), offset=max(0, _int(query, "offset") or 0))


def _choice(query: Any, name: str, choices: tuple[str, ...]) -> str | None:
    raw = query.get(name)
    if raw in (None, ""):
        return None
    if raw not in choices:
        raise InvalidPayload(f"{name} must be one of {', '.join(choices)}")
    return str(raw)



def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header takes gzip (and does not refuse it with q=0)."""
    for part in accept_encoding.lower().split(","):
        name, *params = (p.strip() for p in part.split(";"))
        if name in ("gzip", "*"):
            q = next((p[2:] for p in params if p.startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


OPENED_AGAIN_S = 1800.0


class ReviewApi:
    def __init__(self, store: Store, tokens: Tokens, review: Review, retention: Retention,
                 jobs: Jobs) -> None:
        self._store = store
        self._tokens = tokens
        self._review = review
        self._retention = retention
        self._jobs = jobs
        # (reviewer, recording) → when its opening was last audited (monotonic s): the player
        # fetches the recording again each time its tab comes back into view.
        self._opened: OrderedDict[tuple[str, str], float] = OrderedDict()

    def routes(self) -> list[web.RouteDef]:
        base = "/api/v1/recordings"
        return [
            web.get(base, self.search),
            web.get(base + "/{id}", self.recording),
            web.get(base + "/{id}/files/{path:.+}", self.file),
            web.post(base + "/{id}/annotations", self.annotate),
            web.put(base + "/{id}/annotations/{annotation}", self.edit_annotation),
            web.delete(base + "/{id}/annotations/{annotation}", self.delete_annotation),
            web.put(base + "/{id}/score", self.score),
            web.get(base + "/{id}/export.zip", self.export),
            web.post(base + "/{id}/compose", self.compose),
            web.get("/api/v1/jobs/{job}", self.job),
            web.get("/api/v1/teams/{team}/scorecard", self.scorecard),
            web.put("/api/v1/teams/{team}/scorecard", self.set_scorecard),
            web.get("/api/v1/scores/summary", self.summary),
            web.get("/api/v1/reports", self.report),
            web.get("/api/v1/agents", self.agents),
            web.get("/api/v1/visitors", self.find_visitors),
            web.get("/api/v1/visitors/{id}/export", self.export_visitor),
            web.post("/api/v1/visitors/{id}/erase", self.erase),
            web.get("/api/v1/audit", self.audit),
        ]

    async def _agent(self, request: web.Request) -> AgentRecord:
        return await bearer_agent(self._tokens, self._store, request)

    async def search(self, request: web.Request) -> web.Response:
        try:
            agent = await self._agent(request)
            found, total = await catalog.search(self._store, agent, parse_query(request.query))
            scope = await catalog.scope(self._store, agent)
        except AisleError as exc:
            return error_response(exc)
        return json_response(rv.RecordingList(recordings=found, total=total, scope=scope))

    async def recording(self, request: web.Request) -> web.Response:
        try:
            agent = await self._agent(request)
            result = await self._review.recording(agent, request.match_info["id"])
            if self._first_opening(agent.id, result.conversation.id):
                await self._audit(agent, "recording_opened", result.conversation.id)
        except AisleError as exc:
            return error_response(exc)
        return json_response(result)

    def _first_opening(self, agent_id: str, conversation_id: str) -> bool:
        """Whether this opening is the reviewer's first of the recording in OPENED_AGAIN_S."""
        key, now = (agent_id, conversation_id), time.monotonic()
        last = self._opened.pop(key, None)
        self._opened[key] = now if last is None or now - last >= OPENED_AGAIN_S else last
        while len(self._opened) > 10_000:
            self._opened.popitem(last=False)
        return last is None or now - last >= OPENED_AGAIN_S

    async def _audit(self, agent: AgentRecord, action: str, conversation_id: str) -> None:
        """Who opened, exported or composed which recording: who may hold a copy."""
        await self._store.review.audit(agent.id, action, {"conversation_id": conversation_id,
                                                          "login": agent.login})

    async def audit(self, request: web.Request) -> web.Response:
        """The audit log, newest first (admins): recordings opened, exported and composed,
        shoppers erased, retention purges."""
        try:
            agent = await self._agent(request)
            if agent.role != "admin":
                raise Forbidden("admins read the audit log")
            limit = max(1, min(_int(request.query, "limit") or 100, 1000))
            entries = await self._store.review.audit_entries(limit)
        except AisleError as exc:
            return error_response(exc)
        return json_response({"entries": entries})

    async def file(self, request: web.Request) -> web.StreamResponse:
        conversation_id = request.match_info["id"]
        relative = request.match_info["path"]
        try:
            path = await self._review.file_for_token(conversation_id, relative,
                                               request.query.get("t", ""))
        except AisleError as exc:
            return error_response(exc)
        # Not stored by the reviewer's browser: a recording erased or purged here must not
        # live on in someone's disk cache.
        headers = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}
        if path.suffix == ".cb":
            gzipped = accepts_gzip(request.headers.get("Accept-Encoding", ""))
            try:
                body = await asyncio.to_thread(Review.decode_chunk, path, gzipped)
            except AisleError as exc:
                return error_response(exc)
            headers["Vary"] = "Accept-Encoding"
            if gzipped:
                headers["Content-Encoding"] = "gzip"
            return web.Response(body=body, content_type="application/json", headers=headers)
        # FileResponse answers Range requests (seeking in the player).
        return web.FileResponse(path, headers={**headers, "Content-Type": "video/webm"})

    async def annotate(self, request: web.Request) -> web.Response:
        try:
            agent = await self._agent(request)
            note = await read_model(request, rv.NewAnnotation)
            created = await self._review.annotate(agent, request.match_info["id"], note)
        except AisleError as exc:
            return error_response(exc)
        return json_response(created, status=201)

    async def edit_annotation(self, request: web.Request) -> web.Response:
        try:
            agent = await self._agent(request)
            edit = await read_model(request, rv.AnnotationEdit)
            edited = await self._review.edit_annotation(agent, request.match_info["id"],
                                                        request.match_info["annotation"], edit)
        except AisleError as exc:
            return error_response(exc)
        return json_response(edited)

    async def delete_annotation(self, request: web.Request) -> web.Response:
        try:
            agent = await self._agent(request)
            await self._review.delete_annotation(agent, request.match_info["id"],
                                                 request.match_info["annotation"])
        except AisleError as exc:
            return error_response(exc)
        return web.Response(status=204)

    async def score(self, request: web.Request) -> web.Response:
        try:
            agent = await self._agent(request)
            new = await read_model(request, rv.NewScore)
            saved = await self._review.score(agent, request.match_info["id"], new)
        except AisleError as exc:
            return error_response(exc)
        return json_response(saved)

    async def scorecard(self, request: web.Request) -> web.Response:
        try:
            await self._agent(request)
            card = await self._review.scorecard(request.match_info["team"])
        except AisleError as exc:
            return error_response(exc)
        return json_response(card)

    async def set_scorecard(self, request: web.Request) -> web.Response:
        try:
            agent = await self._agent(request)
            update = await read_model(request, rv.ScorecardUpdate)
            card = await self._review.set_scorecard(agent, request.match_info["team"], update)
        except AisleError as exc:
            return error_response(exc)
        return json_response(card)

    async def summary(self, request: web.Request) -> web.Response:
        try:
            agent = await self._agent(request)
            result = await self._review.summary(agent, request.query.get("by", "agent"))
        except AisleError as exc:
            return error_response(exc)
        return json_response(result)

    async def agents(self, request: web.Request) -> web.Response:
        """Every agent, by name, for the catalogue's filter (reviewers only)."""
        try:
            agent = await self._agent(request)
            if not agent.is_reviewer:
                raise Forbidden("reviewers list the agents")
        except AisleError as exc:
            return error_response(exc)
        records = sorted(await self._store.agents.all(), key=lambda a: a.display_name.lower())
        return json_response(rv.AgentList(agents=[
            rv.ReviewedAgent(id=a.id, display_name=a.display_name, login=a.login,
                             teams=list(a.teams)) for a in records]))

    async def report(self, request: web.Request) -> web.Response:
        """The team's figures for a period (supervisors and admins)."""
        try:
            agent = await self._agent(request)
            if not agent.is_supervisor:
                raise Forbidden("supervisors and admins see reports")
            period = reports.parse_period(request.query.get("from"), request.query.get("to"),
                                          request.query.get("tz"))
            team = request.query.get("team") or None
            if team is not None and team not in await self._store.agents.list_teams():
                # A typo must not read as a team with no chats.
                raise InvalidPayload(f"no team {team[:64]!r}", field="team")
            result = await reports.report(self._store, period, team)
        except AisleError as exc:
            return error_response(exc)
        return json_response(result)

    async def export(self, request: web.Request) -> web.StreamResponse:
        try:
            agent = await self._agent(request)
            conv = await self._review.reviewable(agent, request.match_info["id"])
            events = await self._store.conversations.events_after(conv.id, 0, agent_view=True,
                                                                  limit=1_000_000)
            built = await self._review.manifest(conv)
            notes = await self._review.review_notes(conv.id, conv.team)
            await self._audit(agent, "recording_exported", conv.id)
            path = await asyncio.to_thread(build_zip, self._review.folder(conv.id), conv,
                                           events, built, notes)
        except AisleError as exc:
            return error_response(exc)
        try:
            response = web.StreamResponse(headers={
                "Content-Type": "application/zip",
                "Content-Disposition": f'attachment; filename="aisle-{conv.id}.zip"'})
            response.content_length = path.stat().st_size
            await response.prepare(request)
            with path.open("rb") as handle:
                while chunk := await asyncio.to_thread(handle.read, 262_144):
                    await response.write(chunk)
            await response.write_eof()
            return response
        finally:
            path.unlink(missing_ok=True)

    async def compose(self, request: web.Request) -> web.Response:
        try:
            agent = await self._agent(request)
            job = await self._jobs.compose(agent, request.match_info["id"])
            await self._audit(agent, "video_composed", request.match_info["id"])
        except AisleError as exc:
            return error_response(exc)
        return json_response(job, status=202)

    async def job(self, request: web.Request) -> web.Response:
        try:
            agent = await self._agent(request)
            job = await self._jobs.get(agent, request.match_info["job"])
        except AisleError as exc:
            return error_response(exc)
        return json_response(job)

    async def find_visitors(self, request: web.Request) -> web.Response:
        try:
            agent = await self._agent(request)
            found = await subject.find(self._store, agent, request.query.get("email", ""))
        except AisleError as exc:
            return error_response(exc)
        return json_response({"visitors": found})

    async def export_visitor(self, request: web.Request) -> web.Response:
        try:
            agent = await self._agent(request)
            body = await subject.export(self._store, agent, request.match_info["id"])
        except AisleError as exc:
            return error_response(exc)
        return json_response(body, headers={
            "Content-Disposition": f'attachment; filename="aisle-{request.match_info["id"]}.json"'})

    async def erase(self, request: web.Request) -> web.Response:
        try:
            agent = await self._agent(request)
            result = await self._retention.erase_visitor(agent, request.match_info["id"])
        except AisleError as exc:
            return error_response(exc)
        return json_response(result)
