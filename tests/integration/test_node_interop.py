"""The official JavaScript `socket.io-client` (Node) plays the visitor through a whole
conversation against our server, with a python-socketio client as the agent: handshake auth and
Origin, acks, notifications, idempotent retries, resume after a reconnect, end and rating.
The Node side is a puppet (tests/node/visitor.mjs): it runs the commands we send and reports
every ack and event as JSON lines, so all the assertions live here."""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.integration.harness import Client, Server

PUPPET = Path(__file__).resolve().parents[1] / "node" / "visitor.mjs"
TIMEOUT = 5.0

Line = dict[str, Any]


class NodeVisitor:
    """The Node process, the lines it has written, and a way to wait for one."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.lines: list[Line] = []
        self.changed = asyncio.Condition()
        self._ids = itertools.count(1)
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def start(cls, server: Server) -> NodeVisitor:
        node = shutil.which("node")
        if node is None:
            pytest.fail("node is not installed (make deps)")
        proc = await asyncio.create_subprocess_exec(
            node, str(PUPPET), server.url, server.origin, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        return cls(proc)

    async def _read(self) -> None:
        assert self.proc.stdout is not None
        async for raw in self.proc.stdout:
            line = json.loads(raw)
            async with self.changed:
                self.lines.append(line)
                self.changed.notify_all()
        async with self.changed:  # EOF: wake waiters so they fail now, not at their timeout
            self.changed.notify_all()

    async def wait_line(self, match: Callable[[Line], bool], what: str) -> Line:
        def found() -> Line | None:
            fatal = next((x for x in self.lines if "fatal" in x), None)
            if fatal is not None:
                raise AssertionError(f"the Node visitor failed: {fatal['fatal']}")
            if self._reader.done():
                raise AssertionError(f"the Node visitor exited ({self.proc.returncode}) "
                                     f"waiting for {what}")
            return next((x for x in self.lines if match(x)), None)

        async with self.changed:
            try:
                await asyncio.wait_for(self.changed.wait_for(found), TIMEOUT)
            except TimeoutError:
                raise AssertionError(f"no {what} from Node within {TIMEOUT}s; got "
                                     f"{[x.get('event', x) for x in self.lines]}") from None
        line = found()
        assert line is not None
        return line

    async def command(self, cmd: str, **fields: Any) -> Line:
        assert self.proc.stdin is not None
        cid = next(self._ids)
        self.proc.stdin.write(json.dumps({"cmd": cmd, "id": cid, **fields}).encode() + b"\n")
        await self.proc.stdin.drain()
        return await self.wait_line(lambda x: x.get("id") == cid, f"reply to {cmd} #{cid}")

    async def ack(self, event: str, payload: Any) -> Any:
        return (await self.command("emit", event=event, payload=payload))["ack"]

    async def call(self, event: str, payload: Any) -> Any:
        ack = await self.ack(event, payload)
        assert ack["ok"], f"{event}: {ack}"
        return ack["data"]

    def events(self, name: str, where: Callable[[Any], bool] | None = None) -> list[Any]:
        return [x["data"] for x in self.lines
                if x.get("event") == name and (where is None or where(x["data"]))]

    async def wait_event(self, name: str, where: Callable[[Any], bool] | None = None) -> Any:
        line = await self.wait_line(
            lambda x: x.get("event") == name and (where is None or where(x["data"])),
            f"event {name!r}")
        return line["data"]

    def log_seqs(self) -> list[int]:
        """The seqs of the conversation-log events received live, in arrival order."""
        return [x["data"]["seq"] for x in self.lines
                if "event" in x and isinstance(x["data"], dict)
                and x["data"].get("type") == x["event"] and "seq" in x["data"]]

    async def close(self) -> str:
        if self.proc.returncode is None and self.proc.stdin is not None:
            self.proc.stdin.close()
            try:
                await asyncio.wait_for(self.proc.wait(), TIMEOUT)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        await self._reader
        assert self.proc.stderr is not None
        return (await self.proc.stderr.read()).decode(errors="replace")


@pytest.fixture
async def node(server: Server) -> AsyncIterator[NodeVisitor]:
    visitor = await NodeVisitor.start(server)
    yield visitor
    stderr = await visitor.close()
    assert visitor.proc.returncode == 0, stderr


async def test_node_visitor_whole_conversation(server: Server, node: NodeVisitor) -> None:
    agent = await server.add_agent(teams=("support",))
    console: Client = await server.agent_client(agent)

    # A widget session over HTTP, cross-origin, then the handshake with its token.
    session = await node.command("session", body={"site_key": "demo"})
    assert session["status"] == 200, session
    assert session["cors"] == server.origin
    token = session["body"]["token"]
    refused = await node.command("connect", token="not-a-token")
    # Refused at the handshake, with the error's code in the CONNECT_ERROR packet's data.
    assert refused["connect_error"]["data"]["code"] == "unauthorized"
    assert "sid" in await node.command("connect", token=token)

    started = await node.call("start_conversation", {
        "topic": "order", "client_id": "n-start", "message": "Hi from Node"})
    cid = started["id"]
    assert started["status"] in ("queued", "offered")

    offer = await console.wait_for("offer_received",
                                   lambda e: e["conversation"]["id"] == cid)
    assert offer["summary"]["last_message"] == "Hi from Node"
    accepted = await console.call("accept_offer", {"conversation_id": cid})
    assert accepted["status"] == "active"
    joined = await node.wait_event("agent_joined", lambda e: e["conversation_id"] == cid)
    assert joined["data"]["agent"]["display_name"] == agent.login.title()
    updated = await node.wait_event("conversation_updated",
                                    lambda e: e["conversation"]["status"] == "active")
    assert updated["conversation"]["agent"]["display_name"] == agent.login.title()
    # While it waited, the visitor was told where it stood and that it was being offered.
    queued = await node.wait_event("queue_updated", lambda e: e["conversation_id"] == cid)
    assert queued["queue"]["position"] == 1
    await node.wait_event("conversation_updated",
                          lambda e: e["conversation"]["status"] == "offered")

    # Typing both ways (ephemeral: not in the log).
    await console.call("typing", {"conversation_id": cid, "typing": True})
    typing = await node.wait_event("typing_changed")
    assert typing == {"conversation_id": cid, "side": "agent", "typing": True,
                      "name": agent.login.title(), "agent_id": agent.id}
    await node.call("typing", {"conversation_id": cid, "typing": True})
    await console.wait_for("typing_changed", lambda e: e["side"] == "visitor" and e["typing"])

    # Agent → visitor.
    hello = await console.call("send_message", {"conversation_id": cid, "client_id": "a-1",
                                                "text": "Hello, how can I help?"})
    got = await node.wait_event("message_created", lambda e: e["seq"] == hello["seq"])
    assert got["actor"]["kind"] == "agent"
    assert got["data"] == {"client_id": "a-1", "text": "Hello, how can I help?"}

    # Visitor → agent, then the same request again: stored once, acked with the same seq.
    question = {"conversation_id": cid, "client_id": "n-2", "text": "Parcel 42 is late"}
    first = await node.call("send_message", question)
    retry = await node.call("send_message", question)
    assert retry == first
    after = await node.call("send_message", {"conversation_id": cid, "client_id": "n-3",
                                             "text": "It was due Monday"})
    assert after["seq"] == first["seq"] + 1
    # One conversation's events go out in seq order: once n-3 has arrived, a duplicate of
    # n-2 would have too.
    await console.wait_for("message_created", lambda e: e["seq"] == after["seq"])
    await node.wait_event("message_created", lambda e: e["seq"] == after["seq"])
    assert [e["seq"] for e in console.events(
        "message_created", lambda e: e["data"]["client_id"] == "n-2")] == [first["seq"]]
    assert [e["seq"] for e in node.events(
        "message_created", lambda e: e["data"]["client_id"] == "n-2")] == [first["seq"]]

    # The connection drops; the agent writes meanwhile; the visitor comes back and resumes.
    last_seen = max(node.log_seqs())
    assert (await node.command("disconnect"))["disconnected"] == "io client disconnect"
    await console.wait_for("presence_changed", lambda e: not e["online"])
    missed = [(await console.call("send_message", {"conversation_id": cid,
                                                   "client_id": f"a-missed-{i}",
                                                   "text": f"Missed {i}"}))["seq"]
              for i in range(2)]
    assert "sid" in await node.command("connect", token=token)
    await console.wait_for("presence_changed", lambda e: e["online"])
    resumed = await node.call("resume", {"conversation_id": cid, "after_seq": last_seen})
    assert resumed["conversation"]["status"] == "active"
    assert [e["seq"] for e in resumed["events"]] == missed
    assert [e["data"]["text"] for e in resumed["events"]] == ["Missed 0", "Missed 1"]
    assert not set(missed) & set(node.log_seqs()), "missed events must not arrive live too"

    # Live delivery goes on after the resume.
    later = await console.call("send_message", {"conversation_id": cid, "client_id": "a-later",
                                                "text": "Found it: out for delivery"})
    await node.wait_event("message_created", lambda e: e["seq"] == later["seq"])

    # The agent ends; the visitor sees it and rates, once.
    await console.call("end_conversation", {"conversation_id": cid})
    ended = await node.wait_event("conversation_ended")
    assert ended["data"]["reason"] == "agent_ended"
    await node.wait_event("conversation_updated",
                          lambda e: e["conversation"]["status"] == "ended")
    await node.call("rate_conversation", {"conversation_id": cid, "rating": 5,
                                          "comment": "Quick and helpful"})
    again = await node.ack("rate_conversation", {"conversation_id": cid, "rating": 1})
    assert again["ok"] is False and again["error"]["code"] == "conflict"
    stored = await server.aisle.store.conversations.get(cid)
    assert stored is not None and stored.rating == 5

    # Live events plus the resumed ones are exactly the visitor's log from the moment it was
    # in the conversation's room: nothing lost, nothing doubled.
    have = sorted(node.log_seqs() + missed)
    log = await server.aisle.store.conversations.events_after(cid, 0, agent_view=False)
    assert have == [e.seq for e in log if e.seq >= have[0]]
