"""Wiring: picks one implementation per seam from the settings (and logs which), builds the
services, and mounts HTTP and Socket.IO on one aiohttp application."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiohttp import web

from media.control import MediaEvent
from media.local import LocalMediaControl

from .accounts import Accounts
from .auth import Tokens
from .calls.ice import media_settings
from .calls.service import Calls
from .cobrowse.service import Cobrowse
from .conversations import Conversations
from .dashboard import DashboardPublisher
from .dispatcher import Dispatcher
from .estimates import Estimates
from .http import api as api_routes
from .http import health, static
from .http.accounts import AccountsApi
from .http.csp import ConsoleCsp
from .http.review import ReviewApi
from .http.sites import SitesApi
from .journal import Journal
from .live import LiveState, MemoryLiveState
from .notifier import Notifier
from .presence import Presence
from .reply_mail import reply_mail_from
from .review.jobs import Jobs
from .review.retention import Retention
from .review.service import Review
from .settings import Settings, load_secret
from .sites import Sites
from .sockets import agent as agent_ns
from .sockets import bench as bench_ns
from .sockets import calls as calls_ns
from .sockets import cobrowse as cobrowse_ns
from .sockets import recording as recording_ns
from .sockets import visitor as visitor_ns
from .sockets.guard import SocketGuard
from .sockets.namespace import Namespace, Session
from .sockets.server import AisleServer, create_server
from .sockets.sessions import AgentSessions
from .store import Store
from .time_log import AgentTimeLog
from .timers import Timers
from .views import Views
from .visitors import Visitors

log = logging.getLogger(__name__)


@dataclass
class Aisle:
    """The running application's parts, for start-up, shutdown and tests."""

    settings: Settings
    store: Store
    live: LiveState
    sio: AisleServer
    tokens: Tokens
    timers: Timers
    dispatcher: Dispatcher
    presence: Presence
    conversations: Conversations
    visitors: Visitors
    dashboard: DashboardPublisher
    cobrowse: Cobrowse
    calls: Calls
    media: LocalMediaControl
    review: Review
    retention: Retention
    jobs: Jobs
    namespaces: list[Namespace[Session]]
    accounts: Accounts
    agent_sessions: AgentSessions
    sites: Sites
    time_log: AgentTimeLog

    async def close(self) -> None:
        await self.agent_sessions.close()
        await self.timers.close()
        await self.jobs.close()
        await self.dashboard.close()
        await self.cobrowse.close()
        await self.media.close()
        for ns in self.namespaces:
            await ns.close()
        await self.time_log.close()
        await self.store.close()


AISLE = web.AppKey("aisle", Aisle)


def choose_live_state(settings: Settings) -> LiveState:
    log.info("live state: in memory (single node)")
    return MemoryLiveState()


async def create_app(settings: Settings) -> web.Application:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = await Store.open(settings.resolved_database_url)
    tokens = Tokens(load_secret(settings), visitor_ttl_s=settings.visitor_token_ttl_s,
                    agent_ttl_s=settings.agent_token_ttl_s,
                    visitor_key_ttl_s=settings.visitor_key_ttl_days * 86400)
    live = choose_live_state(settings)
    guard = SocketGuard(settings)
    sio = create_server(settings, guard)
    log.info("fan-out: python-socketio in-memory manager (single node)")

    timers = Timers()
    notifier = Notifier(sio)
    estimates = Estimates(store, live, settings)
    views = Views(store, live, estimates, settings)
    journal = Journal(store, notifier, views)
    dispatcher = Dispatcher(settings, store, live, journal, notifier, views, estimates, timers)
    time_log = AgentTimeLog(store, live, timers)
    presence = Presence(settings, store, live, dispatcher, notifier, views, estimates, timers,
                        time_log)
    conversations = Conversations(settings, store, journal, dispatcher, presence, notifier,
                                  views)
    reply_mail = reply_mail_from(settings, store, journal, timers)
    if reply_mail is not None:
        conversations.on_agent_message.append(reply_mail.agent_wrote)
        dispatcher.on_end.append(reply_mail.conversation_ended)
    visitors = Visitors(settings, store, tokens, conversations, presence, notifier, views,
                        email_replies=reply_mail is not None)
    dashboard = DashboardPublisher(store, live, notifier, views)
    dispatcher.after_drain += [dashboard.touched, presence.publish_availability]
    dispatcher.on_missed.append(presence.missed_offers)

    cobrowse = Cobrowse(settings, store, journal, notifier, timers, presence.visitor_online)
    dispatcher.on_release.append(cobrowse.conversation_over)
    async def media_event(event: MediaEvent) -> None:
        await calls.on_media_event(event)  # bound below; events only flow once calls exist

    media = LocalMediaControl(media_settings(settings), on_event=media_event)
    log.info("media: in-process (aiortc, forwarding encoded packets)")
    calls = Calls(settings, store, journal, notifier, timers, media)
    dispatcher.on_release.append(calls.conversation_released)
    review = Review(settings, store, tokens)
    retention = Retention(store, settings.data_dir / "recordings", dispatcher, timers)
    jobs = Jobs(store, review)
    dispatcher.on_end.append(review.write_manifest)

    visitor = visitor_ns.install(sio, tokens=tokens, store=store, conversations=conversations,
                                 visitors=visitors, presence=presence)
    agent = agent_ns.install(sio, settings=settings, tokens=tokens, store=store,
                             conversations=conversations, dispatcher=dispatcher,
                             presence=presence, dashboard=dashboard)
    cobrowse_ns.install_visitor(visitor, cobrowse, conversations)
    cobrowse_ns.install_agent(agent, cobrowse, store)
    calls_ns.install_visitor(visitor, calls, conversations)
    calls_ns.install_agent(agent, calls, store)
    recording_ns.install_visitor(visitor, cobrowse, calls, conversations)
    recording_ns.install_agent(agent, calls, cobrowse, store)
    visitor.on_disconnect.append(calls.socket_gone)
    visitor.on_disconnect.append(cobrowse.socket_gone)
    agent.on_disconnect.append(calls.socket_gone)
    visitor.install()
    agent.install()
    namespaces: list[Namespace[Session]] = [visitor, agent]  # type: ignore[list-item]
    if settings.bench_echo:
        log.warning("benchmark echo namespace /bench is enabled: never in production")
        bench_ns.install(sio)
    accounts = Accounts(settings, store, presence, conversations)
    agent_sessions = AgentSessions(sio, agent, store, presence, settings.account_check_s)
    accounts.on_changed.append(agent_sessions.changed)
    console_csp = ConsoleCsp(store)
    sites = Sites(store)
    sites.on_changed += [presence.site_changed, cobrowse.site_changed, console_csp.site_changed]
    aisle = Aisle(settings, store, live, sio, tokens, timers, dispatcher, presence,
                  conversations, visitors, dashboard, cobrowse, calls, media, review, retention,
                  jobs, namespaces, accounts, agent_sessions, sites, time_log)

    app = web.Application(client_max_size=settings.max_upload_bytes + 65_536)
    app[AISLE] = aisle
    sio.attach(app)
    app.add_routes(health.routes(store))
    app.add_routes(api_routes.Api(settings, store, tokens, visitors, notifier).routes())
    app.add_routes(ReviewApi(store, tokens, review, retention, jobs).routes())
    app.add_routes(AccountsApi(store, tokens, accounts).routes())
    app.add_routes(SitesApi(settings, store, tokens, sites).routes())
    app.add_routes(static.routes(settings.resolved_public_url, console_csp))

    async def on_startup(_: web.Application) -> None:
        await calls.recover()
        await cobrowse.recover()
        await jobs.recover()
        await time_log.recover()
        await presence.recover()
        await presence.watch_hours()
        await retention.watch()
        if reply_mail is not None:
            await reply_mail.recover()
        agent_sessions.start()

    async def on_shutdown(_: web.Application) -> None:
        await calls.shutdown()  # while the sockets are open to hear it
        await cobrowse.shutdown()
        await sio.eio.going_away()

    async def on_cleanup(_: web.Application) -> None:
        await aisle.close()

    app.on_startup.append(on_startup)
    app.on_shutdown.append(on_shutdown)
    app.on_cleanup.append(on_cleanup)
    return app
