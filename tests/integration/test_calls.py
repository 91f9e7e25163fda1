"""Calls through the real signaling server: aiortc clients play the browsers (they offer as
our JS client must); frames flow both ways through the media plane, everything is logged,
recorded files are noted on the conversation's clock, and nothing leaks."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import time
from collections.abc import AsyncIterator
from typing import Any

import av
import pytest

from media.control import Answer, PublishedTrack, ReceiveSlot
from media.synthetic import ClipTrack
from media.testing import ClientPeer, camera_clip, frames_grow, publish, wait_for
from signaling.protocol.calls import MediaRecordedData
from tests.conftest import ServerFactory
from tests.integration.flows import accepted_chat
from tests.integration.harness import AckError, Client, Server

LOOPBACK_MEDIA = {"media_host_addresses": ("127.0.0.1",)}


@pytest.fixture
async def server(make_server: ServerFactory) -> Server:
    return await make_server(**LOOPBACK_MEDIA)


@pytest.fixture
async def peers() -> AsyncIterator[list[ClientPeer]]:
    made: list[ClientPeer] = []
    yield made
    for peer in made:
        await peer.close()


async def negotiate(peer: ClientPeer, socket: Client, conversation_id: str) -> dict[str, Any]:
    offer = await peer.offer()
    answer = await socket.call("call_offer", {
        "conversation_id": conversation_id, "sdp": offer.sdp,
        "sources": [{"mid": s.mid, "source": s.source} for s in offer.sources]})
    await peer.accept(Answer(sdp=answer["sdp"],
                             receive=[ReceiveSlot(**r) for r in answer["receive"]],
                             published=[PublishedTrack(**p) for p in answer["published"]]))
    return answer  # type: ignore[no-any-return]


async def join(peer: ClientPeer, socket: Client, conversation_id: str,
               sources: list[tuple[str, str]], stamp_video: bool = False) -> dict[str, Any]:
    """Join the call and publish; `stamp_video` puts the send time in every video frame."""
    joined = await socket.call("join_call", {"conversation_id": conversation_id})
    for source, kind in sources:
        if kind == "video" and stamp_video:
            peer.publish(source, ClipTrack(camera_clip(), stamp=True))  # type: ignore[arg-type]
        else:
            publish(peer, source, kind)  # type: ignore[arg-type]
    kinds = [t["kind"] for t in joined["remote_tracks"]]
    peer.ensure_receive_slots(kinds.count("audio"), kinds.count("video"))
    await negotiate(peer, socket, conversation_id)
    return joined  # type: ignore[no-any-return]


async def follow(peer: ClientPeer, socket: Client, conversation_id: str, count: int) -> None:
    """Answer the count-th `call_remote_tracks` with receive slots and a new offer."""
    change = await socket.wait_for("call_remote_tracks", count=count)
    kinds = [t["kind"] for t in change["tracks"]]
    peer.ensure_receive_slots(kinds.count("audio"), kinds.count("video"))
    await negotiate(peer, socket, conversation_id)


async def test_a_video_call_both_ways_logged_recorded_and_leak_free(
        server: Server, peers: list[ClientPeer]) -> None:
    widget, console, conv, agent = await accepted_chat(server)
    cid = conv["id"]
    started = await widget.call("start_call", {"conversation_id": cid, "media": "video"})
    ringing = await console.wait_for("call_requested")
    assert ringing["data"] == {"call_id": started["call_id"], "media": "video", "by": "visitor"}
    with pytest.raises(AckError) as err:
        await widget.call("answer_call", {"conversation_id": cid, "accept": True})
    assert err.value.code == "conflict"  # the other side answers
    await console.call("answer_call", {"conversation_id": cid, "accept": True})
    await widget.wait_for("call_accepted")

    shopper, agent_peer = ClientPeer("shopper"), ClientPeer("agent")
    peers += [shopper, agent_peer]
    joined = await join(shopper, widget, cid, [("microphone", "audio"), ("camera", "video")])
    assert joined["peer_id"] != agent.id and joined["remote_tracks"] == []
    joined = await join(agent_peer, console, cid, [("microphone", "audio"), ("camera", "video")])
    assert {t["source"] for t in joined["remote_tracks"]} == {"microphone", "camera"}
    await follow(shopper, widget, cid, count=1)  # the agent's tracks appeared
    visitor_id = joined["remote_tracks"][0]["peer_id"]
    await frames_grow(agent_peer, visitor_id, "camera", "video", count=20, timeout=10)
    await frames_grow(shopper, agent.id, "camera", "video", count=20, timeout=10)
    await frames_grow(shopper, agent.id, "microphone", "audio", count=20, timeout=10)

    # The agent adds a screen share mid-call: renegotiation, the shopper follows.
    publish(agent_peer, "screen", "video")
    await negotiate(agent_peer, console, cid)
    await follow(shopper, widget, cid, count=2)
    await frames_grow(shopper, agent.id, "screen", "video", count=10, timeout=10)

    await console.call("hang_up", {"conversation_id": cid})
    ended = await widget.wait_for("call_ended")
    assert ended["data"]["reason"] == "hangup"
    history = await console.call("get_history", {"conversation_id": cid, "limit": 200})
    added = {(e["data"]["participant"], e["data"]["source"], e["data"]["kind"])
             for e in history["events"] if e["type"] == "call_track_added"}
    assert {(visitor_id, "camera", "video"), (agent.id, "screen", "video")} <= added
    # The recording: one file per track, finished, on the conversation's clock, decodable.
    await wait_for(lambda: media_files(server, cid, "complete") >= 5, 10, "finished files")
    state = await server.aisle.store.conversations.get(cid)
    assert state is not None and state.call == "off"
    files = [e.data for e in await server.aisle.store.conversations.events_after(
        cid, 0, agent_view=True) if e.type == "media_recorded"]
    video = next(f for f in files if isinstance(f, MediaRecordedData)
                 and f.participant == agent.id and f.source == "camera"
                 and f.state == "complete")
    assert isinstance(video, MediaRecordedData)
    path = server.settings.data_dir / "recordings" / cid / video.file
    with av.open(str(path)) as container:
        assert sum(1 for _ in container.decode(video=0)) > 10
    # Nothing leaks once the call is over (one task stays: the media plane's event dispatcher,
    # started with its first event and living as long as the media plane).
    async def released() -> bool:
        stats = await server.aisle.media.stats()
        return (stats.calls, stats.peers, stats.peer_connections, stats.threads,
                stats.recorder_files) == (0, 0, 0, 0, 0) and stats.tasks <= 1

    deadline = time.monotonic() + 10
    while not await released():
        assert time.monotonic() < deadline, await server.aisle.media.stats()
        await asyncio.sleep(0.05)  # polling the media plane's own accounting, bounded


def media_files(server: Server, conversation_id: str, state: str) -> int:
    folder = server.settings.data_dir / "recordings" / conversation_id / "media"
    return len(list(folder.glob("*.webm"))) if folder.exists() else 0


async def test_browsers_get_short_lived_turn_credentials(make_server: ServerFactory) -> None:
    server = await make_server(turn_secret="s3cret", turn_urls=("turn:turn.example:3478",),
                               stun_urls=("stun:stun.example:3478",), **LOOPBACK_MEDIA)
    widget, console, conv, agent = await accepted_chat(server)
    await widget.call("start_call", {"conversation_id": conv["id"]})
    await console.call("answer_call", {"conversation_id": conv["id"], "accept": True})
    joined = await console.call("join_call", {"conversation_id": conv["id"]})
    stun, turn = joined["ice_servers"]
    assert stun == {"urls": ["stun:stun.example:3478"], "username": None, "credential": None}
    expiry, participant = turn["username"].split(":")
    assert participant == agent.id and 0 < int(expiry) - time.time() <= 3600
    digest = hmac.new(b"s3cret", turn["username"].encode(), hashlib.sha1).digest()
    assert turn["credential"] == base64.b64encode(digest).decode()


async def test_declined_unanswered_and_rules(make_server: ServerFactory) -> None:
    server = await make_server(call_ring_s=0.3, **LOOPBACK_MEDIA)
    widget, console, conv, agent = await accepted_chat(server)
    cid = conv["id"]
    await console.call("start_call", {"conversation_id": cid, "media": "audio"})
    with pytest.raises(AckError) as err:
        await console.call("start_call", {"conversation_id": cid})
    assert err.value.code == "conflict"
    with pytest.raises(AckError) as err:
        await console.call("join_call", {"conversation_id": cid})
    assert err.value.code == "conflict"  # not answered yet
    await widget.call("answer_call", {"conversation_id": cid, "accept": False})
    declined = await console.wait_for("call_ended")
    assert declined["data"]["reason"] == "declined"
    await widget.call("start_call", {"conversation_id": cid, "media": "audio"})
    unanswered = await widget.wait_for("call_ended", count=2)
    assert unanswered["data"]["reason"] == "unanswered"
    intruder, _ = await server.visitor()
    with pytest.raises(AckError) as err:
        await intruder.call("start_call", {"conversation_id": cid})
    assert err.value.code == "forbidden"


async def test_bad_sdp_and_candidates_are_refused_and_the_call_goes_on(
        server: Server, peers: list[ClientPeer]) -> None:
    widget, console, conv, agent = await accepted_chat(server)
    cid = conv["id"]
    await widget.call("start_call", {"conversation_id": cid, "media": "audio"})
    await console.call("answer_call", {"conversation_id": cid, "accept": True})
    with pytest.raises(AckError) as err:
        await widget.call("call_offer", {"conversation_id": cid, "sdp": "v=0"})
    assert err.value.code == "conflict"  # join first
    await widget.call("join_call", {"conversation_id": cid})
    for sdp, code in [("v=0\r\nnonsense", "invalid_sdp"),
                      ("v=0\r\n" + "a=x\r\n" * 8000, "sdp_too_large")]:
        with pytest.raises(AckError) as err:
            await widget.call("call_offer", {"conversation_id": cid, "sdp": sdp})
        assert err.value.code == code
    with pytest.raises(AckError) as err:
        await widget.call("call_offer", {"conversation_id": cid, "sdp": "x" * 70_000})
    assert err.value.code == "invalid_payload"
    with pytest.raises(AckError) as err:
        await widget.call("call_candidate", {"conversation_id": cid,
                                             "candidate": "candidate:garbage"})
    assert err.value.code in ("invalid_candidate", "wrong_state")
    # A good offer still works on the same peer.
    shopper = ClientPeer("shopper")
    peers.append(shopper)
    publish(shopper, "microphone", "audio")
    answer = await negotiate(shopper, widget, cid)
    assert answer["published"][0]["source"] == "microphone"


async def in_a_call(server: Server, peers: list[ClientPeer], media: str,
                    sources: list[tuple[str, str]]
                    ) -> tuple[Client, Client, str, ClientPeer, ClientPeer, dict[str, Any]]:
    """The agent calls, the shopper answers, both join publishing `sources`: the widget, the
    console, the conversation, the shopper's and the agent's peers, the shopper's join."""
    widget, console, conv, _ = await accepted_chat(server)
    cid = conv["id"]
    await console.call("start_call", {"conversation_id": cid, "media": media})
    await widget.call("answer_call", {"conversation_id": cid, "accept": True})
    shopper, agent_peer = ClientPeer("shopper"), ClientPeer("agent")
    peers += [shopper, agent_peer]
    await join(agent_peer, console, cid, sources)
    joined = await join(shopper, widget, cid, sources)
    return widget, console, cid, shopper, agent_peer, joined


async def test_rebuild_by_joining_again_and_leaving_ends_the_call(
        make_server: ServerFactory, peers: list[ClientPeer]) -> None:
    server = await make_server(call_rejoin_s=0.5, **LOOPBACK_MEDIA)
    widget, console, cid, shopper, agent_peer, joined = await in_a_call(
        server, peers, "video", [("camera", "video")])
    visitor_id = joined["peer_id"]
    await follow(agent_peer, console, cid, count=1)
    await frames_grow(agent_peer, visitor_id, "camera", "video", count=10, timeout=10)
    # The shopper's page changes: its connection closes (cleanly: its tracks end), a new
    # connection joins again with the same participant id, and the agent, told what it can
    # receive now, offers again and receives the new camera.
    await shopper.pc.close()
    rebuilt = ClientPeer("shopper-2")
    peers.append(rebuilt)
    console.clear()
    await join(rebuilt, widget, cid, [("camera", "video")])
    change = await console.wait_for("call_remote_tracks", lambda d: any(
        t["source"] == "camera" for t in d["tracks"]))
    kinds = [t["kind"] for t in change["tracks"]]
    agent_peer.ensure_receive_slots(kinds.count("audio"), kinds.count("video"))
    await negotiate(agent_peer, console, cid)
    await frames_grow(agent_peer, visitor_id, "camera", "video", count=20, timeout=15)
    # The shopper's page goes away for good: after the rejoin time the call ends.
    await widget.close()
    ended = await console.wait_for("call_ended")
    assert ended["data"]["reason"] == "left"


async def test_a_lost_connection_is_waited_for_longer_than_a_closed_page(
        make_server: ServerFactory, peers: list[ClientPeer]) -> None:
    """The shopper's connection breaks without a word from their page (a train's tunnel): the
    call waits AISLE_CALL_LOST_REJOIN_S for them, not the shorter wait for a page that went
    away, and then ends as `connection_lost`."""
    server = await make_server(call_rejoin_s=0.2, call_lost_rejoin_s=0.5, **LOOPBACK_MEDIA)
    widget, console, _, _, _, _ = await in_a_call(server, peers, "audio",
                                                  [("microphone", "audio")])
    # No close frame: the TCP connection just dies. (The end's reason and the wait before it
    # are chosen together: `connection_lost` is the longer wait's.)
    widget.sio.eio.ws._conn.transport.abort()
    ended = await console.wait_for("call_ended")
    assert ended["data"]["reason"] == "connection_lost"


async def test_a_participant_whose_network_goes_silent_is_lost_not_gone(
        make_server: ServerFactory, peers: list[ClientPeer]) -> None:
    """The shopper's media stops getting through without a word (UDP blocked on a new network,
    a VPN coming up) while their page's socket stays. The server notices when their ICE
    consent expires (about 33 s; shortened here by AISLE_MEDIA_CONSENT_INTERVAL_S): their page
    is told to rebuild its connection, and when it does not, the call ends as
    `connection_lost` after the lost connection's wait, not as their leaving and not never."""
    server = await make_server(media_consent_interval_s=0.2, call_rejoin_s=60,
                               call_lost_rejoin_s=0.5, **LOOPBACK_MEDIA)
    widget, console, cid, shopper, agent_peer, joined = await in_a_call(
        server, peers, "audio", [("microphone", "audio")])
    await follow(agent_peer, console, cid, count=1)
    await frames_grow(agent_peer, joined["peer_id"], "microphone", "audio", count=10)
    # Its sockets close; nothing (no BYE, no DTLS close) reaches the server.
    await shopper.pc.getTransceivers()[0].receiver.transport.transport.stop()
    failed = await widget.wait_for("call_peer_failed", timeout=15)
    assert failed == {"conversation_id": cid, "call_id": joined["call_id"]}
    ended = await console.wait_for("call_ended")
    assert ended["data"]["reason"] == "connection_lost"
    assert (await widget.wait_for("call_ended"))["data"]["reason"] == "connection_lost"
    assert console.events("call_peer_failed") == []  # the agent's connection is fine


async def test_ending_the_conversation_ends_the_call(server: Server) -> None:
    widget, console, conv, agent = await accepted_chat(server)
    cid = conv["id"]
    await widget.call("start_call", {"conversation_id": cid})
    await console.call("answer_call", {"conversation_id": cid, "accept": True})
    await console.call("end_conversation", {"conversation_id": cid})
    ended = await widget.wait_for("call_ended")
    assert ended["data"]["reason"] == "conversation_ended"


async def test_muting_is_told_to_the_others_and_to_who_joins_later(
        make_server: ServerFactory) -> None:
    server = await make_server(**LOOPBACK_MEDIA)
    widget, console, conv, agent = await accepted_chat(server)
    cid = conv["id"]
    await console.call("start_call", {"conversation_id": cid, "media": "audio"})
    with pytest.raises(AckError) as err:  # not in the call yet
        await widget.call("set_call_muted", {"conversation_id": cid, "muted": True})
    assert err.value.code == "conflict"
    await widget.call("answer_call", {"conversation_id": cid, "accept": True})
    joined = await widget.call("join_call", {"conversation_id": cid})
    await widget.call("set_call_muted", {"conversation_id": cid, "muted": True})
    told = await console.wait_for("call_muted")
    assert told == {"conversation_id": cid, "call_id": joined["call_id"],
                    "peer_id": joined["peer_id"], "muted": True}
    # The agent's page joins (or joins again after a reload): it knows at once.
    agent_joined = await console.call("join_call", {"conversation_id": cid})
    assert agent_joined["muted"] == [joined["peer_id"]]
    await widget.call("set_call_muted", {"conversation_id": cid, "muted": False})
    await console.wait_for("call_muted", lambda d: not d["muted"])
    again = await console.call("join_call", {"conversation_id": cid})
    assert again["muted"] == []
