"""Building what clients see from records and live state: agents as colleagues see them, agents
as visitors see them, a conversation as its visitor sees it, and routing's view of agents."""

from __future__ import annotations

from .estimates import Estimates
from .ids import now_ms
from .live import AgentPresence, LiveState
from .protocol.common import (
    AgentCard,
    AgentInfo,
    CobrowsePolicy,
    Conversation,
    RecordingNotice,
    SiteConfig,
    Theme,
    Topic,
    VisitorConversation,
)
from .review.policy import RecordingPolicy
from .routing import AgentSlot
from .settings import Settings
from .store import Store
from .store.agents import AgentRecord
from .store.sites import SiteRecord

PHOTO_PATH = "/api/v1/photos/"


def photo_url(record: AgentRecord) -> str | None:
    return f"{PHOTO_PATH}{record.photo}" if record.photo else None


def agent_card(record: AgentRecord) -> AgentCard:
    return AgentCard(id=record.id, display_name=record.display_name, photo_url=photo_url(record))


def agent_info(record: AgentRecord, presence: AgentPresence | None) -> AgentInfo:
    return AgentInfo(
        id=record.id, login=record.login, display_name=record.display_name,
        photo_url=photo_url(record), role=record.role,
        teams=list(record.teams), max_concurrent=record.max_concurrent,
        status=record.status,
        connected=bool(presence and presence.connections),
        load=presence.load if presence else 0,
    )


class Views:
    def __init__(self, store: Store, live: LiveState, estimates: Estimates,
                 settings: Settings) -> None:
        self._store = store
        self._live = live
        self._estimates = estimates
        self._settings = settings

    async def agents(self) -> list[tuple[AgentRecord, AgentSlot]]:
        """Every agent with routing's view of them (status from the store, presence live);
        disabled accounts are left out."""
        records = [r for r in await self._store.agents.all() if not r.disabled]
        presence = await self._live.agents()
        result = []
        for record in records:
            p = presence.get(record.id)
            result.append((record, AgentSlot(
                agent_id=record.id, teams=frozenset(record.teams), status=record.status,
                connected=bool(p and p.connections), load=p.load if p else 0,
                max_concurrent=record.max_concurrent,
                idle_since_ms=p.idle_since_ms if p else 0,
            )))
        return result

    async def slots(self) -> list[AgentSlot]:
        return [slot for _, slot in await self.agents()]

    async def present_in_team(self, team: str, *, besides: str | None = None) -> bool:
        """Someone of the team (other than `besides`) is online, connected or within the grace
        period of a dropped connection (a console reload must not flip the team to offline)."""
        grace_ms = self._settings.agent_grace_s * 1000
        now = now_ms()
        presence = await self._live.agents()
        for record in await self._store.agents.all():
            if team not in record.teams or record.status != "online" or record.id == besides:
                continue
            p = presence.get(record.id)
            if p and (p.connections or (p.disconnected_at_ms is not None
                                        and now - p.disconnected_at_ms < grace_ms)):
                return True
        return False

    async def visitor_conversation(self, conv: Conversation) -> VisitorConversation:
        card = None
        if conv.agent_id:
            record = await self._store.agents.get(conv.agent_id)
            card = agent_card(record) if record else None
        queue = None
        if conv.status in ("queued", "offered"):
            queue = await self._estimates.queue_info(conv.id, conv.team, await self.slots())
        return VisitorConversation(
            id=conv.id, status=conv.status, topic=conv.topic, agent=card, queue=queue,
            offline_reason=conv.offline_reason, ended_reason=conv.ended_reason,
            rating=conv.rating, last_seq=conv.last_seq, created_at=conv.created_at,
            cobrowse=conv.cobrowse, control=conv.control, call=conv.call,
            call_id=conv.call_id, call_media=conv.call_media, call_by=conv.call_by,
            cobrowse_recorded=conv.cobrowse_recorded, call_recorded=conv.call_recorded,
        )


def site_config(site: SiteRecord) -> SiteConfig:
    """What the widget is told of its site: name, look, topics, masking, recording notice."""
    policy = RecordingPolicy.of(site.settings)
    return SiteConfig(
        name=site.name,
        theme=Theme.model_validate(site.settings.get("theme", {})),
        topics=[Topic.model_validate(t) for t in site.settings.get("topics", [])],
        cobrowse=CobrowsePolicy.model_validate(site.settings.get("cobrowse", {})),
        recording=RecordingNotice(cobrowse=policy.cobrowse, calls=policy.calls,
                                  mode=policy.notice),
        enabled=site.enabled,
    )
