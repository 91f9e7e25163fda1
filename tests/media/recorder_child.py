"""Child process of test_media_recording's SIGKILL test: records a call until it is killed,
printing one JSON progress line per 100 ms."""

from __future__ import annotations

import asyncio
import json
import sys
import time

from media.local import LocalMediaControl
from media.settings import MediaSettings
from media.synthetic import ClipTrack, opus_clip, vp8_clip
from media.testing import ClientPeer

PROGRESS_INTERVAL_S = 0.1


async def main(directory: str) -> None:
    control = LocalMediaControl(MediaSettings(ice_host_addresses=("127.0.0.1",)))
    publisher = ClientPeer("publisher")
    publisher.publish("camera", ClipTrack(vp8_clip(320, 180, 30, 60, 300_000)))
    publisher.publish("microphone", ClipTrack(opus_clip()))
    await control.open_peer("cnv_k", "agt_1", "agent")
    await publisher.negotiate(control, "cnv_k", "agt_1")
    await control.start_recording("cnv_k", directory, int(time.time() * 1000))
    while True:
        info = await control.recording_info("cnv_k")
        files = info.files if info is not None else []
        print(json.dumps({
            "at": time.monotonic(),
            "files": {f.path: f.duration_ms for f in files},
        }), flush=True)
        await asyncio.sleep(PROGRESS_INTERVAL_S)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
