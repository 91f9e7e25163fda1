"""Bad input gets a stable error code, leaves nothing behind, and the server keeps serving."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Awaitable

import pytest

from media.control import IceCandidate, Offer, PeerStateChanged, TrackSource
from media.errors import MediaError
from media.testing import ClientPeer, Harness, frames_grow, loopback_settings, open_harness, publish


async def _code(call: Awaitable[object]) -> str:
    with pytest.raises(MediaError) as info:
        await call
    return info.value.code


async def _client_offer(harness: Harness, *sources: str) -> tuple[ClientPeer, Offer]:
    client = harness.client("c")
    for source in sources:
        publish(client, source, "audio" if source == "microphone" else "video")  # type: ignore[arg-type]
    return client, await client.offer()


async def test_bad_offers_get_error_codes_and_another_call_still_works(harness: Harness) -> None:
    control = harness.control
    await control.open_peer("cnv_bad", "vis_1", "visitor")
    _, good = await _client_offer(harness, "microphone", "camera")
    sources = good.sources

    def offer(sdp: str) -> Awaitable[object]:
        return control.apply_offer("cnv_bad", "vis_1", Offer(sdp=sdp, sources=sources))

    assert await _code(offer("hello")) == "invalid_sdp"
    assert await _code(offer("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 999\r\n")) == "invalid_sdp"
    assert await _code(offer(good.sdp.replace("a=mid:", "a=xmid:"))) == "invalid_sdp"
    assert await _code(offer(good.sdp.replace("a=rtcp-mux\r\n", ""))) == "invalid_sdp"
    assert await _code(offer(good.sdp.replace("a=group:BUNDLE", "a=group:LS"))) == "invalid_sdp"
    assert await _code(offer(good.sdp + "a=simulcast:send q;h\r\n")) == "invalid_sdp"
    assert await _code(offer(good.sdp.replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP9/90000")
                             .replace("VP8", "XX"))) == "unsupported_codec"
    assert await _code(offer(re.sub(r"m=audio \d+ ", "m=audio 0 ", good.sdp, count=1))) == (
        "invalid_sdp")
    assert await _code(offer(good.sdp + "a=x:" + "y" * 33_000 + "\r\n")) == "sdp_too_large"
    assert await _code(offer(good.sdp.replace("\r\n", "\r\n\x00", 1))) == "invalid_sdp"
    assert await _code(offer(good.sdp.replace("a=ice-ufrag:", "a=ice-ufrag:!"))) == "invalid_sdp"

    async def sources_code(declared: list[TrackSource]) -> str:
        return await _code(control.apply_offer("cnv_bad", "vis_1", Offer(good.sdp, declared)))

    assert await sources_code([]) == "invalid_sources"
    assert await sources_code([TrackSource("0", "camera"), TrackSource("1", "camera")]) == (
        "invalid_sources")
    assert await sources_code([*sources, TrackSource("9", "screen")]) == "invalid_sources"
    assert await _code(control.apply_offer("cnv_bad", "nobody", good)) == "unknown_peer"
    assert await _code(control.apply_offer("cnv_none", "vis_1", good)) == "unknown_call"
    assert await _code(control.open_peer("cnv bad", "vis_1", "visitor")) == "invalid_argument"
    assert await _code(control.open_peer("cnv_bad", "vis_2", "Visitor!")) == "invalid_argument"

    # None of that touched the peer: the same offer is still accepted afterwards.
    await control.apply_offer("cnv_bad", "vis_1", good)

    # ...and a new call works end to end.
    agent, visitor = harness.client("agent"), harness.client("visitor")
    publish(agent, "camera", "video")
    await harness.join("cnv_ok", "agt_1", agent)
    await harness.join("cnv_ok", "vis_1", visitor)
    await frames_grow(visitor, "agt_1", "camera", "video", count=5)


async def test_candidates_are_limited_and_validated(harness: Harness) -> None:
    control = harness.control
    await control.open_peer("cnv_c", "vis_1", "visitor")
    early = IceCandidate("candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", "0", 0)
    assert await _code(control.add_ice_candidate("cnv_c", "vis_1", early)) == "wrong_state"
    _, offer = await _client_offer(harness, "microphone")
    in_sdp = offer.sdp.count("a=candidate:")
    await control.apply_offer("cnv_c", "vis_1", offer)

    for bad in ("candidate:garbage", "candidate:1 1 udp 1 999.1.1.1 5 typ host",
                "candidate:1 1 sctp 1 127.0.0.1 5 typ host", "x" * 600):
        code = await _code(control.add_ice_candidate("cnv_c", "vis_1", IceCandidate(bad, "0")))
        assert code == "invalid_candidate", bad
    unknown_mid = IceCandidate(early.candidate, "77")
    assert await _code(control.add_ice_candidate("cnv_c", "vis_1", unknown_mid)) == (
        "invalid_candidate")

    limit = harness.control.settings.max_remote_candidates
    for port in range(limit - in_sdp):
        candidate = f"candidate:{port} 1 udp 2122260223 127.0.0.1 {40000 + port} typ host"
        await control.add_ice_candidate("cnv_c", "vis_1", IceCandidate(candidate, "0", 0))
    one_more = IceCandidate("candidate:x 1 udp 2122260223 127.0.0.1 39999 typ host", "0", 0)
    assert await _code(control.add_ice_candidate("cnv_c", "vis_1", one_more)) == (
        "too_many_candidates")
    await control.add_ice_candidate("cnv_c", "vis_1", IceCandidate(""))  # end of candidates: ok
    # An offer carrying too many candidates is refused too.
    many = "".join(f"a=candidate:{i} 1 udp 1 127.0.0.1 {30000 + i} typ host\r\n"
                   for i in range(limit + 1))
    await control.open_peer("cnv_c", "vis_2", "visitor")
    crowded = Offer(offer.sdp.replace("a=mid:0\r\n", "a=mid:0\r\n" + many), offer.sources)
    assert await _code(control.apply_offer("cnv_c", "vis_2", crowded)) == "too_many_candidates"


async def test_wrong_state_and_ice_restart(harness: Harness) -> None:
    control = harness.control
    await control.open_peer("cnv_w", "vis_1", "visitor")
    _, offer = await _client_offer(harness, "microphone")
    first, second = await asyncio.gather(
        control.apply_offer("cnv_w", "vis_1", offer),
        control.apply_offer("cnv_w", "vis_1", offer),
        return_exceptions=True,
    )
    codes = sorted(getattr(r, "code", "answer") for r in (first, second))
    assert codes == ["answer", "wrong_state"]

    # Another RTCPeerConnection's offer (new ICE credentials) on the same peer: no ICE restart.
    _, other = await _client_offer(harness, "microphone")
    assert await _code(control.apply_offer("cnv_w", "vis_1", other)) == "ice_restart_unsupported"
    # Re-ordered m-sections are refused as well.
    mic_only = await _client_offer(harness, "microphone", "camera")
    await control.open_peer("cnv_w", "vis_2", "visitor")
    await control.apply_offer("cnv_w", "vis_2", mic_only[1])
    reordered = mic_only[1].sdp.replace("a=mid:0", "a=mid:X").replace("a=mid:1", "a=mid:0")
    reordered = reordered.replace("a=mid:X", "a=mid:1").replace("BUNDLE 0 1", "BUNDLE 1 0")
    swapped = [TrackSource("0", "camera"), TrackSource("1", "microphone")]
    code = await _code(control.apply_offer("cnv_w", "vis_2", Offer(reordered, swapped)))
    assert code in ("invalid_sdp", "invalid_sources")


async def test_negotiation_failure_fails_the_peer_and_releases_it() -> None:
    # A TURN server that never answers: gathering outlasts the negotiation timeout.
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.0.0.1", 0))
    turn_url = f"turn:127.0.0.1:{silent.getsockname()[1]}?transport=udp"
    try:
        async with open_harness(loopback_settings(turn_url=turn_url, turn_username="u",
                                         turn_password="p", negotiation_timeout_s=0.3)) as h:
            await h.control.open_peer("cnv_f", "vis_1", "visitor")
            client, offer = await _client_offer(h, "microphone")
            assert await _code(h.control.apply_offer("cnv_f", "vis_1", offer)) == (
                "negotiation_failed")
            await h.wait_event(lambda e: isinstance(e, PeerStateChanged) and e.state == "failed")
            assert await _code(h.control.apply_offer("cnv_f", "vis_1", offer)) == "wrong_state"
            stats = await h.control.stats()
            assert (stats.peers, stats.peer_connections) == (1, 0)
            await h.control.close_peer("cnv_f", "vis_1")
            await h.control.close_peer("cnv_f", "vis_1")  # idempotent
            assert (await h.control.stats()).peers == 0
    finally:
        silent.close()


async def test_close_is_idempotent_and_final(harness: Harness) -> None:
    control = harness.control
    agent = harness.client("agent")
    publish(agent, "camera", "video")
    await harness.join("cnv_x", "agt_1", agent)
    await control.close_call("cnv_x")
    await control.close_call("cnv_x")
    await control.close_peer("cnv_x", "agt_1")
    assert (await control.stats()).calls == 0
    await control.close()
    await control.close()
    assert await _code(control.open_peer("cnv_y", "agt_1", "agent")) == "closed"


async def test_a_peer_closed_while_its_offer_is_applied_leaves_nothing_behind(
        harness: Harness) -> None:
    """A page reloaded or a hang-up while the peer's offer is being applied: the negotiation
    stops there, so no publication, receive slot or viewer it would have made afterwards
    outlives the peer (the agent's tracks keep no viewer, the caller is told `wrong_state`)."""
    agent = harness.client("agent")
    publish(agent, "camera", "video")
    publish(agent, "microphone", "audio")
    await harness.join("cnv_r", "agt_1", agent)
    call = harness.control._calls["cnv_r"]
    published = list(call.peers["agt_1"].publications.values())
    visitor, _ = await _client_offer(harness, "microphone")
    visitor.ensure_receive_slots(1, 1)
    offer = await visitor.offer()
    await harness.control.open_peer("cnv_r", "vis_1", "visitor")
    peer = call.peers["vis_1"]
    apply_remote = peer.pc.setRemoteDescription
    closing: list[asyncio.Task[None]] = []

    async def remote_then_closed(description: object) -> None:
        await apply_remote(description)  # type: ignore[arg-type]
        closing.append(asyncio.ensure_future(harness.control.close_peer("cnv_r", "vis_1")))
        await asyncio.sleep(0)

    peer.pc.setRemoteDescription = remote_then_closed  # type: ignore[method-assign,assignment]
    assert await _code(harness.control.apply_offer("cnv_r", "vis_1", offer)) == "wrong_state"
    await closing[0]
    assert [p._sinks for p in published] == [[], []]
    assert not peer.publications and all(s.track.readyState == "ended"
                                         for s in peer.slots.values())
    stats = await harness.control.stats()
    assert (stats.peers, stats.publications) == (1, 2)
