"""Background jobs: the composed review video, made by a low-priority child process
(compose.py), one at a time so that live calls keep the CPU, its progress recorded as it
reports it. A job the server was running when it stopped is marked failed at the next start."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys

from ..errors import Conflict, NotFound, RateLimited
from ..protocol import review as rv
from ..store import Store
from ..store.agents import AgentRecord
from .service import Review

log = logging.getLogger(__name__)

COMPOSED = "composed.webm"
# Jobs queued or running at once (each is a child process transcoding a whole conversation).
MAX_UNFINISHED = 20


class Jobs:
    def __init__(self, store: Store, review: Review) -> None:
        self._store = store
        self._review = review
        self._one_at_a_time = asyncio.Semaphore(1)
        self._creating = asyncio.Lock()
        # Running jobs, held so shutdown can stop them and their child processes.
        self._tasks: set[asyncio.Task[None]] = set()

    async def compose(self, agent: AgentRecord, conversation_id: str) -> rv.Job:
        conv = await self._review.reviewable(agent, conversation_id)
        built = await self._review.manifest(conv)
        if not built.media:
            raise Conflict("there is no call in this conversation: no video to compose")
        async with self._creating:
            unfinished = await self._store.review.unfinished_jobs()
            for row in unfinished:  # asked again while it is under way: the same job
                if row["kind"] == "compose" and row["conversation_id"] == conv.id:
                    return await self.get(agent, row["id"])
            if len(unfinished) >= MAX_UNFINISHED:
                raise RateLimited(f"{len(unfinished)} videos are being composed: "
                                  "try again later")
            await self._review.write_manifest(conv.id, built)
            job_id = await self._store.review.create_job("compose", conv.id, agent.id)
        task = asyncio.create_task(self._run(job_id, conv.id), name=f"job {job_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return await self.get(agent, job_id)

    async def get(self, agent: AgentRecord, job_id: str) -> rv.Job:
        row = await self._store.review.job(job_id)
        if row is None:
            raise NotFound("no such job")
        await self._review.reviewable(agent, row["conversation_id"])
        url = None
        if row["state"] == "done" and row["output"]:
            token = self._review.media_token(row["conversation_id"], agent)
            url = f"/api/v1/recordings/{row['conversation_id']}/files/{row['output']}?t={token}"
        return rv.Job(id=row["id"], kind=row["kind"], conversation_id=row["conversation_id"],
                      state=row["state"], progress=row["progress"], error=row["error"], url=url)

    async def _run(self, job_id: str, conversation_id: str) -> None:
        async with self._one_at_a_time:
            await self._store.review.update_job(job_id, state="running")
            folder = self._review.folder(conversation_id)
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "signaling.review.compose", str(folder),
                str(folder / COMPOSED), stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL)
            error = None
            try:
                last = 0.0
                if process.stdout is None:  # created with a pipe: cannot happen
                    raise RuntimeError("the composer's output is not readable")
                async for raw in process.stdout:
                    line = raw.decode(errors="replace").strip()
                    if line.startswith("progress "):
                        fraction = float(line.split()[1])
                        if fraction - last >= 0.05 or fraction >= 1.0:
                            last = fraction
                            await self._store.review.update_job(job_id, progress=fraction)
                    elif line.startswith("error "):
                        error = line.removeprefix("error ")[:500]
                code = await process.wait()
            except asyncio.CancelledError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
                await self._store.review.update_job(job_id, state="failed",
                                                    error="the server stopped")
                raise
            if code == 0:
                await self._store.review.update_job(job_id, state="done", progress=1.0,
                                                    output=COMPOSED)
            else:
                await self._store.review.update_job(
                    job_id, state="failed", error=error or f"the composer exited with {code}")
                log.warning("compose job %s failed: %s", job_id, error)

    async def recover(self) -> None:
        for row in await self._store.review.unfinished_jobs():
            await self._store.review.update_job(row["id"], state="failed",
                                                error="the server restarted")

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
