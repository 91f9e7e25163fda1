"""Recording benchmark: CPU per recorded 720p VP8 + Opus stream when remuxing the forwarded
packets (`media.recorder`, WebM, writer thread per file), against aiortc's `MediaRecorder`
(decode, then re-encode to WebM on the event loop) recording the same streams, in one run.

A recorder process receives K pre-encoded streams over loopback from a publisher process; its
CPU is read from /proc. The cost of recording is its CPU minus that of the same process only
receiving the streams (measured in the same run), per stream, scaled to a full-rate stream when
the recorder could not keep up (frames written / frames sent).

    python -m bench.recording [--quick]      # the last line printed is one JSON object
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.media import FPS, MACHINE, VIDEO, CpuSampler, Rpc, serve_rpc

REMUX_STREAMS = 4  # remuxing is cheap: several streams make its cost measurable
TRANSCODE_STREAMS = 1  # one is already more than a core


class TranscodingRecorder:
    """aiortc's usual recording: decoded tracks into `MediaRecorder` (one WebM per track)."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._pcs: dict[str, Any] = {}
        self._tracks: dict[str, list[Any]] = {}
        self._recorders: list[Any] = []

    async def open_peer(self, call_id: str, peer_id: str, role: str) -> dict[str, Any]:
        from aiortc import RTCBundlePolicy, RTCConfiguration, RTCPeerConnection

        pc = RTCPeerConnection(RTCConfiguration(iceServers=[],
                                                bundlePolicy=RTCBundlePolicy.MAX_BUNDLE))
        self._tracks[peer_id] = []
        pc.on("track", self._tracks[peer_id].append)
        self._pcs[peer_id] = pc
        return {}

    async def apply_offer(self, call_id: str, peer_id: str, sdp: str) -> dict[str, Any]:
        from aiortc import RTCSessionDescription

        from media import ice
        from media.sdp import parse_offer

        pc = self._pcs[peer_id]
        parsed = parse_offer(sdp, 64 * 1024, 24, allow_loopback=True)  # the bench is on loopback
        await pc.setRemoteDescription(RTCSessionDescription(sdp=parsed.sdp, type="offer"))
        for transceiver in pc.getTransceivers():
            transceiver.direction = "recvonly"
        answer = await pc.createAnswer()
        with ice.gathering(ice.IceOptions(host_addresses=("127.0.0.1",))):
            await pc.setLocalDescription(answer)
        return {"sdp": pc.localDescription.sdp, "receive": []}

    async def start_recording(self) -> None:
        from aiortc.contrib.media import MediaRecorder

        # One file per track, as our remux writes: with audio and video in one file,
        # MediaRecorder writes the header on the first audio packet, before the video size is
        # known, and its video task then fails (aiortc #1203 family).
        for peer_id, tracks in self._tracks.items():
            for track in tracks:
                recorder = MediaRecorder(str(self._directory / f"{peer_id}-{track.kind}.webm"))
                recorder.addTrack(track)
                await recorder.start()
                self._recorders.append(recorder)

    async def stop_recording(self) -> None:
        for recorder in self._recorders:
            await recorder.stop()

    async def close(self) -> None:
        for pc in self._pcs.values():
            await pc.close()


async def serve(mode: str) -> None:
    from aiohttp import web

    from media.control import Offer, TrackSource
    from media.local import LocalMediaControl
    from media.settings import MediaSettings

    directory = Path(tempfile.mkdtemp(prefix=f"aisle-bench-{mode}-"))
    control: Any
    if mode == "transcode":
        control = TranscodingRecorder(directory)
    else:
        control = LocalMediaControl(MediaSettings(ice_host_addresses=("127.0.0.1",)))
    started = 0.0

    async def rpc(request: web.Request) -> web.Response:
        nonlocal started
        body = await request.json()
        method, params = body["method"], body["params"]
        data: Any = {}
        if method == "open_peer":
            await control.open_peer("rec", params["peer_id"], "agent")
        elif method == "apply_offer" and mode == "transcode":
            data = await control.apply_offer("rec", params["peer_id"], params["sdp"])
        elif method == "apply_offer":
            offer = Offer(sdp=params["sdp"], sources=[TrackSource(mid=m, source=s)
                                                      for m, s in params["sources"]])
            data = asdict(await control.apply_offer("rec", params["peer_id"], offer))
        elif method == "start_recording":
            started = time.monotonic()
            if mode == "transcode":
                await control.start_recording()
            elif mode == "remux":
                await control.start_recording("rec", str(directory), int(time.time() * 1000))
        elif method == "stop_recording":
            elapsed = time.monotonic() - started
            if mode == "transcode":
                await control.stop_recording()
            elif mode == "remux":
                await control.stop_recording("rec")
            frames = await asyncio.to_thread(_video_frames, directory)
            data = {"video_frames": frames, "elapsed": elapsed}
        return web.json_response({"ok": True, "data": data})

    await serve_rpc(rpc)
    await control.close()
    await asyncio.to_thread(shutil.rmtree, directory)


def _video_frames(directory: Path) -> int:
    import av

    frames = 0
    for path in directory.glob("*.webm"):
        with av.open(str(path)) as container:
            if container.streams.video:
                frames += sum(1 for p in container.demux(container.streams.video[0])
                              if p.pts is not None)
    return frames


async def publish(spec: dict[str, Any]) -> dict[str, Any]:
    from media.control import Answer
    from media.synthetic import ClipTrack, opus_clip, vp8_clip
    from media.testing import ClientPeer

    width, height, bitrate = VIDEO
    video, audio = vp8_clip(width, height, FPS, 60, bitrate), opus_clip()
    rpc = Rpc(spec["server"])
    clients = []
    for index in range(spec["streams"]):
        client = ClientPeer(f"pub{index}")
        client.publish("microphone", ClipTrack(audio))
        client.publish("camera", ClipTrack(video))
        await rpc.call("open_peer", peer_id=f"pub{index}")
        offer = await client.offer()
        data = await rpc.call("apply_offer", peer_id=f"pub{index}", sdp=offer.sdp,
                              sources=[[s.mid, s.source] for s in offer.sources])
        await client.accept(Answer(sdp=data["sdp"]))
        clients.append(client)
    await asyncio.sleep(spec["warmup"])  # connected and streaming
    await rpc.call("start_recording")
    await asyncio.sleep(spec["warmup"])
    t0 = time.monotonic()
    await asyncio.sleep(spec["window"])
    t1 = time.monotonic()
    result = await rpc.call("stop_recording")
    for client in clients:
        await client.close()
    await rpc.close()
    return {"t0": t0, "t1": t1, **result}


async def _spawn(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.recording", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)


async def scenario(mode: str, streams: int, warmup: float, window: float) -> dict[str, Any]:
    server = await _spawn("--serve", mode)
    assert server.stdout is not None
    line = (await asyncio.wait_for(server.stdout.readline(), 30)).decode()
    url = f"http://127.0.0.1:{line.split()[1]}/rpc"
    publisher = await _spawn("--publish", json.dumps({"server": url, "streams": streams,
                                                      "warmup": warmup, "window": window}))
    sampler = CpuSampler()
    sampler.start([MACHINE, server.pid, publisher.pid])
    try:
        out, _ = await publisher.communicate()
        await sampler.stop()
        lines = out.decode().strip().splitlines()
        if publisher.returncode != 0 or not lines:
            # Its stderr is not kept (the runs would drown the table): say which one and how.
            raise SystemExit(f"{mode}, {streams} streams: the publishing process failed "
                             f"(exit {publisher.returncode}); run `python -m bench.recording "
                             f"--serve {mode}` and a publisher by hand to see why")
        result = json.loads(lines[-1])
    finally:
        server.send_signal(signal.SIGTERM)  # never left behind, whatever happened
        try:
            await asyncio.wait_for(server.wait(), 20)
        except TimeoutError:
            server.kill()
            await server.wait()
    cores = sampler.cores(server.pid, result["t0"], result["t1"])
    others = (sampler.cores(MACHINE, result["t0"], result["t1"]) - cores
              - sampler.cores(publisher.pid, result["t0"], result["t1"]))
    expected = streams * FPS * result["elapsed"]
    share = min(1.0, result["video_frames"] / expected) if mode != "receive" else 1.0
    return {"mode": mode, "streams": streams, "cores": cores, "share": share,
            "other_cores": max(0.0, others)}


async def orchestrate(quick: bool) -> dict[str, Any]:
    warmup, window = (1.5, 4.0) if quick else (2.0, 10.0)
    plan = [("receive", TRANSCODE_STREAMS), ("receive", REMUX_STREAMS),
            ("remux", REMUX_STREAMS), ("transcode", TRANSCODE_STREAMS)]
    if not quick:
        plan += plan  # interleaved repeat: the box is noisy
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    print("cores: the recorder process; written: frames written / frames sent; "
          "other: cores used by other processes meanwhile", flush=True)
    print(f"{'mode':<11}{'streams':>8}{'cores':>8}{'written':>9}{'other':>7}", flush=True)
    rows = []
    for mode, streams in plan:
        row = await scenario(mode, streams, warmup, window)
        rows.append(row)
        print(f"{mode:<11}{streams:>8}{row['cores']:>8.3f}{row['share']:>9.2f}"
              f"{row['other_cores']:>7.2f}", flush=True)

    def cores(mode: str, streams: int) -> float:
        return statistics.fmean(r["cores"] for r in rows
                                if r["mode"] == mode and r["streams"] == streams)

    def share(mode: str) -> float:
        return statistics.fmean(r["share"] for r in rows if r["mode"] == mode)

    remux = (cores("remux", REMUX_STREAMS) - cores("receive", REMUX_STREAMS)) / REMUX_STREAMS
    remux /= share("remux")
    transcode = (cores("transcode", TRANSCODE_STREAMS)
                 - cores("receive", TRANSCODE_STREAMS)) / TRANSCODE_STREAMS
    transcode /= share("transcode")
    print(f"per recorded A/V stream: remux {remux:.4f} cores, MediaRecorder {transcode:.3f} "
          f"cores (written share {share('transcode'):.2f}: scaled to a full-rate stream)")
    return {
        "cpu_per_stream_remux": round(remux, 4),
        "cpu_per_stream_transcode": round(transcode, 4),
        "remux_vs_transcode": round(remux / transcode, 4) if transcode else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--quick", action="store_true", help="short run")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--publish", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve))
    elif args.publish:
        print(json.dumps(asyncio.run(publish(json.loads(args.publish)))), flush=True)
    else:
        print(json.dumps(asyncio.run(orchestrate(args.quick))), flush=True)


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
