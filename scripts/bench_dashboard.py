#!/usr/bin/env python3
"""Benchmark the supervisor dashboard's live updates: 200 Socket.IO clients, two servers.

Starts two `hotline serve` processes sharing Redis and an SQLite file, connects
--clients dashboard sockets (python-socketio's asyncio client, split across the two
servers, signed in as a supervisor), drives calls with `hotline simulate` while
virtual counselors answer them, and meanwhile a probe changes one counselor's
presence every --probe-every seconds from this process (as an RQ worker would).

For every probe and every client it records when the change reached the client in
the coalesced "dashboard" snapshot (what the page repaints from) — the figure that
matters, goal p99 < 250 ms — and, on a few extra supervisor sockets of another page
(the supervisors room), when it arrived as the raw "presence" event (the fan-out
through Redis alone, for comparison).
Prints p50/p90/p99/max of both, pushes per second per client, and each server's CPU
and memory (psutil). Measures; does not pass or fail. About a minute on 2 cores:

    .venv/bin/python scripts/bench_dashboard.py
    .venv/bin/python scripts/bench_dashboard.py --clients 50 --seconds 15 --rate 2

Needs Redis (HOTLINE_REDIS_URL or redis://127.0.0.1:6379/0); uses a private key prefix
and removes its keys afterwards. Server logs stay in the temporary directory printed.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psutil
import redis
import requests
import socketio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import free_port, server_env, wait_healthy  # noqa: E402

PASSWORD = "bench-password-42"
PROBE_ID = 990_001
RAW_CLIENTS = 4
LINES = """
version: 1
lines:
  - id: alpha
    name: 甲线
    region: 成都市
    hosted: true
    numbers: [{number: "028-61000001", schedule: "24小时"}]
    fallback: [outside]
    max_wait_s: 900
  - id: beta
    name: 乙线
    region: 成都市
    hosted: true
    numbers: [{number: "028-61000002", schedule: "24小时"}]
    fallback: [outside]
    max_wait_s: 900
  - id: outside
    name: 外部热线
    region: 全国
    level: national
    hosted: false
    numbers: [{number: "4001-888-976", schedule: "24小时"}]
"""


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200, help="dashboard sockets (split over both servers)")
    parser.add_argument("--seconds", type=float, default=25.0, help="measuring time")
    parser.add_argument("--rate", type=float, default=3.0, help="simulated calls per second")
    parser.add_argument("--counselors", type=int, default=12, help="virtual counselors answering")
    parser.add_argument("--probe-every", type=float, default=0.3, help="seconds between probe changes")
    parser.add_argument("--redis-url", default=os.environ.get("HOTLINE_REDIS_URL") or "redis://127.0.0.1:6379/0")
    return parser.parse_args()


# --- set-up --------------------------------------------------------------------------------
def prepare(tmp: Path, redis_url: str, prefix: str, public: str) -> dict[str, str]:
    lines = tmp / "lines.yaml"
    lines.write_text(LINES, encoding="utf-8")
    env = server_env(tmp, f"sqlite:///{tmp / 'hotline.db'}", redis_url, prefix, public,
                     HOTLINE_LINES_FILE=str(lines), HOTLINE_QUEUE_ANNOUNCE_S="120", HOTLINE_WRAPUP_S="2")
    def run(*args: str, stdin: str | None = None) -> None:
        subprocess.run([sys.executable, "-m", "hotline", *args], env=env, cwd=ROOT, check=True,
                       capture_output=True, text=True, input=stdin)
    run("db", "upgrade")
    run("users", "add", "boss", "--role", "supervisor", "--password-stdin", stdin=PASSWORD + "\n")
    return env


def start_server(env: dict, port: int, tmp: Path) -> subprocess.Popen:
    log = open(tmp / f"server-{port}.log", "wb")
    return subprocess.Popen([sys.executable, "-m", "hotline", "serve", "--port", str(port)], env=env, cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT)


def session_cookie(base: str) -> str:
    http = requests.Session()
    token = re.search(r'name="csrf_token" value="([^"]+)"', http.get(f"{base}/login", timeout=10).text).group(1)
    answer = http.post(f"{base}/login", data={"username": "boss", "password": PASSWORD, "csrf_token": token},
                       allow_redirects=False, timeout=10)
    assert answer.status_code == 302, "supervisor sign-in failed"
    return "; ".join(f"{k}={v}" for k, v in http.cookies.items())


# --- the probe and the clients -------------------------------------------------------------
class Probe:
    """Changes one presence (name = probe-<n>) and announces it, as any process would."""

    def __init__(self, services, notices) -> None:
        self.s = services
        self.notices = notices      # Hotline.notices: the announcement any process makes
        self.sent: dict[int, float] = {}
        self.n = 0

    def fire(self) -> None:
        from hotline.ports import Presence

        self.n += 1
        state = "break" if self.n % 2 else "wrap_up"
        self.s.presence.set(Presence(PROBE_ID, state, self.s.now(), (), f"probe-{self.n}"))
        self.sent[self.n] = time.time()
        self.notices.presence(PROBE_ID)

    def run(self, stop: threading.Event, every: float) -> None:
        while not stop.wait(every):
            self.fire()


def probe_number(name: str | None) -> int | None:
    return int(name[6:]) if name and name.startswith("probe-") else None


class Clients:
    """Many asyncio Socket.IO clients; each notes when it first saw each probe."""

    def __init__(self) -> None:
        self.raw: list[tuple[int, float]] = []        # (probe, arrival) for raw "presence" events
        self.pushed: list[tuple[int, float]] = []     # (probe, arrival) for "dashboard" snapshots
        self.pushes = 0
        self.spread: dict[int, list[float]] = {}      # snapshot seq (build time, ms) → arrivals
        self.connected = 0
        self.failed = 0
        self.sockets: list[socketio.AsyncClient] = []

    def make(self) -> socketio.AsyncClient:
        """A client; a snapshot showing probe n delivers every probe up to n that this client
        had not seen yet (coalescing may skip an intermediate state: it is still delivered)."""
        client = socketio.AsyncClient(reconnection=False)
        newest = [0]

        @client.on("presence")
        async def presence(data):
            number = probe_number(data.get("name")) if data.get("counselor") == PROBE_ID else None
            if number is not None:
                self.raw.append((number, time.time()))

        @client.on("dashboard")
        async def dashboard(data):
            arrived = time.time()
            self.pushes += 1
            self.spread.setdefault(data.get("seq", 0), []).append(arrived)
            for row in data.get("counselors", ()):
                if row["id"] == PROBE_ID:
                    number = probe_number(row["name"]) or 0
                    self.pushed.extend((k, arrived) for k in range(newest[0] + 1, number + 1))
                    newest[0] = max(newest[0], number)
        return client

    async def connect_all(self, bases: list[str], cookie: str, count: int, batch: int = 20,
                          page: str | None = "dashboard") -> None:
        async def one(i: int) -> None:
            client = self.make()
            try:
                await client.connect(bases[i % len(bases)], headers={"Cookie": cookie},
                                     auth={"page": page} if page else None,
                                     transports=["websocket"], wait_timeout=20)
                self.sockets.append(client)
                self.connected += 1
            except Exception as exc:
                self.failed += 1
                print(f"  连接失败 / client {i} failed: {exc}", file=sys.stderr)
        for start in range(0, count, batch):
            await asyncio.gather(*(one(i) for i in range(start, min(start + batch, count))))

    async def close(self) -> None:
        await asyncio.gather(*(c.disconnect() for c in self.sockets), return_exceptions=True)


# --- the run -----------------------------------------------------------------------------------
def simulate(env: dict, bases: list[str], public: str, calls: int, rate: float) -> subprocess.Popen:
    command = [sys.executable, "-m", "hotline", "simulate", "--calls", str(calls), "--rate", str(rate),
               "--concurrency", "200", "--patience-mean", "0", "--talk-mean", "4", "--seed", "11",
               "--repeat-fraction", "0", "--digits", "-", "--json", "--no-progress", "--public-url", public,
               "--lines", "alpha,beta", "--redis-url", env["HOTLINE_REDIS_URL"],
               "--redis-prefix", env["HOTLINE_REDIS_PREFIX"]]
    for base in bases:
        command += ["--url", base]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


class Usage:
    """CPU seconds and peak memory of the processes (servers, then this one) over the window."""

    def __init__(self, pids: list[int]) -> None:
        self.procs = [psutil.Process(pid) for pid in pids] + [psutil.Process()]
        self.cpu0 = [self._cpu(p) for p in self.procs]
        self.started = time.monotonic()
        self.peak = [p.memory_info().rss for p in self.procs]

    @staticmethod
    def _cpu(proc) -> float:
        times = proc.cpu_times()
        return times.user + times.system

    def sample(self) -> None:
        self.peak = [max(old, p.memory_info().rss) for old, p in zip(self.peak, self.procs)]

    def report(self) -> list[tuple[float, float]]:
        elapsed = time.monotonic() - self.started
        return [((self._cpu(p) - c0) / elapsed * 100, peak / 2**20) for p, c0, peak in zip(self.procs, self.cpu0, self.peak)]


def delivery(spread: dict[int, list[float]], clients: int) -> str:
    """From a snapshot's build to its arrival at the first and at the last client: the
    spread between them is mostly this one process reading 200 sockets in turn."""
    full = [(seq / 1000, arrivals) for seq, arrivals in spread.items() if seq and len(arrivals) >= clients * 0.9]
    if not full:
        return "  push delivery: 无数据 / no samples"
    first = sorted((min(a) - built) * 1000 for built, a in full)
    last = sorted((max(a) - built) * 1000 for built, a in full)
    pick = lambda xs, q: xs[min(len(xs) - 1, int(q * len(xs)))]
    return (f"  push delivery, build → first client: p50 {pick(first, .5):.1f} ms  p99 {pick(first, .99):.1f} ms;"
            f"  → last client: p50 {pick(last, .5):.1f} ms  p99 {pick(last, .99):.1f} ms")


def latencies(sent: dict[int, float], arrivals: list[tuple[int, float]]) -> list[float]:
    return [(at - sent[n]) * 1000 for n, at in arrivals if n in sent]


def describe(name: str, values: list[float]) -> str:
    if not values:
        return f"  {name}: 无数据 / no samples"
    ordered = sorted(values)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]
    return (f"  {name}: p50 {pick(.5):6.1f} ms   p90 {pick(.9):6.1f} ms   p99 {pick(.99):6.1f} ms   "
            f"max {ordered[-1]:6.1f} ms   (n={len(values)})")


def main() -> int:
    args = arguments()
    probe_redis = redis.Redis.from_url(args.redis_url, socket_connect_timeout=1)
    try:
        probe_redis.ping()
    except redis.RedisError as exc:
        print(f"Redis 不可用 / Redis not reachable at {args.redis_url}: {exc}", file=sys.stderr)
        return 2
    prefix = f"hotline-bench-{uuid.uuid4().hex[:8]}"
    tmp = Path(tempfile.mkdtemp(prefix="hotline-bench-dashboard-"))
    ports = [free_port(), free_port()]
    bases = [f"http://127.0.0.1:{p}" for p in ports]
    public = bases[0]
    servers: list[subprocess.Popen] = []
    try:
        print(f"准备 / preparing in {tmp} (Redis prefix {prefix})")
        env = prepare(tmp, args.redis_url, prefix, public)
        servers = [start_server(env, port, tmp) for port in ports]
        for base, process in zip(bases, servers):
            wait_healthy(base, process)
        return run(args, env, bases, public, servers)
    finally:
        for process in servers:
            process.terminate()
        for process in servers:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        keys = list(probe_redis.scan_iter(f"{prefix}*", count=1000))
        if keys:
            probe_redis.delete(*keys)


def run(args, env: dict, bases: list[str], public: str, servers: list[subprocess.Popen]) -> int:
    from hotline.devtools.virtual_counselors import Persona, VirtualCounselors
    from hotline.bootstrap import Adapters, Hotline
    from hotline.settings import from_env

    services = Adapters(from_env(env))
    cookie = session_cookie(bases[0])
    clients = Clients()
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="clients", daemon=True).start()
    started = time.monotonic()
    asyncio.run_coroutine_threadsafe(clients.connect_all(bases, cookie, args.clients), loop).result()
    raw = Clients()                                   # a few sockets of another page: raw events
    asyncio.run_coroutine_threadsafe(raw.connect_all(bases, cookie, RAW_CLIENTS, page=None), loop).result()
    print(f"已连接 / connected {clients.connected} clients in {time.monotonic() - started:.1f} s "
          f"({clients.failed} failed)")

    hotline = Hotline(services)
    floor = VirtualCounselors(hotline.console, hotline.dispatcher, [Persona(i, f"咨询师{i}", ("alpha", "beta")) for i in range(1, args.counselors + 1)],
                              think_s=1.0, wrap_s=1.0, seed=3)
    probe = Probe(services, hotline.notices)
    stop = threading.Event()
    threads = [threading.Thread(target=floor.run, args=(stop,), daemon=True),
               threading.Thread(target=probe.run, args=(stop, args.probe_every), daemon=True)]
    time.sleep(1.0)                                   # let the connect snapshots settle
    clients.pushed.clear(), raw.raw.clear()
    pushes_before = clients.pushes
    usage = Usage([p.pid for p in servers])
    sim = simulate(env, bases, public, int(args.rate * args.seconds), args.rate)
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        usage.sample()
        time.sleep(0.5)
    stop.set()
    measured = time.monotonic() - (deadline - args.seconds)
    resources = usage.report()
    time.sleep(0.5)                                   # the last probe's deliveries
    pushes = clients.pushes - pushes_before
    sim.send_signal(signal.SIGINT)                    # stop new calls, end the live ones cleanly
    try:
        sim_out, _ = sim.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        sim.kill()
        sim_out, _ = sim.communicate()
    for group in (clients, raw):
        asyncio.run_coroutine_threadsafe(group.close(), loop).result(timeout=30)
    loop.call_soon_threadsafe(loop.stop)
    report(args, clients, raw, probe, pushes, measured, resources, sim_out)
    services.close()
    return 0


def report(args, clients: Clients, raw: Clients, probe: Probe, pushes: int, measured: float, resources,
           sim_out: str) -> None:
    print(f"\n监控推送基准 / dashboard push benchmark — {clients.connected} clients on 2 servers, "
          f"{measured:.0f} s, {args.rate:g} calls/s, {args.counselors} virtual counselors, "
          f"{probe.n} probe changes")
    print("事件到客户端延迟 / event-to-client latency:")
    print(describe("dashboard snapshot (coalesced, what the page draws)", latencies(probe.sent, clients.pushed)))
    print(describe(f"raw presence event ({RAW_CLIENTS} other-page sockets)          ", latencies(probe.sent, raw.raw)))
    per_client = pushes / max(clients.connected, 1) / max(measured, 1e-9)
    print(f"  dashboard pushes per client per second: {per_client:.2f}")
    expected = probe.n * clients.connected
    print(f"  probe deliveries in snapshots: {len(clients.pushed)} of {expected} "
          "(a probe superseded before a push counts as delivered by the snapshot that shows a newer one)")
    print(delivery(clients.spread, clients.connected))
    print("资源 / resources (measuring window):")
    for i, (cpu, rss) in enumerate(resources[:-1], 1):
        print(f"  server {i}: CPU {cpu:5.1f}% of one core   peak RSS {rss:6.1f} MiB")
    cpu, rss = resources[-1]
    print(f"  this bench ({clients.connected} clients, counselors, probe): CPU {cpu:5.1f}% of one core   peak RSS {rss:6.1f} MiB")
    try:
        summary = json.loads(sim_out.strip().splitlines()[-1]) if sim_out.strip() else {}
    except (ValueError, IndexError):
        summary = {}
    if summary:
        keys = ("offered", "answered", "abandoned", "voicemail", "errors")
        print("模拟来电 / simulated calls: " + ", ".join(f"{k} {summary.get(k)}" for k in keys if k in summary))


if __name__ == "__main__":
    sys.exit(main())
