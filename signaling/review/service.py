"""Reviewing a recording: who may (reviewers; an agent their own where the site allows), the
recording's timeline, annotations, scorecards and scores, and score summaries."""

from __future__ import annotations

import asyncio
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any

import orjson

from ..accounts import check_session
from ..auth import Principal, Tokens
from ..cobrowse.chunks import read_records
from ..errors import Forbidden, InvalidPayload, NotFound, TooLarge, Unauthorized
from ..ids import now_ms
from ..protocol import events as ev
from ..protocol import review as rv
from ..protocol.common import Conversation
from ..settings import Settings
from ..store import Store
from ..store.agents import AgentRecord
from . import manifest
from .policy import RecordingPolicy

# What one co-browse chunk may inflate to for the player or an export (a chunk starts at each
# full snapshot; an hour on one page is typically a few tens of MB).
MAX_CHUNK_JSON_BYTES = 256_000_000
SAFE_PART = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


def recording_file(folder: Path, relative: str) -> Path:
    """A file inside a recording's folder, refusing anything that would step outside it."""
    parts = relative.split("/")
    if not parts or any(not p or p in (".", "..") or set(p) - SAFE_PART for p in parts):
        raise NotFound("no such file")
    path = folder.joinpath(*parts)
    if not path.is_file():
        raise NotFound("no such file")
    return path


class Review:
    def __init__(self, settings: Settings, store: Store, tokens: Tokens) -> None:
        self._settings = settings
        self._store = store
        self._tokens = tokens

    def folder(self, conversation_id: str) -> Path:
        return self._settings.data_dir / "recordings" / conversation_id

    async def reviewable(self, agent: AgentRecord, conversation_id: str) -> Conversation:
        conv = await self._store.conversations.get(conversation_id)
        if conv is None:
            raise NotFound("no such recording")
        if agent.is_reviewer:
            return conv
        site = await self._store.sites.get(conv.site_id)
        policy = RecordingPolicy.of(site.settings if site else {})
        if policy.agents_review_own and await self._handled(agent, conv):
            return conv
        raise Forbidden("only reviewers (and the handling agent, where allowed) may review")

    async def _handled(self, agent: AgentRecord, conv: Conversation) -> bool:
        """The agent has the conversation, or took it and handed it on."""
        if conv.agent_id == agent.id:
            return True
        for event in await self._store.conversations.events_of_types(conv.id, ("agent_joined",)):
            data = event.data
            if getattr(data, "role", None) == "assignee" and data.agent.id == agent.id:  # type: ignore[union-attr]
                return True
        return False

    def media_token(self, conversation_id: str, agent: AgentRecord) -> str:
        return self._tokens.media_token(conversation_id, Principal(
            kind="agent", id=agent.id, version=agent.token_version))

    def _url_for(self, conversation_id: str, token: str) -> manifest.UrlFor:
        base = f"/api/v1/recordings/{conversation_id}/files/"
        return lambda relative: f"{base}{relative}?t={token}"

    async def manifest(self, conv: Conversation, token: str = "") -> rv.Manifest:
        events = await self._store.conversations.events_after(conv.id, 0, agent_view=True,
                                                              limit=1_000_000)
        return manifest.build(conv, events, self._url_for(conv.id, token))

    async def write_manifest(self, conversation_id: str,
                             built: rv.Manifest | None = None) -> None:
        """`built`: the manifest, when the caller has just built it."""
        conv = await self._store.conversations.get(conversation_id)
        if conv is None:
            return
        built = built or await self.manifest(conv)
        await asyncio.to_thread(manifest.write, self.folder(conv.id), built)

    async def recording(self, agent: AgentRecord, conversation_id: str) -> rv.Recording:
        conv = await self.reviewable(agent, conversation_id)
        token = self.media_token(conv.id, agent)
        events = await self._store.conversations.events_after(conv.id, 0, agent_view=True,
                                                              limit=1_000_000)
        site = await self._store.sites.get(conv.site_id)
        label = site.topic_label(conv.topic) if site else None
        if label is None and events and isinstance(events[0], ev.ConversationStarted):
            label = events[0].data.topic_label  # the topic is gone: as it read then
        return rv.Recording(
            conversation=conv, topic_label=label,
            manifest=manifest.build(conv, events, self._url_for(conv.id, token)),
            events=events,
            annotations=await self.annotations(conv.id),
            scorecard=await self.scorecard(conv.team),
            scores=[rv.Score.model_validate(_score_fields(s))
                    for s in await self._store.review.scores(conv.id)],
            media_token=token,
        )

    async def review_notes(self, conversation_id: str, team: str) -> dict[str, object]:
        """The reviewers' annotations and scores, for an export: with the team's scorecard, so
        that a score's criteria read as words, and what each score was out of."""
        card = await self.scorecard(team)
        scores = []
        for row in await self._store.review.scores(conversation_id):
            score = rv.Score.model_validate(_score_fields(row)).model_dump(mode="json")
            # None for a score given before the maxima were kept with it (0008).
            score["maxima"] = row.get("maxima")
            scores.append(score)
        return {
            "scorecard": card.model_dump(mode="json"),
            "annotations": [a.model_dump(mode="json")
                            for a in await self.annotations(conversation_id)],
            "scores": scores,
        }

    # ---- files ----------------------------------------------------------------------------

    async def file_for_token(self, conversation_id: str, relative: str, token: str) -> Path:
        holder = self._tokens.read_media_token(token, conversation_id) if token else None
        if holder is None:
            raise Forbidden("this link has expired: reopen the recording")
        try:  # the account still accepts its sessions, and may still review this conversation
            await self.reviewable(check_session(holder, await self._store.agents.get(holder.id)),
                                  conversation_id)
        except Unauthorized as exc:
            raise Forbidden(f"this link no longer works: {exc.message}") from None
        return recording_file(self.folder(conversation_id), relative)

    @staticmethod
    def decode_chunk(path: Path, gzipped: bool = False) -> bytes:
        """A co-browse chunk as JSON `[{ts, batch_no, full, events}]` for the player; gzipped
        for the wire (rrweb's JSON shrinks about tenfold). Each batch's events were checked as
        JSON when they came in, so they are copied as they are, not parsed again: a chunk costs
        its inflated size once, not the many times more of Python objects. A chunk that
        inflates to more than MAX_CHUNK_JSON_BYTES is refused (TooLarge)."""
        gz = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS) if gzipped else None
        out: list[bytes] = []
        total = 0
        for i, (header, data) in enumerate(read_records(path)):
            inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            events = inflater.decompress(data, MAX_CHUNK_JSON_BYTES - total + 1)
            total += len(events)
            if total > MAX_CHUNK_JSON_BYTES or inflater.unconsumed_tail:
                raise TooLarge("this part of the recording is too large to replay")
            head = orjson.dumps(header)
            piece = b"".join((b"," if i else b"[", head[:-1], b"," if len(head) > 2 else b"",
                              b'"events":', events, b"}"))
            out.append(gz.compress(piece) if gz else piece)
        out.append(gz.compress(b"]" if out else b"[]") if gz else (b"]" if out else b"[]"))
        if gz:
            out.append(gz.flush())
        return b"".join(out)

    # ---- annotations ----------------------------------------------------------------------

    async def annotations(self, conversation_id: str) -> list[rv.Annotation]:
        return [rv.Annotation.model_validate(
            {k: row[k] for k in rv.Annotation.model_fields})
            for row in await self._store.review.annotations(conversation_id)]

    async def annotate(self, agent: AgentRecord, conversation_id: str,
                       note: rv.NewAnnotation) -> rv.Annotation:
        conv = await self.reviewable(agent, conversation_id)
        if note.end_ms is not None and note.end_ms < note.at_ms:
            raise InvalidPayload("a range ends after it starts")
        # (A minute's slack: a call's last file may run a little past the end.)
        length = (conv.ended_at or now_ms()) - conv.created_at
        if max(note.at_ms, note.end_ms or 0) > length + 60_000:
            raise InvalidPayload("the annotation is past the end of the conversation")
        annotation_id = await self._store.review.add_annotation(
            conv.id, agent.id, note.at_ms, note.end_ms, note.text)
        return next(a for a in await self.annotations(conv.id) if a.id == annotation_id)

    async def edit_annotation(self, agent: AgentRecord, conversation_id: str,
                              annotation_id: str, edit: rv.AnnotationEdit) -> rv.Annotation:
        """Only its author changes an annotation's words (a supervisor may delete anyone's,
        not put words in their mouth)."""
        conv = await self.reviewable(agent, conversation_id)
        if not await self._store.review.edit_annotation(conv.id, annotation_id, agent.id,
                                                        edit.text):
            raise NotFound("no such annotation of yours")
        return next(a for a in await self.annotations(conv.id) if a.id == annotation_id)

    async def delete_annotation(self, agent: AgentRecord, conversation_id: str,
                                annotation_id: str) -> None:
        await self.reviewable(agent, conversation_id)
        deleted = await self._store.review.delete_annotation(
            annotation_id, None if agent.is_supervisor else agent.id)
        if not deleted:
            raise NotFound("no such annotation of yours")

    # ---- scorecards -----------------------------------------------------------------------

    async def scorecard(self, team: str) -> rv.Scorecard:
        return rv.Scorecard(team=team, criteria=[
            rv.Criterion.model_validate(c) for c in await self._store.review.criteria(team)])

    async def set_scorecard(self, agent: AgentRecord, team: str,
                            update: rv.ScorecardUpdate) -> rv.Scorecard:
        if not agent.is_supervisor:
            raise Forbidden("supervisors edit scorecards")
        if team not in await self._store.agents.list_teams():
            raise NotFound(f"no team {team!r}")
        ids = [c.id for c in update.criteria]
        if len(set(ids)) != len(ids):
            raise InvalidPayload("criterion ids must be unique")
        await self._store.review.set_criteria(
            team, [c.model_dump() for c in update.criteria], agent.id)
        return await self.scorecard(team)

    async def score(self, agent: AgentRecord, conversation_id: str,
                    new: rv.NewScore) -> rv.Score:
        if not agent.is_reviewer:
            raise Forbidden("reviewers score conversations")
        conv = await self.reviewable(agent, conversation_id)
        card = await self.scorecard(conv.team)
        if not card.criteria:
            raise InvalidPayload(f"team {conv.team!r} has no scorecard yet")
        maxima = {c.id: c.max for c in card.criteria}
        unknown = set(new.scores) - set(maxima)
        if unknown:
            raise InvalidPayload(f"not on the scorecard: {', '.join(sorted(unknown))}")
        over = [k for k, v in new.scores.items() if v > maxima[k]]
        if over:
            raise InvalidPayload(f"above the maximum: {', '.join(sorted(over))}")
        missing = [c.id for c in card.criteria if c.id not in new.scores]
        if missing:  # a score is of the whole card, or its ratio would flatter
            raise InvalidPayload(f"score every criterion: {', '.join(missing)} missing")
        ratio = sum(new.scores.values()) / sum(maxima.values())
        await self._store.review.save_score(
            conversation_id=conv.id, reviewer_id=agent.id, agent_id=conv.agent_id,
            team=conv.team, values=dict(new.scores), ratio=ratio, comment=new.comment,
            maxima=maxima)
        mine = [s for s in await self._store.review.scores(conv.id)
                if s["reviewer_id"] == agent.id]
        return rv.Score.model_validate(_score_fields(mine[0]))

    async def summary(self, agent: AgentRecord, by: str) -> rv.ScoreSummary:
        if not agent.is_reviewer:
            raise Forbidden("reviewers see score summaries")
        if by not in ("agent", "team"):
            raise InvalidPayload("by is agent or team")
        names: dict[str, str] = {a.id: a.display_name for a in await self._store.agents.all()}
        # Criteria are compared as shares of their maximum: teams' scorecards differ (the same
        # criterion out of 5 on one, out of 10 on another).
        maxima = {team: {c.id: c.max for c in (await self.scorecard(team)).criteria}
                  for team in await self._store.agents.list_teams()}
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in await self._store.review.all_scores():
            key = row["agent_id"] if by == "agent" else row["team"]
            if key:
                groups[key].append(row)
        rows = []
        for key, scored in sorted(groups.items()):
            criteria: dict[str, list[float]] = defaultdict(list)
            for row in scored:
                card = maxima.get(row["team"], {})
                # Out of what it was given out of; scores from before that was kept, out of
                # the card now (and never above the whole of it).
                given = row.get("maxima") or {}
                for criterion, value in row["scores"].items():
                    if criterion in card:  # (dropped from the card since: not comparable)
                        out_of = given.get(criterion) or card[criterion]
                        criteria[criterion].append(min(1.0, value / out_of))
            rows.append(rv.ScoreSummaryRow(
                key=key, name=names.get(key, key) if by == "agent" else key,
                conversations=len({r["conversation_id"] for r in scored}),
                average_ratio=sum(r["ratio"] for r in scored) / len(scored),
                per_criterion={c: sum(v) / len(v) for c, v in sorted(criteria.items())}))
        return rv.ScoreSummary(by=by, rows=rows)  # type: ignore[arg-type]


def _score_fields(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in rv.Score.model_fields}
