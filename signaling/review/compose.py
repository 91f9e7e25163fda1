"""The composed review video: every participant's camera and screen side by side, everyone's
audio mixed, on the conversation's clock — the only place Aisle decodes and encodes media. It
runs as a low-priority child process (`python -m signaling.review.compose`) that prints its
progress; the job runner (jobs.py) starts it and records the progress."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import orjson

FPS = 15
TILE_W, TILE_H = 640, 360
COLUMNS = 2
SAMPLE_RATE = 48_000
AUDIO_FRAME = 960  # 20 ms


@dataclass(frozen=True)
class Input:
    path: Path
    kind: str  # audio / video
    start_ms: int
    duration_ms: int


def plan(folder: Path, manifest: dict[str, Any]) -> list[Input]:
    inputs = []
    for entry in manifest.get("media", []):
        if not isinstance(entry, dict) or entry.get("state") == "failed":
            continue
        path = folder / str(entry["file"])
        if not path.is_file():
            continue
        for kind in entry.get("kinds", []):
            inputs.append(Input(path, str(kind), int(entry["start_offset_ms"]),
                                int(entry.get("duration_ms") or 0)))
    return inputs


def _video_frames(inp: Input) -> list[tuple[float, np.ndarray]]:
    """(seconds on the conversation clock, tile-sized RGB image) of one video file."""
    frames = []
    with av.open(str(inp.path)) as container:
        stream = container.streams.video[0]
        base = stream.time_base or Fraction(1, 1000)
        for frame in container.decode(stream):
            if frame.pts is None:
                continue
            at = inp.start_ms / 1000 + float(frame.pts * base)
            image = frame.reformat(width=TILE_W, height=TILE_H, format="rgb24").to_ndarray()
            frames.append((at, image))
    return frames


def _audio(inp: Input, total_samples: int) -> np.ndarray:
    track = np.zeros(total_samples, dtype=np.float32)
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    with av.open(str(inp.path)) as container:
        stream = container.streams.audio[0]
        base = stream.time_base or Fraction(1, SAMPLE_RATE)
        for frame in container.decode(stream):
            if frame.pts is None:
                continue
            start = int((inp.start_ms / 1000 + float(frame.pts * base)) * SAMPLE_RATE)
            for out in resampler.resample(frame):
                samples = out.to_ndarray().reshape(-1)
                end = min(total_samples, start + len(samples))
                if 0 <= start < end:
                    track[start:end] += samples[:end - start]
                start += len(samples)
    return track


def compose(folder: Path, manifest: dict[str, Any], output: Path,
            progress: object = None) -> None:
    inputs = plan(folder, manifest)
    videos = [i for i in inputs if i.kind == "video"]
    audios = [i for i in inputs if i.kind == "audio"]
    if not inputs:
        raise ValueError("this conversation has no recorded media")
    begin = min(i.start_ms for i in inputs) / 1000
    end = max(i.start_ms + max(i.duration_ms, 1) for i in inputs) / 1000
    total = max(end - begin, 1 / FPS)
    report = progress if callable(progress) else (lambda _fraction: None)

    tiles = [_video_frames(v) for v in videos]
    report(0.3)
    total_samples = int((end + 1) * SAMPLE_RATE)
    mix = np.zeros(total_samples, dtype=np.float32)
    for a in audios:
        mix += _audio(a, total_samples)
    peak = float(np.max(np.abs(mix))) if mix.size else 0.0
    if peak > 1.0:
        mix /= peak  # mixed voices may clip: scale down, never distort
    report(0.4)

    rows = max(1, -(-max(len(tiles), 1) // COLUMNS))
    width, height = TILE_W * min(COLUMNS, max(len(tiles), 1)), TILE_H * rows
    tmp = output.with_suffix(".part.webm")
    with av.open(str(tmp), "w", format="webm") as out:
        vstream = out.add_stream("libvpx", rate=FPS)
        vstream.width, vstream.height, vstream.pix_fmt = width, height, "yuv420p"
        vstream.bit_rate = 1_200_000
        vstream.options = {"deadline": "realtime", "cpu-used": "8"}
        astream = out.add_stream("libopus", rate=SAMPLE_RATE)
        astream.layout = "mono"
        cursors = [0] * len(tiles)
        count = int(total * FPS) + 1
        for index in range(count):
            at = begin + index / FPS
            canvas = np.zeros((height, width, 3), dtype=np.uint8)
            for n, frames in enumerate(tiles):
                while cursors[n] + 1 < len(frames) and frames[cursors[n] + 1][0] <= at:
                    cursors[n] += 1
                if frames and frames[cursors[n]][0] <= at <= frames[-1][0] + 1:
                    y, x = divmod(n, COLUMNS)
                    canvas[y * TILE_H:(y + 1) * TILE_H, x * TILE_W:(x + 1) * TILE_W] = \
                        frames[cursors[n]][1]
            frame = av.VideoFrame.from_ndarray(canvas, format="rgb24")
            frame.pts = index
            frame.time_base = Fraction(1, FPS)
            for packet in vstream.encode(frame):
                out.mux(packet)
            if index % FPS == 0:
                report(0.4 + 0.5 * index / count)
        for packet in vstream.encode():
            out.mux(packet)
        first = int(begin * SAMPLE_RATE)
        last = min(total_samples, int(end * SAMPLE_RATE))
        for pts, start in enumerate(range(first, last, AUDIO_FRAME)):
            chunk = mix[start:start + AUDIO_FRAME]
            if len(chunk) < AUDIO_FRAME:
                chunk = np.pad(chunk, (0, AUDIO_FRAME - len(chunk)))
            sound = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="flt",
                                               layout="mono")
            sound.sample_rate = SAMPLE_RATE
            sound.pts = pts * AUDIO_FRAME
            sound.time_base = Fraction(1, SAMPLE_RATE)
            for packet in astream.encode(sound):
                out.mux(packet)
        for packet in astream.encode():
            out.mux(packet)
    tmp.replace(output)
    report(1.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("output", type=Path)
    args = parser.parse_args(argv)
    os.nice(10)  # the only transcoding in Aisle: behind live traffic
    manifest = orjson.loads((args.folder / "manifest.json").read_bytes())

    def report(fraction: float) -> None:
        print(f"progress {fraction:.3f}", flush=True)

    try:
        compose(args.folder, manifest, args.output, report)
    except Exception as exc:  # reported to the job, which shows it to the reviewer
        print(f"error {type(exc).__name__}: {exc}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
