"""Where a site asks for consent to recording (`notice: "consent"`), co-browsing and calls are
recorded only when the shopper says yes: without it the agent still sees the page and hears the
call, nothing is stored, and the log says why (a gap the review timeline shows); with it, the
same sharing or call is recorded. Where the site only notifies, nothing changes."""

from __future__ import annotations

from typing import Any

from media.control import RecordingInfo
from media.errors import UnknownCall
from tests.conftest import ServerFactory
from tests.integration.flows import accepted_chat
from tests.integration.harness import Client, Server
from tests.integration.test_calls import LOOPBACK_MEDIA
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


async def test_cobrowse_is_recorded_only_with_the_shoppers_consent(
        make_server: ServerFactory) -> None:
    server = await make_server()
    await consent_policy(server)
    widget, console, conv, _ = await accepted_chat(server)
    cid = conv["id"]
    stored = server.aisle.cobrowse.recordings_dir(cid) / "cobrowse"

    # Shared without consent: relayed live, never stored, and the log says so.
    await share(widget, console, cid, record=None)
    started = await console.wait_for("cobrowse_started")
    assert started["data"]["recorded"] is False
    await batch(widget, conv, 0, FULL, full=True)
    await batch(widget, conv, 1, INCREMENTAL)
    await console.wait_for("cobrowse_batch", lambda b: b["batch_no"] == 1)
    assert not stored.exists() or not any(stored.iterdir())
    paused = await console.wait_for("recording_paused")
    assert paused["data"] == {"kind": "cobrowse", "reason": "declined", "session_id": None,
                              "url": None}

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
    assert [p.name for p in stored.iterdir()] == ["tab2-000000.cb"]


async def test_a_call_is_recorded_only_with_the_shoppers_consent(
        make_server: ServerFactory) -> None:
    server = await make_server(**LOOPBACK_MEDIA)
    await consent_policy(server)
    widget, console, conv, _ = await accepted_chat(server)
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
    assert [p.name for p in chunks.iterdir()] == ["tab1-000000.cb"]
