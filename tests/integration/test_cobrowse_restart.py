"""A server that stops while a shopper's page is shared and recorded: the replay must not show
the page frozen as it last was, as if recorded. A shutdown (SIGTERM) logs a `restart` gap when
it stops; a crash (SIGKILL) gets it at the next start, dated from the last batch stored; the
page's first snapshot to the new server closes it. A page on an unrecorded checkout stays
unrecorded across the restart."""

from __future__ import annotations

import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from signaling.review.manifest import build as build_manifest
from signaling.store import Store
from tests.integration.flows import start
from tests.integration.harness import Agent, Client, Server, start_server
from tests.integration.remote import attach, ready, serve
from tests.integration.test_cobrowse_server import FULL, INCREMENTAL, batch
from tests.services import free_port

CHECKOUT = [{"type": 4, "timestamp": 1, "data": {"href": "http://shop/checkout",
                                                 "width": 1280, "height": 800}}, FULL[1]]


@dataclass
class Sharing:
    widget: Client
    session: dict[str, Any]  # the shopper's
    conv: dict[str, Any]
    agent: Agent
    console: Client


async def shared_page(server: Server) -> Sharing:
    """A shopper sharing their page with an agent."""
    agent = await server.add_agent("ana")
    console = await server.agent_client(agent)
    widget, session = await server.visitor()
    conv = await start(widget)
    await console.wait_for("offer_received")
    await console.call("accept_offer", {"conversation_id": conv["id"]})
    await console.call("request_cobrowse", {"conversation_id": conv["id"]})
    await widget.call("answer_cobrowse", {"conversation_id": conv["id"], "allow": True})
    await console.wait_for("cobrowse_started")
    return Sharing(widget, session, conv, agent, console)


async def back(server: Server, session: dict[str, Any], conv: dict[str, Any]) -> Client:
    """The shopper's page reconnects to the server that started next (as a returning visitor:
    a server started in this process listens on another port, another origin)."""
    widget, _ = await server.visitor(visitor_key=session["visitor_key"])
    await widget.call("resume", {"conversation_id": conv["id"], "after_seq": 0})
    return widget


async def gaps_of(store: Store, conversation_id: str) -> tuple[list[Any], list[Any], int]:
    """(the cobrowse gaps of the manifest, the log's recording events, the clock's origin)."""
    state = await store.conversations.get(conversation_id)
    assert state is not None
    events = await store.conversations.events_after(conversation_id, 0, agent_view=True)
    recording = [e for e in events if e.type in ("recording_paused", "recording_resumed")]
    gaps = [g for g in build_manifest(state, events, lambda f: f).gaps if g.kind == "cobrowse"]
    return gaps, recording, state.created_at


async def test_a_shutdown_leaves_a_restart_gap_the_next_snapshot_closes(tmp_path: Path) -> None:
    server = await start_server(tmp_path / "data")
    shared = await shared_page(server)
    widget, session, conv = shared.widget, shared.session, shared.conv
    assert (await batch(widget, conv, 0, FULL, full=True))["recorded"] is True
    await batch(widget, conv, 1, INCREMENTAL)
    await server.runner.shutdown()  # what `aisle serve` runs first on SIGTERM
    await server.close()

    again = await start_server(tmp_path / "data")
    try:
        widget = await back(again, session, conv)
        assert (await batch(widget, conv, 2, INCREMENTAL))["snapshot_needed"] is True
        assert (await batch(widget, conv, 3, FULL, full=True))["recorded"] is True
        gaps, recording, origin = await gaps_of(again.aisle.store, conv["id"])
        paused, resumed = recording
        assert (paused.type, paused.data.reason, paused.data.session_id) == (
            "recording_paused", "restart", "tab1")
        assert paused.data.since is None  # the shutdown's own moment
        assert (resumed.type, resumed.data.reason, resumed.data.session_id) == (
            "recording_resumed", "restart", "tab1")
        [gap] = gaps
        assert gap.reason == "restart"
        assert (gap.start_offset_ms, gap.end_offset_ms) == (paused.ts - origin,
                                                            resumed.ts - origin)
        # The recording goes on as before: no second gap on the next batch.
        assert (await batch(widget, conv, 4, INCREMENTAL))["recorded"] is True
        assert len((await gaps_of(again.aisle.store, conv["id"]))[1]) == 2
    finally:
        await again.close()


async def test_a_crash_gets_its_restart_gap_from_the_last_batch_stored(tmp_path: Path) -> None:
    data = tmp_path / "data"
    setup = await start_server(data)
    await setup.close()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = serve(data, port)
    try:
        await ready(url, proc)
        server = await attach(url, data)
        shared = await shared_page(server)
        widget, session, conv = shared.widget, shared.session, shared.conv
        assert (await batch(widget, conv, 0, FULL, full=True))["recorded"] is True
        await batch(widget, conv, 1, INCREMENTAL)
        # Both batches are written before the kill: the chunk writer is asked by a snapshot.
        await widget.call("get_history", {"conversation_id": conv["id"]})
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        await server.close()

        proc = serve(data, port)
        await ready(url, proc)
        server = await attach(url, data)
        widget = await back(server, session, conv)
        assert (await batch(widget, conv, 2, INCREMENTAL))["snapshot_needed"] is True
        assert (await batch(widget, conv, 3, FULL, full=True))["recorded"] is True
        gaps, recording, origin = await gaps_of(server.store, conv["id"])
        paused, resumed = recording
        assert (paused.data.reason, resumed.data.reason) == ("restart", "restart")
        # Dated from the last batch the killed server stored, before this start noticed.
        assert paused.data.since is not None and paused.data.since < paused.ts
        [gap] = gaps
        assert gap.start_offset_ms == paused.data.since - origin
        assert gap.end_offset_ms == resumed.ts - origin
        await server.close()
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)


async def test_a_page_on_an_unrecorded_checkout_stays_unrecorded_across_a_restart(
        tmp_path: Path) -> None:
    server = await start_server(tmp_path / "data")
    shared = await shared_page(server)
    widget, session, conv = shared.widget, shared.session, shared.conv
    assert (await batch(widget, conv, 0, FULL, full=True))["recorded"] is True
    assert (await batch(widget, conv, 0, CHECKOUT, full=True, session="page2"))[
        "recorded"] is False
    await server.runner.shutdown()
    await server.close()

    again = await start_server(tmp_path / "data")
    try:
        widget = await back(again, session, conv)
        # Still on the checkout: its snapshot to the new server is not stored, and no restart
        # gap is added to the checkout's own.
        assert (await batch(widget, conv, 0, CHECKOUT, full=True, session="page2"))[
            "recorded"] is False
        # A page load back to the store: recorded again, and the checkout's gap ends.
        assert (await batch(widget, conv, 0, FULL, full=True, session="page3"))[
            "recorded"] is True
        gaps, recording, _ = await gaps_of(again.aisle.store, conv["id"])
        assert [(e.type, e.data.reason) for e in recording] == [
            ("recording_paused", "url"), ("recording_resumed", "url")]
        [gap] = gaps
        assert gap.reason == "url" and gap.end_offset_ms is not None
    finally:
        await again.close()


async def test_an_unrecorded_checkout_and_a_pause_both_outlast_a_restart(tmp_path: Path) -> None:
    """A single-page app on its checkout while the agent has paused the recording as well: after
    the restart the agent resumes, and the page, leaving the checkout in the same page session,
    ends the checkout's gap too (until 2026-11-25 a checkout's pause was restored only when it
    was the sharing's one open gap, and its gap stayed open over what was recorded after)."""
    server = await start_server(tmp_path / "data")
    shared = await shared_page(server)
    widget, session, conv, agent = shared.widget, shared.session, shared.conv, shared.agent
    console = shared.console
    assert (await batch(widget, conv, 0, CHECKOUT, full=True, session="spa"))["recorded"] is False
    await console.call("pause_recording", {"conversation_id": conv["id"], "kind": "cobrowse"})
    await server.runner.shutdown()
    await server.close()

    again = await start_server(tmp_path / "data")
    try:
        widget = await back(again, session, conv)
        token = (await again.post("/api/v1/login", {"login": "ana", "password": agent.password}))[
            "token"]
        console = await again.connect("/agent", token)
        await console.call("resume_recording", {"conversation_id": conv["id"],
                                                "kind": "cobrowse"})
        assert (await batch(widget, conv, 0, FULL, full=True, session="spa"))["recorded"] is True
        gaps, recording, _ = await gaps_of(again.aisle.store, conv["id"])
        assert [(e.type, e.data.reason) for e in recording] == [
            ("recording_paused", "url"), ("recording_paused", "agent"),
            ("recording_resumed", "agent"), ("recording_resumed", "url")]
        assert all(g.end_offset_ms is not None for g in gaps)
    finally:
        await again.close()
