"""Pure pieces of the media plane: TURN credentials, timestamps, keyframes, SDP, ICE options."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import re
import threading
from pathlib import Path

import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.jitterbuffer import JitterFrame
from aiortc.mediastreams import MediaStreamError
from aiortc.rtp import RtpPacket

from media import passthrough
from media.errors import ERROR_CODES, InvalidArgument, InvalidCandidate, InvalidSdp, MediaError
from media.ice import IceOptions
from media.keyframes import KeyframeRequester, is_vp8_keyframe, vp8_dimensions
from media.sdp import parse_candidate, parse_offer
from media.synthetic import vp8_clip
from media.testing import (
    ClientPeer,
    Harness,
    frames_grow,
    loopback_settings,
    open_harness,
    publish,
    wait_for,
)
from media.timestamps import PtsRebaser
from media.turn import MAX_TTL_S, browser_ice_servers, turn_credentials


def test_turn_rest_credentials_match_coturn_use_auth_secret() -> None:
    creds = turn_credentials("s3cret", "vis_1", ttl_s=600, now=1_700_000_000)
    assert creds.username == "1700000600:vis_1" and creds.expires_at == 1_700_000_600
    expected = base64.b64encode(
        hmac.new(b"s3cret", b"1700000600:vis_1", hashlib.sha1).digest()).decode()
    assert creds.password == expected
    for bad in ({"ttl_s": MAX_TTL_S + 1}, {"ttl_s": 0}, {"participant": "a b"}, {"secret": ""}):
        kwargs = {"secret": "s", "participant": "p", "ttl_s": 60, **bad}
        with pytest.raises(InvalidArgument):
            turn_credentials(**kwargs)  # type: ignore[arg-type]
    servers = browser_ice_servers(["stun:stun.example:3478"], ["turn:turn.example:3478"], creds)
    assert [s.username for s in servers] == [None, creds.username]


def test_error_codes_are_stable_and_unique() -> None:
    assert len(ERROR_CODES) == 17
    assert {"invalid_sdp", "sdp_too_large", "too_many_candidates", "wrong_state",
            "unknown_peer"} <= ERROR_CODES
    assert InvalidSdp("x").code == "invalid_sdp" and isinstance(InvalidSdp(), MediaError)


def test_pts_rebaser_keeps_steps_and_survives_false_wraps_and_source_switches() -> None:
    rebaser = PtsRebaser(90_000)
    assert rebaser.map(1_000_000, 10.0) == 0
    assert rebaser.map(1_003_000, 10.033) == 3000
    # aiortc's TimestampMapper turned a small backward step into +2**32: 13.3 h later.
    assert rebaser.map(1_006_000 + 2**32, 10.066) == 3000 + round(0.033 * 90_000)
    assert rebaser.discontinuities == 1
    assert rebaser.map(1_009_000 + 2**32, 10.1) == 5970 + 3000  # then its steps again
    # a backward timestamp never makes the output go backward
    assert rebaser.map(5, 10.133) > 8970
    # a new source (rebuilt publisher) continues on the arrival clock, strictly increasing
    last = rebaser.last or 0
    rebaser.switch_source()
    after = rebaser.map(0, 12.133)
    assert after == last + 2 * 90_000
    assert rebaser.map(3000, 12.166) == after + 3000


def test_vp8_keyframe_detection() -> None:
    clip = vp8_clip(320, 180, 30, 10, 200_000)
    assert is_vp8_keyframe(clip.packets[0]) and vp8_dimensions(clip.packets[0]) == (320, 180)
    assert not any(is_vp8_keyframe(p) for p in clip.packets[1:])
    # a mid-frame fragment whose first byte looks like a keyframe tag is not one
    assert not is_vp8_keyframe(bytes([0x10]) + clip.packets[0][1:3] + b"\x00" * 10)


async def test_keyframe_requests_are_limited_but_never_lost() -> None:
    now = [0.0]
    sent: list[float] = []

    async def send() -> None:
        sent.append(now[0])

    requester = KeyframeRequester(send, min_interval_s=0.05, clock=lambda: now[0])
    assert await requester.request()
    now[0] = 0.01
    assert not await requester.request()  # outstanding: the coming keyframe serves it
    requester.keyframe_arrived()
    now[0] = 0.02
    assert not await requester.request()  # a new loss: deferred to the interval's end...
    assert not await requester.request()  # ...once
    assert requester.busy
    now[0] = 0.06
    await wait_for(lambda: len(sent) == 2, 2, "the deferred PLI")
    assert requester.coalesced == 3
    now[0] = 0.2
    assert await requester.request()  # interval over: at once
    assert len(sent) == 3
    await requester.close()
    assert not requester.busy and not await requester.request()


def _rtp(seq: int, ts: int, marker: int, data: bytes) -> RtpPacket:
    packet = RtpPacket(payload_type=96, sequence_number=seq, timestamp=ts, marker=marker)
    packet._data = data  # type: ignore[attr-defined]
    return packet


def test_marker_jitter_buffer_emits_a_frame_on_its_last_packet() -> None:
    buffer = passthrough._MarkerJitterBuffer(capacity=16)
    assert buffer.add(_rtp(1, 100, 0, b"a")) == (False, None)
    _, frame = buffer.add(_rtp(2, 100, 1, b"b"))
    assert isinstance(frame, JitterFrame) and (frame.data, frame.timestamp) == (b"ab", 100)
    # a lost packet holds the frame (and the next) until it is retransmitted
    assert buffer.add(_rtp(4, 200, 1, b"d"))[1] is None
    _, frame = buffer.add(_rtp(3, 200, 0, b"c"))
    assert frame is not None and frame.data == b"cd"


def test_marker_jitter_buffer_skips_a_hole_that_is_never_filled() -> None:
    now = [0.0]
    buffer = passthrough._MarkerJitterBuffer(capacity=64, max_hole_s=0.25, clock=lambda: now[0])
    assert buffer.add(_rtp(1, 100, 1, b"a"))[1] is not None
    # packet 2 (frame 200's only packet) is lost for good; frames 300 and 400 queue up
    assert buffer.add(_rtp(3, 300, 1, b"c")) == (False, None)
    now[0] = 0.1
    assert buffer.add(_rtp(4, 400, 1, b"d")) == (False, None)
    now[0] = 0.3
    pli, frame = buffer.add(_rtp(5, 500, 1, b"e"))
    # the hole and the frame right after it are dropped (it may reference the lost one);
    # the next complete frame comes out marked, for viewers to resync (no aiortc PLI)
    assert not pli and isinstance(frame, passthrough._FrameAfterHole)
    assert (frame.data, frame.timestamp) == (b"d", 400) and buffer.holes_skipped == 1
    _, frame = buffer.add(_rtp(6, 600, 1, b"f"))
    assert type(frame) is JitterFrame and frame.data == b"e"  # in order, one frame per packet


def test_marker_jitter_buffer_skips_a_hole_in_the_middle_of_a_frame() -> None:
    """The head frame's first packet arrived and a later one of it never does (its one NACKed
    retransmission lost too): that is a hole as much as a lost first packet, skipped in time,
    not after 512 packets (seconds of frozen video)."""
    now = [0.0]
    buffer = passthrough._MarkerJitterBuffer(capacity=64, max_hole_s=0.25, clock=lambda: now[0])
    assert buffer.add(_rtp(1, 100, 1, b"a"))[1] is not None
    assert buffer.add(_rtp(2, 200, 0, b"b1")) == (False, None)  # frame 200: 2, (3), 4
    assert buffer.add(_rtp(4, 200, 1, b"b3")) == (False, None)
    now[0] = 0.1
    assert buffer.add(_rtp(5, 300, 1, b"c")) == (False, None)
    assert buffer.add(_rtp(6, 400, 1, b"d")) == (False, None)
    now[0] = 0.3
    pli, frame = buffer.add(_rtp(7, 500, 1, b"e"))
    # the broken frame is dropped whole; the next comes out marked, for viewers to resync
    assert not pli and isinstance(frame, passthrough._FrameAfterHole)
    assert (frame.data, frame.timestamp) == (b"c", 300) and buffer.holes_skipped == 1
    assert buffer.add(_rtp(8, 600, 1, b"f"))[1].data == b"d"  # type: ignore[union-attr]


def test_marker_jitter_buffer_waits_for_a_frame_still_arriving() -> None:
    """Packets of the head frame arriving in order are no hole, however long the frame takes;
    a packet overtaken by the next one is, only until it arrives."""
    now = [0.0]
    buffer = passthrough._MarkerJitterBuffer(capacity=64, max_hole_s=0.25, clock=lambda: now[0])
    for seq in range(1, 6):
        now[0] += 0.2
        assert buffer.add(_rtp(seq, 100, 0, b"x")) == (False, None)
    _, frame = buffer.add(_rtp(6, 100, 1, b"y"))
    assert frame is not None and frame.data == b"xxxxxy" and buffer.holes_skipped == 0
    assert buffer.add(_rtp(8, 200, 1, b"b"))[1] is None  # 7 overtaken
    now[0] += 0.2
    _, frame = buffer.add(_rtp(7, 200, 0, b"a"))
    assert type(frame) is JitterFrame and frame.data == b"ab" and buffer.holes_skipped == 0


def test_marker_jitter_buffer_recovers_after_its_own_reset() -> None:
    """A retransmission answered 150 packets late makes aiortc restart the buffer behind the
    stream: the packets between are a hole like any other, skipped in time, and frames flow
    again (not after 512 more packets)."""
    now = [0.0]
    buffer = passthrough._MarkerJitterBuffer(capacity=512, max_hole_s=0.25, clock=lambda: now[0])
    seq, out = 1000, 0

    def frame(i: int) -> int:
        nonlocal seq
        done = 0
        for k in range(3):
            done += buffer.add(_rtp(seq, 90_000 + i * 3000, int(k == 2), b"x"))[1] is not None
            seq += 1
        return done

    for i in range(60):
        now[0] += 0.033
        frame(i)
    buffer.add(_rtp(seq, 270_000, 0, b"x"))  # a frame's first packet, then the straggler
    pli, _ = buffer.add(_rtp(seq - 150, 120_000, 0, b"x"))
    assert pli  # aiortc's reset
    for i in range(61, 150):
        now[0] += 0.033
        out += frame(i)
    assert out >= 85 and buffer.holes_skipped == 1


def test_arrival_order_audio_buffer_drops_late_packets() -> None:
    buffer = passthrough._ArrivalOrderAudioBuffer()
    assert buffer.add(_rtp(10, 960, 0, b"x"))[1] is not None
    assert buffer.add(_rtp(12, 2880, 0, b"z"))[1] is not None
    assert buffer.add(_rtp(11, 1920, 0, b"y"))[1] is None  # late: the browser conceals it


def test_candidate_parser() -> None:
    c = parse_candidate("candidate:842163049 1 udp 1677729535 203.0.113.5 61655 typ srflx "
                        "raddr 10.0.0.2 rport 61655 generation 0 ufrag Zx2j network-cost 999")
    assert (c.ip, c.port, c.type, c.relatedAddress) == ("203.0.113.5", 61655, "srflx",
                                                         "10.0.0.2")
    assert parse_candidate("1 1 UDP 2122 6f1b2c3d-aaaa.local 50000 typ host").ip.endswith(".local")
    for bad in ("", "candidate:1 1 udp 1 1.2.3.4 70000 typ host",
                "candidate:1 1 udp 1 1.2.3.4 5 typ weird",
                "candidate:1 1 udp 1 evil.com 5 typ host",
                "candidate:1 1 udp 1 1.2.3.4 5 typ host raddr",
                # Addresses no peer has, or this host's own (the server would send checks to
                # its own services): multicast, broadcast, unspecified, loopback, port 0.
                "candidate:1 1 udp 1 224.0.0.1 5000 typ host",
                "candidate:1 1 udp 1 255.255.255.255 5000 typ host",
                "candidate:1 1 udp 1 0.0.0.0 5000 typ host",
                "candidate:1 1 udp 1 :: 5000 typ host",
                "candidate:1 1 udp 1 127.0.0.1 5000 typ host",
                "candidate:1 1 udp 1 ::1 5000 typ host",
                "candidate:1 1 udp 1 ::ffff:127.0.0.1 5000 typ host",
                "candidate:1 1 udp 1 ::ffff:7f00:1 5000 typ host",
                "candidate:1 1 udp 1 0.1.2.3 5000 typ host",
                "candidate:1 1 udp 1 1.2.3.4 0 typ host"):
        with pytest.raises(InvalidCandidate):
            parse_candidate(bad)
    # A server listening on loopback (the tests') takes loopback candidates.
    assert parse_candidate("candidate:1 1 udp 1 127.0.0.1 5000 typ host",
                           allow_loopback=True).ip == "127.0.0.1"


async def test_offers_are_reduced_to_vp8_and_opus() -> None:
    client = ClientPeer("c")
    publish(client, "microphone", "audio")
    publish(client, "camera", "video")
    offer = await client.offer()
    await client.close()
    assert "H264" in offer.sdp and "PCMU" in offer.sdp
    parsed = parse_offer(offer.sdp, 32 * 1024, 24, allow_loopback=True)  # a loopback client
    assert "H264" not in parsed.sdp and "PCMU" not in parsed.sdp and "G722" not in parsed.sdp
    assert "VP8/90000" in parsed.sdp and "opus/48000/2" in parsed.sdp
    video = re.search(r"m=video \d+ \S+ ([\d ]+)", parsed.sdp)
    assert video is not None and len(video.group(1).split()) == 2  # VP8 + its RTX
    assert [(s.mid, s.kind, s.direction) for s in parsed.sections] == [
        ("0", "audio", "sendonly"), ("1", "video", "sendonly")]
    assert all(s.ssrc is not None for s in parsed.sections)


async def test_an_unreachable_candidate_in_an_offer_is_left_out_not_fatal() -> None:
    client = ClientPeer("c")
    publish(client, "microphone", "audio")
    offer = await client.offer()
    await client.close()
    public = "a=candidate:7 1 udp 2122260223 203.0.113.5 50000 typ host"
    loopback = "a=candidate:8 1 udp 2122260223 127.0.0.1 50001 typ host"
    sdp = re.sub(r"a=candidate:[^\r]*\r\n", "", offer.sdp)
    sdp = sdp.replace("a=mid:0\r\n", f"a=mid:0\r\n{loopback}\r\n{public}\r\n")
    parsed = parse_offer(sdp, 32 * 1024, 24)  # a server that does not listen on loopback
    assert public in parsed.sdp and loopback not in parsed.sdp
    assert parsed.candidates == 1
    # A line that is no candidate at all still refuses the offer: that is garbage.
    with pytest.raises(InvalidCandidate):
        parse_offer(sdp.replace(public, "a=candidate:9 1 udp nonsense"), 32 * 1024, 24)


async def test_offers_aiortc_would_fail_on_are_refused_as_invalid_sdp() -> None:
    """Every offer made by swapping two lines of a good one either is refused here with
    InvalidSdp or is applied by aiortc: none passes our checks to fail inside the peer (which
    would be `negotiation_failed` and a rebuild mid-call). The ones found by a fuzzer: a
    session's o= after a direction, an m-section's c= after its attributes, a bundled
    m-section without its own ICE credentials or a=setup."""
    client = ClientPeer("c")
    publish(client, "microphone", "audio")
    publish(client, "camera", "video")
    offer = await client.offer()
    await client.close()
    lines = offer.sdp.strip().split("\r\n")
    refused = failed = 0
    for i in range(len(lines)):
        for j in range(i + 1, len(lines)):
            swapped = list(lines)
            swapped[i], swapped[j] = swapped[j], swapped[i]
            try:
                parsed = parse_offer("\r\n".join(swapped) + "\r\n", 32 * 1024, 24,
                                     allow_loopback=True)
            except InvalidSdp:
                refused += 1
                continue
            pc = RTCPeerConnection()
            try:
                await pc.setRemoteDescription(RTCSessionDescription(sdp=parsed.sdp, type="offer"))
                await pc.createAnswer()
            except Exception as exc:
                failed += 1
                print(f"passed our checks, failed in aiortc: {lines[i]!r} <-> {lines[j]!r}: "
                      f"{type(exc).__name__}: {exc}")
            finally:
                await pc.close()
    assert refused > 0 and failed == 0


SAMPLES = Path(__file__).parent / "sdp"


@pytest.mark.parametrize("browser", ["chromium", "firefox"])
async def test_browsers_offers_pass_and_aiortc_answers_them(browser: str) -> None:
    """Offers as browsers write them: chromium.sdp was made by the Chromium the browser tests
    use (sending audio and video, two receive slots, mDNS candidates); firefox.sdp has the
    shape of Firefox 128's (a session-level a=sendrecv and fingerprint beside each m-section's
    direction, `{…}` msids), which the browser tests cannot make here."""
    sdp = (SAMPLES / f"{browser}.sdp").read_text()
    parsed = parse_offer(sdp, 32 * 1024, 24)
    assert parsed.sections and all(s.direction for s in parsed.sections)
    pc = RTCPeerConnection()
    try:
        await pc.setRemoteDescription(RTCSessionDescription(sdp=parsed.sdp, type="offer"))
        answer = await pc.createAnswer()
        assert answer is not None and "m=audio" in answer.sdp
    finally:
        await pc.close()


def test_ice_options_are_validated() -> None:
    with pytest.raises(ValueError):
        IceOptions(host_addresses=("not-an-ip",))
    with pytest.raises(ValueError):
        IceOptions(port_min=5000, port_max=4000)


async def test_announced_address_and_port_range_in_the_answer() -> None:
    announced = loopback_settings(ice_announced_address="203.0.113.7", ice_port_min=42000,
                                  ice_port_max=42009)
    async with open_harness(announced) as harness:
        client = harness.client("c")
        publish(client, "microphone", "audio")
        _, answer = await harness.join("cnv_ice", "vis_1", client)
        candidates = re.findall(r"a=candidate:\S+ 1 udp \d+ (\S+) (\d+) typ host", answer.sdp)
        assert candidates and all(
            ip == "203.0.113.7" and 42000 <= int(port) <= 42009 for ip, port in candidates)


async def test_port_range_on_loopback_still_connects() -> None:
    async with open_harness(loopback_settings(ice_port_min=43000, ice_port_max=43001)) as harness:
        agent, visitor = harness.client("agent"), harness.client("visitor")
        publish(agent, "camera", "video")
        await harness.join("cnv_pr", "agt_1", agent)
        _, answer = await harness.join("cnv_pr", "vis_1", visitor)
        assert re.search(r"a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 4300[01] typ host", answer.sdp)
        await frames_grow(visitor, "agt_1", "camera", "video", count=5)


async def test_ice_hook_is_scoped_to_our_peers(harness: Harness) -> None:
    from aiortc import RTCConfiguration, RTCPeerConnection

    plain = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    plain.addTransceiver("audio")
    await plain.setLocalDescription(await plain.createOffer())
    assert "127.0.0.1" not in plain.localDescription.sdp  # aioice's own behaviour
    await plain.close()


def test_get_decoder_passes_through_only_for_adopted_receivers() -> None:
    from aiortc.codecs import get_decoder as aiortc_get_decoder
    from aiortc.rtcrtpparameters import RTCRtpCodecParameters

    passthrough.install()
    vp8 = RTCRtpCodecParameters(mimeType="video/VP8", clockRate=90_000, payloadType=96)
    decoders: dict[str, object] = {}

    class Adopted:  # stands in for an adopted receiver: only its decoder thread matters here
        pass

    adopted = Adopted()

    def in_thread(name: str) -> None:
        decoders[name] = passthrough._get_decoder(vp8)

    thread = threading.Thread(target=in_thread, args=("adopted",))
    adopted._RTCRtpReceiver__decoder_thread = thread  # type: ignore[attr-defined]
    with passthrough._adopted_lock:
        passthrough._adopted.add(adopted)  # type: ignore[arg-type]
    thread.start()
    thread.join()
    other = threading.Thread(target=in_thread, args=("other",))
    other.start()
    other.join()
    assert isinstance(decoders["adopted"], passthrough._PassThroughDecoder)
    assert type(decoders["other"]) is type(aiortc_get_decoder(vp8))  # a real VP8 decoder
    frame = decoders["adopted"].decode(JitterFrame(b"\x00\x01", 1234))
    assert isinstance(frame[0], passthrough.EncodedFrame) and frame[0].timestamp == 1234


async def test_frame_queue_is_bounded_and_marks_the_gap() -> None:
    queue = passthrough.FrameQueue(limit=3)
    for item in range(5):
        await queue.put(item)
    items = [queue.get_nowait() for _ in range(queue.qsize())]
    assert items == [passthrough.GAP, 3, 4] and queue.dropped == 3


async def test_a_receiver_adopted_after_it_started_passes_through_and_ends() -> None:
    # aiortc can start a receiver before its "track" event (a __connect task of an earlier
    # negotiation running while setRemoteDescription awaits): adoption must still work.
    from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription

    from media import ice
    from media.synthetic import ClipTrack, vp8_clip

    sender = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    sender.addTransceiver(ClipTrack(vp8_clip(320, 180, 30, 60, 300_000)), direction="sendonly")
    receiver_pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    options = ice.IceOptions(host_addresses=("127.0.0.1",))
    with ice.gathering(options):
        await sender.setLocalDescription(await sender.createOffer())
        await receiver_pc.setRemoteDescription(sender.localDescription)
        await receiver_pc.setLocalDescription(await receiver_pc.createAnswer())
    await sender.setRemoteDescription(RTCSessionDescription(
        sdp=receiver_pc.localDescription.sdp, type="answer"))
    receiver = receiver_pc.getTransceivers()[0].receiver
    await wait_for(lambda: passthrough.decoder_thread_alive(receiver), 5, "receiver started")
    track = passthrough.adopt_receiver(receiver, low_latency=True, queue_limit=15)
    frame = await asyncio.wait_for(track.recv(), 5)
    while not isinstance(frame, passthrough.EncodedFrame):  # frames decoded before adoption
        frame = await asyncio.wait_for(track.recv(), 5)
    await sender.close()
    await receiver_pc.close()
    assert not passthrough.decoder_thread_alive(receiver)
    with pytest.raises(MediaStreamError):
        while True:
            await asyncio.wait_for(track.recv(), 5)
