"""Signaling throughput and latency: 50 Node `socket.io-client` connections in closed loop
(emit with ack, wait, emit again) against Aisle's chat path (`send_message`, persisted and fanned
out to the agent), against the bare `echo` of Aisle's /bench namespace, and against a reference
Node socket.io 4.8 server's echo, interleaved in one run. Two more rows send the chat path's
frames with none of its work (`send_message` on /bench: numbered in memory, `message_created`
to the sender and an agent socket, then the ack), on Aisle and on the Node server: what any
server reaches with this load generator, the ceiling of `chat_vs_echo`.

Run from the repository root: `python -m bench.signaling [--quick]`. Its last line is one JSON
object (key names from the "Signaling core" issue); it never asserts a speed."""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
NODE_DIR = ROOT / "bench" / "node"
CLIENTS = 50
# The server side gets CPU 0, the load generator CPU 1 (when there are two and taskset exists).
SERVER_CPU, LOAD_CPU = "0", "1"
# Closed-loop chat clients send far above the per-socket event limit (20/s, burst 50): lifted
# for this run only, and said so in the output. /bench is not rate-limited.
RATE_LIMIT_ENV = {"AISLE_EVENTS_PER_SECOND": "1000000", "AISLE_EVENTS_BURST": "1000000"}
BENCH_AGENT, BENCH_PASSWORD, BENCH_SITE = "bench-agent", "bench-password", "bench"
STARTUP_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Target:
    key: str  # prefix of the JSON keys
    label: str
    group: str  # the load generator's group of connections


TARGETS = (
    Target("chat", "chat: send_message (Aisle)", "chat"),
    Target("relay", "relay (Aisle /bench)", "relay"),
    Target("node_relay", "relay (Node socket.io 4.8)", "node_relay"),
    Target("echo", "echo (Aisle /bench)", "echo"),
    Target("node_echo", "echo (Node socket.io 4.8)", "node_echo"),
)
# Served by the Node reference server; the others by `aisle serve`.
NODE_TARGETS = frozenset({"node_echo", "node_relay"})
# Groups whose agent socket counts the visitors' messages it receives.
FAN_OUT = ("chat", "relay", "node_relay")


@dataclass
class Figures:
    """One target's runs, pooled."""

    acks: int = 0
    seconds: float = 0.0
    hist: Counter[int] = field(default_factory=Counter)
    errors: int = 0
    first_error: Any = None
    stalled: int = 0
    dropped: list[str] = field(default_factory=list)
    delivered: int = 0
    delivery_hist: Counter[int] = field(default_factory=Counter)
    server_cpu_s: float = 0.0
    server_wall_s: float = 0.0
    load_cpu: list[float] = field(default_factory=list)
    per_round: list[float] = field(default_factory=list)

    def add(self, run: dict[str, Any], server_cpu_s: float, server_wall_s: float) -> None:
        self.acks += run["acks"]
        self.seconds += run["seconds"]
        self.hist.update({int(k): v for k, v in run["hist"].items()})
        self.errors += run["errors"]
        self.first_error = self.first_error or run["first_error"]
        self.stalled += run["stalled"]
        self.dropped += run["dropped"]
        self.delivered += run["delivered"] or 0
        self.delivery_hist.update({int(k): v for k, v in run["delivery_hist"].items()})
        self.server_cpu_s += server_cpu_s
        self.server_wall_s += server_wall_s
        self.load_cpu.append(run["cpu"])
        self.per_round.append(run["acks"] / run["seconds"])

    @property
    def rate(self) -> float:
        return self.acks / self.seconds if self.seconds else 0.0

    @property
    def server_cores(self) -> float:
        return self.server_cpu_s / self.server_wall_s if self.server_wall_s else 0.0

    @property
    def cpu_us_per_ack(self) -> float:
        return self.server_cpu_s / self.acks * 1e6 if self.acks else 0.0


def percentile_ms(hist: Counter[int], q: float) -> float:
    """From 10 µs buckets (keyed by their lower bound in µs); the bucket's middle, in ms."""
    total = sum(hist.values())
    if not total:
        return float("nan")
    seen = 0
    for bucket in sorted(hist):
        seen += hist[bucket]
        if seen >= q * total:
            return (bucket + 5) / 1000
    raise AssertionError("unreachable")


def ratio(a: float, b: float, digits: int = 3) -> float | None:
    """a/b, or None when either side was not measured."""
    ok = a and b and math.isfinite(a) and math.isfinite(b)
    return round(a / b, digits) if ok else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def process_cpu_s(pid: int) -> float:
    """User + system CPU of a process and all its threads so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def prepare_data(data_dir: Path) -> None:
    """A site whose own origin may open widget sessions, and one agent who can take all 50
    conversations at once."""
    from signaling.auth import hash_password
    from signaling.store import Store

    store = await Store.open(f"sqlite+aiosqlite:///{data_dir / 'aisle.db'}")
    try:
        await store.agents.create_team("support")
        await store.sites.create(key=BENCH_SITE, name="Bench store", allowed_origins=["self"],
                                 settings={"topics": [{"id": "order", "label": "Order",
                                                       "team": "support"}]})
        await store.agents.create(login=BENCH_AGENT, password_hash=hash_password(BENCH_PASSWORD),
                                  display_name="Bench agent", role="agent",
                                  max_concurrent=10 * CLIENTS, teams_=["support"])
    finally:
        await store.close()


class NodeProcess:
    """A Node script that takes JSON commands on stdin and answers with JSON lines."""

    def __init__(self, args: list[str], stderr: IO[bytes]) -> None:
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=stderr, cwd=ROOT)

    def read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"{self.proc.args!r} exited ({self.proc.wait()})")
        reply: dict[str, Any] = json.loads(line)
        if "error" in reply:
            raise SystemExit(f"load generator: {reply['error']}")
        return reply

    def send(self, **cmd: Any) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(cmd).encode() + b"\n")
        self.proc.stdin.flush()

    def ask(self, **cmd: Any) -> dict[str, Any]:
        self.send(**cmd)
        return self.read()

    def close(self) -> None:
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            self.proc.stdin.close()  # both scripts exit when stdin closes
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def start_aisle(data_dir: Path, port: int, pin: list[str], log: IO[bytes]) -> subprocess.Popen[
        bytes]:
    aisle = Path(sys.executable).with_name("aisle")
    command = [str(aisle)] if aisle.exists() else [sys.executable, "-m", "signaling.cli"]
    env = {**os.environ, "AISLE_BENCH_ECHO": "1", **RATE_LIMIT_ENV}
    proc = subprocess.Popen([*pin, *command, "serve", "--data-dir", str(data_dir), "--port",
                             str(port), "--no-demo"], env=env, stdout=log, stderr=log, cwd=ROOT)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"aisle serve exited ({proc.returncode}); see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.1)  # polling a process that is still starting up
    proc.kill()
    raise SystemExit(f"aisle serve did not answer /healthz within {STARTUP_TIMEOUT_S}s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def measure(load: NodeProcess, target: Target, server_pid: int, warmup: float,
            seconds: float) -> tuple[dict[str, Any], float, float]:
    """One closed-loop run; the server's CPU over the measured window (after the warm-up)."""
    load.send(cmd="run", group=target.group, warmup=warmup, seconds=seconds)
    time.sleep(warmup)  # the generator warms up for exactly this long before it records
    cpu0, t0 = process_cpu_s(server_pid), time.monotonic()
    run = load.read()
    return run, process_cpu_s(server_pid) - cpu0, time.monotonic() - t0


def fmt_rate(x: float) -> str:
    return f"{x / 1000:.1f}k"


def paired(a: Figures, b: Figures) -> list[float]:
    """a/b round by round: each pair ran seconds apart, so slow drifts in the machine's load
    cancel out better than in the pooled ratio."""
    return [x / y for x, y in zip(a.per_round, b.per_round, strict=False) if y]


def report(figures: dict[str, Figures], header: list[str]) -> dict[str, Any]:
    for line in header:
        print(line)
    print()
    print(f"{'target':28} {'acks/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'server CPU':>11} "
          f"{'µs CPU/ack':>10} {'generator':>10}  per round")
    ran = {key: f for key, f in figures.items() if f.per_round}
    for t in TARGETS:
        if t.key not in ran:
            continue
        f = ran[t.key]
        print(f"{t.label:28} {f.rate:8,.0f} {percentile_ms(f.hist, 0.5):7.2f} "
              f"{percentile_ms(f.hist, 0.99):7.2f} {f.server_cores:6.2f} core "
              f"{f.cpu_us_per_ack:10.0f} "
              f"{max(f.load_cpu):5.2f} core  {' '.join(fmt_rate(r) for r in f.per_round)}")
    chat, echo, node = figures["chat"], figures["echo"], figures["node_echo"]
    relay, node_relay = figures["relay"], figures["node_relay"]
    print()
    for key in FAN_OUT:
        f = figures[key]
        if f.per_round:
            print(f"{key} fan-out: the agent received {f.delivered:,} of {f.acks:,} acked "
                  f"visitor messages; send → agent p50 {percentile_ms(f.delivery_hist, 0.5):.2f}"
                  f" ms, p99 {percentile_ms(f.delivery_hist, 0.99):.2f} ms")
    for name, (a, b) in {"echo/node": (echo, node), "chat/echo": (chat, echo),
                         "node relay/echo": (node_relay, echo),
                         "chat/node relay": (chat, node_relay)}.items():
        pairs = paired(a, b)
        if pairs:
            print(f"{name} round by round: {' '.join(f'{x:.2f}' for x in pairs)} "
                  f"(median {statistics.median(pairs):.2f})")
    if echo.acks and node.acks:
        print(f"server CPU per echo ack: Aisle {echo.cpu_us_per_ack:.0f} µs, Node "
              f"{node.cpu_us_per_ack:.0f} µs, {echo.cpu_us_per_ack / node.cpu_us_per_ack:.2f}× "
              "(less sensitive to a busy machine than acks/s)")
    for t in TARGETS:
        f = figures[t.key]
        if f.errors or f.stalled or f.dropped:
            print(f"WARNING {t.label}: {f.errors} error acks (first: {f.first_error}), "
                  f"{f.stalled} clients stalled, connections dropped: {f.dropped or 'none'}")
        if f.load_cpu and max(f.load_cpu) > 0.9:
            print(f"NOTE {t.label}: the load generator used {max(f.load_cpu):.2f} core: "
                  "it may be the limit, not the server")
    if relay.acks and node_relay.acks:
        print(f"server CPU per relayed message: Aisle {relay.cpu_us_per_ack:.0f} µs, Node "
              f"{node_relay.cpu_us_per_ack:.0f} µs, "
              f"{relay.cpu_us_per_ack / node_relay.cpu_us_per_ack:.2f}×")
    for key in FAN_OUT:
        f = figures[key]
        if f.per_round and f.delivered != f.acks:
            print(f"WARNING {key}: {f.acks - f.delivered} acked messages never reached the "
                  "agent")

    def rate(f: Figures) -> int | None:
        return round(f.rate) if f.per_round else None

    p99 = {key: percentile_ms(f.hist, 0.99) for key, f in ran.items()}
    result: dict[str, Any] = {
        "chat_acks_per_s": rate(chat),
        "echo_acks_per_s": rate(echo),
        "node_echo_acks_per_s": rate(node),
        "echo_vs_node": ratio(echo.rate, node.rate),
        "chat_vs_echo": ratio(chat.rate, echo.rate),
        "echo_p99_vs_node": ratio(p99.get("echo", math.nan), p99.get("node_echo", math.nan)),
        **{f"{key}_p99_ms": round(v, 2) for key, v in p99.items()},
        "echo_vs_node_median_round": median(paired(echo, node)),
        "chat_vs_echo_median_round": median(paired(chat, echo)),
        "echo_cpu_per_ack_vs_node": ratio(echo.cpu_us_per_ack, node.cpu_us_per_ack),
        "relay_acks_per_s": rate(relay),
        "node_relay_acks_per_s": rate(node_relay),
        # What chat_vs_echo can reach on this load generator: a message's frames, no work.
        "node_relay_vs_echo": ratio(node_relay.rate, echo.rate),
        "chat_vs_node_relay": ratio(chat.rate, node_relay.rate),
        "relay_cpu_per_ack_vs_node": ratio(relay.cpu_us_per_ack, node_relay.cpu_us_per_ack),
        "chat_delivered_ratio": ratio(chat.delivered, chat.acks, 4),
        "server_cpu_us_per_ack": {key: round(f.cpu_us_per_ack) for key, f in ran.items()},
    }
    print(f"\ntargets: echo_vs_node ≥ 0.8 (now {result['echo_vs_node']}), "
          f"chat_vs_echo ≥ 0.5 (now {result['chat_vs_echo']}; a relay with no work on the "
          f"Node server reaches {result['node_relay_vs_echo']})")
    return result


def median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.signaling", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="2 rounds of 1 s per target (a smoke run; numbers are rough)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds; the order of targets reverses every other round")
    parser.add_argument("--seconds", type=float, default=2.0,
                        help="measured seconds per target per round (default 5 × 2 s = 10 s)")
    parser.add_argument("--warmup", type=float, default=0.5,
                        help="unmeasured seconds before each run")
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--only", default=",".join(t.key for t in TARGETS),
                        help="comma-separated targets to run (for investigation; the ratios "
                        "need them all)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary data dir and the servers' logs")
    parser.add_argument("--no-pin", action="store_true",
                        help="do not pin the servers and the load generator to separate CPUs")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.seconds, args.warmup = 2, 1.0, 0.3
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "socket.io-client").is_dir():
        raise SystemExit("needs node and node_modules (make deps)")
    pin = not args.no_pin and shutil.which("taskset") is not None and (os.cpu_count() or 1) >= 2
    server_pin = ["taskset", "-c", SERVER_CPU] if pin else []
    load_pin = ["taskset", "-c", LOAD_CPU] if pin else []

    only = [t for t in TARGETS if t.key in args.only.split(",")]
    tmp = tempfile.mkdtemp(prefix="aisle-bench-")
    try:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        asyncio.run(prepare_data(data_dir))
        aisle_log = (Path(tmp) / "aisle.log").open("wb")
        node_log = (Path(tmp) / "node.log").open("wb")
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        aisle = start_aisle(data_dir, port, server_pin, aisle_log)
        started: list[NodeProcess] = []
        try:
            ref = NodeProcess([*server_pin, node, str(NODE_DIR / "server.mjs"), "0"], node_log)
            started.append(ref)
            load = NodeProcess([*load_pin, node, str(NODE_DIR / "load.mjs")], node_log)
            started.append(load)
            node_url = f"http://127.0.0.1:{ref.read()['port']}"
            setups = {
                "echo": dict(cmd="echo_setup", url=url),
                "node_echo": dict(cmd="echo_setup", url=node_url),
                "relay": dict(cmd="relay_setup", url=url),
                "node_relay": dict(cmd="relay_setup", url=node_url),
                "chat": dict(cmd="chat_setup", url=url, login=BENCH_AGENT,
                             password=BENCH_PASSWORD, topic="order", site_key=BENCH_SITE),
            }
            for target in only:
                load.ask(group=target.group, clients=args.clients, **setups[target.key])
            figures = {t.key: Figures() for t in TARGETS}
            for round_ in range(args.rounds):
                for target in only if round_ % 2 == 0 else only[::-1]:
                    pid = ref.proc.pid if target.key in NODE_TARGETS else aisle.pid
                    run, cpu, wall = measure(load, target, pid, args.warmup, args.seconds)
                    figures[target.key].add(run, cpu, wall)
        finally:
            for process in reversed(started):
                process.close()
            stop(aisle)
            aisle_log.close()
            node_log.close()
        header = [
            f"Signaling: {args.clients} Node socket.io-client connections per target, closed "
            f"loop (emit with ack), {args.rounds} round(s) × {args.seconds:g} s per target "
            f"(+{args.warmup:g} s warm-up each), targets interleaved (order reversed every "
            "other round)",
            f"Aisle: `aisle serve` (uvloop, orjson, no permessage-deflate), SQLite (WAL) in "
            f"{tmp}; python-socketio {version('python-socketio')}, python-engineio "
            f"{version('python-engineio')}, aiohttp {version('aiohttp')}, Python "
            f"{platform.python_version()}",
            f"Node {subprocess.check_output([node, '--version'], text=True).strip()}, "
            f"socket.io {node_package_version('socket.io')} (perMessageDeflate off, its "
            f"default), socket.io-client {node_package_version('socket.io-client')}",
            (f"Pinned: servers on CPU {SERVER_CPU}, load generator on CPU {LOAD_CPU}"
             if pin else "Not pinned: servers and the load generator share all CPUs"),
            "Rate limit lifted for this run: AISLE_EVENTS_PER_SECOND=1000000 "
            "AISLE_EVENTS_BURST=1000000 (defaults 20/s, burst 50: closed-loop chat clients "
            "would be refused)",
            "server CPU: cores the server process used while measured; generator: the "
            "load generator's cores (max over rounds)",
        ]
        result = report(figures, header)
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(result))
    return 0


def node_package_version(name: str) -> str:
    package = json.loads((ROOT / "node_modules" / name / "package.json").read_text())
    return str(package["version"])


if __name__ == "__main__":
    raise SystemExit(main())
