"""Where a site asks for consent to recording (`notice: "consent"`), co-browsing and calls are
recorded only when the shopper says yes: without it the agent still sees the page and hears the
call, nothing is stored, and the log says why (a gap the review timeline shows); with it, the
same sharing or call is recorded, until the shopper stops the recording (the sharing or call
goes on). Where the site only notifies, nothing changes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from media.control import RecordingInfo
from media.errors import UnknownCall
from media.testing import ClientPeer, frames_grow, publish
from signaling.conversation_state import replay
from signaling.review import manifest
from signaling.store.database import create_engine, migrate
from signaling.store.schema import conversations
from tests.conftest import ServerFactory
from tests.integration.flows import accepted_chat
from tests.integration.harness import AckError, Agent, Client, Server, start_server
from tests.integration.test_calls import LOOPBACK_MEDIA, follow, join, negotiate
from tests.integration.test_cobrowse_server import FULL, INCREMENTAL, batch


async def consent_policy(server: Server) -> None:
    demo = await server.aisle.store.sites.get_by_key("demo")
    assert demo is not None
    await server.aisle.store.sites.update(demo.id, settings={
        **demo.settings, "recording": {"cobrowse": True, "calls": True, "notice": "consent"}})


async def recording(server: Server, call_id: str) -> RecordingInfo | None:
    """The call's recording in the media plane (a call nobody joined or recorded is unknown)."""
    try:
        return await server.aisle.media.recording_info(call_id)
    except UnknownCall:
        return None


async def share(widget: Client, console: Client, cid: str, record: bool | None) -> None:
    await console.call("request_cobrowse", {"conversation_id": cid})
    await widget.wait_for("cobrowse_requested", count=len(widget.events("cobrowse_requested")))
    answer: dict[str, Any] = {"conversation_id": cid, "allow": True}
    if record is not None:
        answer["record"] = record
    await widget.call("answer_cobrowse", answer)


async def consenting_chat(make_server: ServerFactory, **overrides: Any
                          ) -> tuple[Server, Client, Client, dict[str, Any], Agent]:
    """An active chat on a site that asks for consent to recording."""
    server = await make_server(**overrides)
    await consent_policy(server)
    widget, console, conv, agent = await accepted_chat(server)
    return server, widget, console, conv, agent


async def test_cobrowse_is_recorded_only_with_the_shoppers_consent(
        make_server: ServerFactory) -> None:
    server, widget, console, conv, _ = await consenting_chat(make_server)
    cid = conv["id"]
    stored = server.aisle.cobrowse.recordings_dir(cid) / "cobrowse"

    # Shared without consent: relayed live, never stored, and the log says so.
    await share(widget, console, cid, record=None)
    started = await console.wait_for("cobrowse_started")
    assert started["data"]["recorded"] is False
    await batch(widget, conv, 0, FULL, full=True)
    await batch(widget, conv, 1, INCREMENTAL)
    await console.wait_for("cobrowse_batch", lambda b: b["batch_no"] == 1)
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    assert not stored.exists() or not any(stored.iterdir())
    paused = await console.wait_for("recording_paused")
    assert paused["data"] == {"kind": "cobrowse", "reason": "declined", "session_id": None,
                              "url": None, "since": None}

    # Stopped, asked again, shared with consent: recorded from its first snapshot.
    await widget.call("stop_cobrowse", {"conversation_id": cid})
    await console.wait_for("cobrowse_ended")
    await share(widget, console, cid, record=True)
    again = await console.wait_for("cobrowse_started", count=2)
    assert again["data"]["recorded"] is True
    await console.wait_for("recording_resumed")
    await batch(widget, conv, 0, FULL, full=True, session="tab2")
    await batch(widget, conv, 1, INCREMENTAL, session="tab2")
    await console.wait_for("cobrowse_batch", lambda b: b["session_id"] == "tab2"
                           and b["batch_no"] == 1)
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    assert [p.name for p in stored.iterdir()] == ["tab2-000000.cb"]


async def test_a_call_is_recorded_only_with_the_shoppers_consent(
        make_server: ServerFactory) -> None:
    server, widget, console, conv, _ = await consenting_chat(make_server, **LOOPBACK_MEDIA)
    cid = conv["id"]

    # The agent calls; the shopper answers without consenting: no recording.
    first = await console.call("start_call", {"conversation_id": cid, "media": "audio"})
    await widget.wait_for("call_requested")
    await widget.call("answer_call", {"conversation_id": cid, "accept": True})
    paused = await console.wait_for("recording_paused")
    assert paused["data"]["kind"] == "call" and paused["data"]["reason"] == "declined"
    assert await recording(server, first["call_id"]) is None
    await widget.call("hang_up", {"conversation_id": cid})
    await console.wait_for("call_ended")

    # The shopper calls and consents; the agent's answer starts the recording.
    second = await widget.call("start_call", {"conversation_id": cid, "media": "audio",
                                              "record": True})
    await console.wait_for("call_requested", count=2)
    await console.call("answer_call", {"conversation_id": cid, "accept": True,
                                       "record": False})  # the agent's say does not count
    await console.wait_for("call_accepted", count=2)
    assert await recording(server, second["call_id"]) is not None
    assert len(console.events("recording_paused")) == 1
    # The agent pauses it, and the call ends paused.
    await console.call("pause_recording", {"conversation_id": cid})
    await widget.call("hang_up", {"conversation_id": cid})
    await console.wait_for("call_ended", count=2)

    # The next call, the shopper does not agree: the agent's pause of the last call does not
    # let them record this one.
    await console.call("start_call", {"conversation_id": cid, "media": "audio"})
    await widget.wait_for("call_requested", count=3)
    await widget.call("answer_call", {"conversation_id": cid, "accept": True})
    await console.wait_for("call_accepted", count=3)
    with pytest.raises(AckError) as err:
        await console.call("resume_recording", {"conversation_id": cid})
    assert err.value.code == "conflict"
    await widget.call("hang_up", {"conversation_id": cid})


async def test_where_the_site_only_notifies_consent_changes_nothing(
        make_server: ServerFactory) -> None:
    server = await make_server(**LOOPBACK_MEDIA)
    widget, console, conv, _ = await accepted_chat(server)
    cid = conv["id"]
    await share(widget, console, cid, record=False)
    assert (await console.wait_for("cobrowse_started"))["data"]["recorded"] is True
    await batch(widget, conv, 0, FULL, full=True)
    call = await console.call("start_call", {"conversation_id": cid, "media": "audio"})
    await widget.wait_for("call_requested")
    await widget.call("answer_call", {"conversation_id": cid, "accept": True, "record": False})
    await console.wait_for("call_accepted")
    assert await recording(server, call["call_id"]) is not None
    assert console.events("recording_paused") == []
    chunks = server.aisle.cobrowse.recordings_dir(cid) / "cobrowse"
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    assert [p.name for p in chunks.iterdir()] == ["tab1-000000.cb"]


def sizes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in folder.iterdir()} if folder.exists() else {}


async def test_the_shopper_stops_recording_a_sharing_that_goes_on(
        make_server: ServerFactory) -> None:
    server, widget, console, conv, _ = await consenting_chat(make_server)
    cid = conv["id"]
    stored = server.aisle.cobrowse.recordings_dir(cid) / "cobrowse"
    stop = {"conversation_id": cid, "kind": "cobrowse"}
    with pytest.raises(AckError) as err:
        await widget.call("stop_recording", stop)
    assert err.value.code == "conflict"  # nothing is shared yet

    await share(widget, console, cid, record=True)
    await console.wait_for("conversation_updated",
                           lambda u: u["conversation"]["cobrowse_recorded"] is True)
    await batch(widget, conv, 0, FULL, full=True)
    await batch(widget, conv, 1, INCREMENTAL)
    await console.wait_for("cobrowse_batch", lambda b: b["batch_no"] == 1)
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    before = sizes(stored)
    assert before["tab1-000000.cb"] > 0

    await widget.call("stop_recording", stop)
    paused = await console.wait_for("recording_paused")
    assert paused["data"]["reason"] == "withdrawn" and paused["actor"]["kind"] == "visitor"
    for client in (widget, console):
        await client.wait_for("conversation_updated",
                              lambda u: u["conversation"]["cobrowse_recorded"] is False)
    # The agent still sees the page; nothing more is stored, a new snapshot included.
    await batch(widget, conv, 2, INCREMENTAL)
    await batch(widget, conv, 0, FULL, full=True, session="tab2")
    await console.wait_for("cobrowse_batch", lambda b: b["session_id"] == "tab2")
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    assert sizes(stored) == before
    await widget.call("stop_recording", stop)  # again: nothing to stop
    assert len(console.events("recording_paused")) == 1

    # A later sharing with consent closes the gap and is recorded.
    await widget.call("stop_cobrowse", {"conversation_id": cid})
    await console.wait_for("cobrowse_ended")
    await share(widget, console, cid, record=True)
    resumed = await console.wait_for("recording_resumed")
    assert resumed["data"]["reason"] == "withdrawn"
    await batch(widget, conv, 0, FULL, full=True, session="tab3")
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    assert sizes(stored)["tab3-000000.cb"] > 0
    state = await server.aisle.store.conversations.get(cid)
    assert state is not None and state.cobrowse_recorded is True
    await replays_to_state(server, cid)


async def test_the_agent_pauses_and_resumes_the_recording_of_a_sharing(
        make_server: ServerFactory) -> None:
    """The shopper shows something private: the agent pauses the sharing's recording (the view
    goes on), then resumes it, and a fresh snapshot starts the next chunk. Never a recording
    the shopper stopped."""
    server, widget, console, conv, agent = await consenting_chat(make_server)
    cid = conv["id"]
    stored = server.aisle.cobrowse.recordings_dir(cid) / "cobrowse"
    pause = {"conversation_id": cid, "kind": "cobrowse"}
    await share(widget, console, cid, record=True)
    await console.wait_for("conversation_updated",
                           lambda u: u["conversation"]["cobrowse_recorded"] is True)
    await batch(widget, conv, 0, FULL, full=True)
    await console.wait_for("cobrowse_batch", lambda b: b["batch_no"] == 0)
    # Only the agent serving the conversation.
    boss = await server.agent_client(await server.add_agent("boss", role="supervisor"))
    with pytest.raises(AckError) as err:
        await boss.call("pause_recording", pause)
    assert err.value.code == "forbidden"

    await console.call("pause_recording", pause)
    paused = await widget.wait_for("conversation_updated",
                                   lambda u: u["conversation"]["cobrowse_recorded"] is False)
    assert paused["conversation"]["cobrowse"] == "on"
    assert await batch(widget, conv, 1, INCREMENTAL) == {"snapshot_needed": False,
                                                         "recorded": False}
    await console.wait_for("cobrowse_batch", lambda b: b["batch_no"] == 1)  # still relayed
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    before = sizes(stored)

    await console.call("resume_recording", pause)
    await widget.wait_for("snapshot_requested")  # a recording starts with a full snapshot
    await batch(widget, conv, 2, FULL, full=True)
    assert await asyncio.to_thread(server.aisle.cobrowse.flush)
    after = sizes(stored)
    assert after["tab1-000002.cb"] > 0 and {k: after[k] for k in before} == before
    kinds = [(e["type"], e["data"]["reason"]) for e in console.events()
             if isinstance(e, dict) and e.get("type") in ("recording_paused", "recording_resumed")
             and e["data"]["kind"] == "cobrowse"]
    assert kinds == [("recording_paused", "agent"), ("recording_resumed", "agent")]

    # What the shopper stopped, the agent cannot resume.
    await widget.call("stop_recording", pause)
    await console.wait_for("recording_paused", lambda e: e["data"]["reason"] == "withdrawn")
    with pytest.raises(AckError) as err:
        await console.call("resume_recording", pause)
    assert err.value.code == "conflict"
    await replays_to_state(server, cid)


async def replays_to_state(server: Server, cid: str) -> None:
    store = server.aisle.store.conversations
    assert replay(await store.events_after(cid, 0, agent_view=True)) == await store.get(cid)


async def until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    deadline = time.monotonic() + 10
    while not await check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)  # polling the media plane's own accounting, bounded


async def test_the_shopper_stops_recording_a_call_that_goes_on(
        make_server: ServerFactory) -> None:
    server, widget, console, conv, agent = await consenting_chat(make_server, **LOOPBACK_MEDIA)
    cid = conv["id"]
    call = await widget.call("start_call", {"conversation_id": cid, "media": "audio",
                                            "record": True})
    await console.wait_for("call_requested")
    await console.call("answer_call", {"conversation_id": cid, "accept": True})
    await widget.wait_for("conversation_updated",
                          lambda u: u["conversation"]["call_recorded"] is True)
    shopper, agent_peer = ClientPeer("shopper"), ClientPeer("agent")
    try:
        await recording_stopped_mid_call(server, widget, console, cid, agent.id, call["call_id"],
                                         shopper, agent_peer)
    finally:
        await shopper.close()
        await agent_peer.close()


async def recording_stopped_mid_call(server: Server, widget: Client, console: Client, cid: str,
                                     agent_id: str, call_id: str, shopper: ClientPeer,
                                     agent_peer: ClientPeer) -> None:
    await join(shopper, widget, cid, [("microphone", "audio")])
    await join(agent_peer, console, cid, [("microphone", "audio")])
    await follow(shopper, widget, cid, count=1)  # the agent's microphone appeared

    async def recorder_files() -> int:
        return (await server.aisle.media.stats()).recorder_files

    async def writing() -> bool:
        return await recorder_files() == 2

    await until(writing, "both microphones recorded")

    def complete(e: dict[str, Any]) -> bool:
        return e["data"]["state"] == "complete"  # type: ignore[no-any-return]

    # The agent pauses while the shopper reads out a card number, then resumes: the files so
    # far are finished, new ones follow. Only the agent can; pausing twice changes nothing.
    await console.call("pause_recording", {"conversation_id": cid})
    paused = await console.wait_for("recording_paused")
    assert paused["data"]["reason"] == "agent" and paused["actor"]["kind"] == "agent"
    await console.wait_for("media_recorded", complete, count=2)
    assert await recorder_files() == 0
    await widget.wait_for("conversation_updated",
                          lambda u: u["conversation"]["call_recorded"] is False)
    await console.call("pause_recording", {"conversation_id": cid})
    with pytest.raises(AckError):
        await widget.call("resume_recording", {"conversation_id": cid})
    await console.call("resume_recording", {"conversation_id": cid})
    resumed = await console.wait_for("recording_resumed")
    assert resumed["data"]["reason"] == "agent"
    await until(writing, "both microphones recorded again")
    await widget.wait_for("conversation_updated",
                          lambda u: u["conversation"]["call_recorded"] is True, count=2)

    await widget.call("stop_recording", {"conversation_id": cid, "kind": "call"})
    paused = await console.wait_for("recording_paused", count=2)
    assert paused["data"] == {"kind": "call", "reason": "withdrawn", "session_id": None,
                              "url": None, "since": None}
    # The files so far are finished and logged; nothing is being written any more.
    files = await console.wait_for("media_recorded", complete, count=4)
    assert len({e["data"]["file"] for e in console.events("media_recorded", complete)}) == 4, files
    assert await recorder_files() == 0
    # What the shopper stopped, the agent cannot resume.
    with pytest.raises(AckError) as err:
        await console.call("resume_recording", {"conversation_id": cid})
    assert err.value.code == "conflict"
    await widget.wait_for("conversation_updated",
                          lambda u: u["conversation"]["call_recorded"] is False)
    # The call goes on, and a camera turned on now is not recorded either.
    await frames_grow(shopper, agent_id, "microphone", "audio", count=20, timeout=10)
    publish(agent_peer, "camera", "video")
    await negotiate(agent_peer, console, cid)
    await console.wait_for("call_track_added", lambda e: e["data"]["source"] == "camera")
    assert await recorder_files() == 0
    info = await recording(server, call_id)
    assert info is not None and {f.source for f in info.files} == {"microphone"}
    state = await server.aisle.store.conversations.get(cid)
    assert state is not None and state.call_recorded is False
    await replays_to_state(server, cid)
    await widget.call("hang_up", {"conversation_id": cid})
    # The gaps are the call's: both end when it does, not at the end of the conversation.
    ended = await console.wait_for("call_ended")
    events = await server.aisle.store.conversations.events_after(cid, 0, agent_view=True)
    state = await server.aisle.store.conversations.get(cid)
    assert state is not None and state.status == "active"
    gaps = [g for g in manifest.build(state, events, lambda f: f).gaps if g.kind == "call"]
    assert [g.reason for g in gaps] == ["agent", "withdrawn"]
    assert gaps[1].end_offset_ms == ended["ts"] - state.created_at


async def test_stopping_the_recording_is_refused_where_the_site_only_notifies(
        make_server: ServerFactory) -> None:
    server = await make_server()
    widget, console, conv, _ = await accepted_chat(server)
    cid = conv["id"]
    await share(widget, console, cid, record=None)
    await console.wait_for("cobrowse_started")
    with pytest.raises(AckError) as err:
        await widget.call("stop_recording", {"conversation_id": cid, "kind": "cobrowse"})
    assert err.value.code == "conflict" and "stop sharing" in err.value.error["message"]
    with pytest.raises(AckError) as err:
        await widget.call("stop_recording", {"conversation_id": cid, "kind": "call"})
    assert err.value.code == "conflict"  # no call
    with pytest.raises(AckError) as err:
        await widget.call("stop_recording", {"conversation_id": cid, "kind": "chat"})
    assert err.value.code == "invalid_payload"
    # Another visitor cannot touch this conversation.
    other, _ = await server.visitor()
    with pytest.raises(AckError) as err:
        await other.call("stop_recording", {"conversation_id": cid, "kind": "cobrowse"})
    assert err.value.code in ("forbidden", "not_found")
    assert console.events("recording_paused") == []


async def test_an_upgrade_keeps_an_unrecorded_sharing_unrecorded(tmp_path: Path) -> None:
    """Sharings under way when the server is upgraded keep what their start said: the new
    state column is filled in from the log."""
    server = await start_server(tmp_path / "data")
    try:
        await consent_policy(server)
        widget, console, conv, _ = await accepted_chat(server)
        await share(widget, console, conv["id"], record=False)
        await console.wait_for("cobrowse_started")
    finally:
        await server.close()
    # Through the engine `aisle serve` migrates with (SQLite, foreign keys on).
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'data' / 'aisle.db'}")
    try:
        await migrate(engine, "0004", downgrade=True)
        await migrate(engine)
        async with engine.connect() as conn:
            row = (await conn.execute(sa.select(conversations.c.cobrowse,
                                                conversations.c.cobrowse_recorded))).one()
    finally:
        await engine.dispose()
    assert tuple(row) == ("on", False)
