"""Agents' time signed in, through the real server: each change of an agent's state (a console
connecting, a status chosen, the last console going) closes one stretch and opens the next,
with no gap between them; a shutdown closes them, a crash leaves them to be closed at the next
start where the server was last known alive; and the report reads them as occupancy."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from signaling.ids import now_ms
from signaling.live import MemoryLiveState
from signaling.store import Store
from signaling.store.availability import Stretch
from signaling.time_log import AgentTimeLog
from signaling.timers import Timers
from tests.integration.flows import send, start
from tests.integration.harness import Server, start_server, until
from tests.integration.test_review import api

FAR = 2**53


async def stretches(server: Server, agent_id: str) -> list[Stretch]:
    return [s for s in await server.aisle.store.availability.overlapping(0, FAR)
            if s.agent_id == agent_id]


async def test_online_away_busy_and_signed_out(server: Server) -> None:
    alex = await server.add_agent("alex", teams=("support",))
    time_log = server.aisle.time_log
    console = await server.agent_client(alex)
    await until(lambda: time_log.state_of(alex.id) == "online", what="alex online")
    # A second console (another tab) changes nothing.
    second = await server.agent_client(alex)
    widget, _ = await server.visitor()
    conv = await start(widget)
    await console.wait_for("offer_received", lambda d: d["conversation"]["id"] == conv["id"])
    await console.call("accept_offer", {"conversation_id": conv["id"]})
    await send(console, conv["id"], "Hello, I can help.")
    # Away while finishing the chat: busy all the same.
    await console.call("set_status", {"status": "away"})
    await console.call("end_conversation", {"conversation_id": conv["id"]})
    await console.call("set_status", {"status": "online"})
    await second.close()
    await console.close()
    await until(lambda: time_log.state_of(alex.id) is None, what="alex signed out")

    rows = await stretches(server, alex.id)
    assert [s.state for s in rows] == ["online", "away", "online"]
    assert all(s.ended_at is not None for s in rows)
    # One after another, without a gap or an overlap.
    assert [s.started_at for s in rows[1:]] == [s.ended_at for s in rows[:-1]]

    boss = await server.add_agent("boss", role="supervisor", teams=())
    report = await api(server, boss, "GET", "/api/v1/reports")
    (row,) = [a for a in report["agents"] if a["agent_id"] == alex.id]
    t = row["time"]
    signed_in_ms = sum(s.ended_at - s.started_at for s in rows if s.ended_at)
    assert round((t["online_s"] + t["away_s"]) * 1000) == signed_in_ms  # all of it this week
    assert round(t["away_s"] * 1000) == (rows[1].ended_at or 0) - rows[1].started_at
    signed_in = signed_in_ms / 1000
    assert 0 < t["busy_s"] <= signed_in and t["chats_at_once"] == 1.0
    assert t["occupancy"] == round(t["busy_s"] / (t["busy_s"] + t["idle_s"]), 3)
    assert 0 < t["idle_s"] <= t["online_s"]
    assert report["time"] == t  # the only agent of any team signed in
    # The supervisor's own time (no team) is no agent's figure; billing's agents had none.
    assert boss.id not in {a["agent_id"] for a in report["agents"]}
    billing = await api(server, boss, "GET", "/api/v1/reports?team=billing")
    assert billing["time"] == {"online_s": 0.0, "away_s": 0.0, "busy_s": 0.0,
                               "idle_s": 0.0, "occupancy": None, "chats_at_once": None}


async def test_a_signed_in_agent_without_chats_has_a_row_and_no_occupancy_away(
        server: Server) -> None:
    bea = await server.add_agent("bea", teams=("sales",), status="away")
    console = await server.agent_client(bea)
    await until(lambda: server.aisle.time_log.state_of(bea.id) == "away", what="bea away")
    boss = await server.add_agent("boss", role="supervisor", teams=())
    report = await api(server, boss, "GET", "/api/v1/reports?team=sales")
    (row,) = report["agents"]
    assert row["name"] == "Bea" and row["answered"] == 0
    assert row["time"]["online_s"] == 0  # (the row is there: Bea was signed in, away)
    assert row["time"]["occupancy"] is None  # a break is neither busy nor idle
    await console.close()


async def test_shutdown_closes_and_a_crash_is_closed_where_last_known_alive(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    server = await start_server(data)
    alex = await server.add_agent("alex", teams=("support",))
    await server.agent_client(alex)
    await until(lambda: server.aisle.time_log.state_of(alex.id) == "online")
    await server.close()  # a shutdown: the stretch ends now
    with sqlite3.connect(data / "aisle.db") as db:
        ((ended,),) = db.execute("SELECT ended_at FROM agent_availability").fetchall()
        assert ended is not None
        # A run that was killed: its stretch was last checked at `alive`.
        alive = now_ms() - 3_600_000
        db.execute("INSERT INTO agent_availability (agent_id, state, started_at, ended_at, "
                   "checked_at) VALUES (?, 'online', ?, NULL, ?)",
                   (alex.id, alive - 60_000, alive))
    server = await start_server(data)
    try:
        rows = await stretches(server, alex.id)
        assert (alive - 60_000, alive) in [(s.started_at, s.ended_at) for s in rows]
        assert all(s.ended_at is not None for s in rows)
    finally:
        await server.close()


async def test_open_stretches_are_checked_while_the_server_lives(tmp_path: Path) -> None:
    store = await Store.open(f"sqlite+aiosqlite:///{tmp_path / 'aisle.db'}")
    timers = Timers()
    live = MemoryLiveState()
    log = AgentTimeLog(store, live, timers, check_s=0.05)

    async def checked() -> int:
        async with store.read() as conn:
            return int((await conn.exec_driver_sql(
                "SELECT checked_at FROM agent_availability WHERE ended_at IS NULL")).scalar_one())

    try:
        await log.recover()
        await live.agent_connected("a1", "sid1")
        await live.set_agent_status("a1", "online", now_ms())
        await log.changed("a1")
        (first,) = await store.availability.overlapping(0, FAR)
        assert (first.state, first.ended_at) == ("online", None)
        deadline = asyncio.get_running_loop().time() + 10
        while await checked() <= first.started_at:  # the timer moves it on (every 50 ms)
            assert asyncio.get_running_loop().time() < deadline, "checked_at never moved"
            await asyncio.sleep(0.02)
        # Signing off while still connected (chats to finish): time taking no chats, as away.
        await live.set_agent_status("a1", "offline", now_ms())
        await log.changed("a1")
        assert log.state_of("a1") == "away"
        await live.agent_disconnected("a1", "sid1", now_ms())
        await log.changed("a1")
        assert log.state_of("a1") is None
        rows = await store.availability.overlapping(0, FAR)
        assert [r.state for r in rows] == ["online", "away"]
        assert all(r.ended_at is not None for r in rows)
    finally:
        await log.close()
        await timers.close()
        await store.close()
