#!/usr/bin/env python3
"""Benchmark the incoming-call webhook beside a bare endpoint (issue #18; measures, asserts nothing).

Starts Hotline under gunicorn (gthread) against Redis and a database, and in the same run a bare
Flask endpoint answering a small `<Enqueue>` TwiML (scripts/bare_enqueue.py) under the same
gunicorn configuration. Then, for each open-loop rate, drives signed `/voice/incoming` requests:

- staffed: a line with a counselor on shift → the caller is queued (`<Enqueue>`);
- unstaffed: the same line with nobody on shift → transferred along its fallbacks (`<Dial>`);
- bare: the bare endpoint.

Prints achieved rate, p50/p99 and errors per case and rate, the answers seen (Enqueue/Dial),
the server processes' CPU per call (the least noisy figure on a shared machine; with the
in-process record writer it includes that thread's work), the load generator's own CPU, and per case the highest rate whose p99 stays under the goal
(20 ms) with its ratio to the bare endpoint's. Unless --record-writes web, a `hotline worker`
writes the call records off the web processes (as a deployment runs it; `auto` is the
default), and the time it needed to drain is printed.

    .venv/bin/python scripts/bench_routing.py --rates 100,200,400,800,1600 --seconds 5
    .venv/bin/python scripts/bench_routing.py --record-writes web --database-url postgresql+psycopg://…
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import os
import secrets
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import aiohttp
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import free_port, scratch_database, server_env, wait_healthy  # noqa: E402
from tests.twilio_fake import call_params, new_call_sid, sign  # noqa: E402

GAOXIN = "+862885337950"   # chengdu-gaoxin, 9:00-21:00, no menu; its fallbacks: chengdu, sichuan (hosted), deyang
STAFFED_LINES = ("chengdu-gaoxin",)   # staffed: its counselors are on; unstaffed: nobody is → deyang (<Dial>)
GOAL_P99_MS = 20.0


def start_gunicorn(env: dict, port: int, workers: int, threads: int, app: str, cwd: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "-k", "gthread", "--threads", str(threads), "-w", str(workers),
               "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--no-control-socket", app]
    return _start(command, env, cwd, f"gunicorn-{port}")


def _start(command: list[str], env: dict, cwd: Path, name: str) -> subprocess.Popen:
    log = open(Path(env["HOTLINE_INSTANCE_DIR"]) / f"{name}.log", "wb")   # read it when a figure looks odd
    return subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)


class Result:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.answers = {"Enqueue": 0, "Dial": 0, "other": 0}
        self.elapsed = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    def note(self, body: bytes) -> None:
        kind = "Enqueue" if b"<Enqueue" in body else "Dial" if b"<Dial" in body else "other"
        self.answers[kind] += 1


async def drive(session, base: str, rate: float, seconds: float, make_request) -> Result:
    """Open loop: request i leaves at start + i/rate whatever the earlier ones are doing.

    The generator's own garbage collector is off while it drives: a full collection of its
    thousands of pending requests stopped its event loop for 30 ms or more, which every
    request then in flight counted as the server's latency."""
    gc.collect()
    gc.disable()
    try:
        return await _drive(session, base, rate, seconds, make_request)
    finally:
        gc.enable()


async def _drive(session, base: str, rate: float, seconds: float, make_request) -> Result:
    result = Result()
    interval, started = 1.0 / rate, time.perf_counter()

    async def one(i: int) -> None:
        path, data, headers = make_request(i)
        begin = time.perf_counter()
        try:
            async with session.post(base + path, data=data, headers=headers) as response:
                result.note(await response.read())
                if response.status != 200:
                    result.errors += 1
        except aiohttp.ClientError:
            result.errors += 1
        result.latencies.append((time.perf_counter() - begin) * 1000)

    tasks = []
    for i in range(int(rate * seconds)):
        delay = started + i * interval - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i)))
    await asyncio.gather(*tasks)
    result.elapsed = time.perf_counter() - started
    return result


def webhook(token: str, public: str, dialled: str, tag: int):
    def make(i: int):
        params = call_params(new_call_sid(), dialled, f"+861{tag}{i:09d}")
        return "/voice/incoming", params, {"X-Twilio-Signature": sign(token, public, "/voice/incoming", params)}
    return make


def server_cpu(process: subprocess.Popen) -> float:
    """CPU seconds used so far by a gunicorn master and its workers."""
    try:
        root = psutil.Process(process.pid)
        total = 0.0
        for proc in [root, *root.children(recursive=True)]:
            times = proc.cpu_times()
            total += times.user + times.system
        return total
    except psutil.Error:
        return float("nan")


async def run_all(targets: dict, rates: list[float], seconds: float, staffing, writer=None) -> dict:
    """Each case at each rate in turn; `staffing(name)` puts the counselors on shift or takes them off.
    For each: the result, the generator's CPU seconds, the server's and the record writer's (the
    `hotline worker`, when one runs: it shares the machine's cores)."""
    results: dict[tuple[str, float], tuple[Result, float, float, float]] = {}
    connector = aiohttp.TCPConnector(limit=1024)
    async with aiohttp.ClientSession(connector=connector) as session:
        for name, (base, make, _server) in targets.items():
            staffing(name)
            await drive(session, base, 50, 2, make)   # warm-up: connections, imports, caches, scripts
        for rate in rates:
            for name, (base, make, server) in targets.items():
                staffing(name)
                cpu, served = time.process_time(), server_cpu(server)
                wrote = server_cpu(writer) if writer is not None else 0.0
                result = await drive(session, base, rate, seconds, make)
                await asyncio.sleep(0.5)   # let the write-behind of these calls run before the next case
                written = server_cpu(writer) - wrote if writer is not None and name != "bare" else 0.0
                results[(name, rate)] = (result, time.process_time() - cpu, server_cpu(server) - served, written)
    return results


def print_results(results: dict, rates: list[float], names: list[str]) -> None:
    print(f"{'case':<10} {'target/s':>8} {'got/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}  "
          f"{'answers':<22} {'server CPU/call':>15} {'writer CPU/call':>15} {'generator CPU':>13}")
    for rate in rates:
        for name in names:
            result, cpu, served, written = results[(name, rate)]
            answers = " ".join(f"{k}={v}" for k, v in result.answers.items() if v)
            calls = max(len(result.latencies), 1)
            per_call, writer_per_call = served / calls * 1000, written / calls * 1000
            print(f"{name:<10} {rate:8.0f} {result.rate:7.1f} {result.pct(0.5):8.2f} {result.pct(0.99):8.2f} "
                  f"{result.errors:6d}  {answers:<22} {per_call:12.2f} ms {writer_per_call:12.2f} ms "
                  f"{cpu / result.elapsed * 100:11.0f} %")
    best = {name: max([r for r in rates if results[(name, r)][0].pct(0.99) < GOAL_P99_MS
                       and not results[(name, r)][0].errors], default=0) for name in names}
    print(f"\nhighest rate with p99 < {GOAL_P99_MS:.0f} ms (no errors):")
    for name in names:
        ratio = best[name] / best["bare"] if best.get("bare") else float("nan")
        print(f"  {name:<10} {best[name]:6.0f} calls/s   ratio to bare {ratio:.2f}")
    if best.get("bare") == max(rates):
        print(f"  (bare held every rate tried: its limit lies above {max(rates):.0f}/s, so each ratio is an upper "
              "bound; add higher --rates)")
    for rate in rates:
        bare = results[("bare", rate)][0].pct(0.99)
        ratios = "  ".join(f"{name} {results[(name, rate)][0].pct(0.99) / bare:.1f}×" for name in names
                           if name != "bare")
        print(f"  p99 at {rate:.0f}/s against bare: {ratios}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="100,200,400,600,800,1200,1600", help="comma-separated calls/s")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--record-writes", choices=["auto", "web", "worker"], default="auto")
    parser.add_argument("--redis-url", default=os.environ.get("HOTLINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server: a fresh database is created on it and dropped afterwards "
                             "(default: an SQLite file in a temp dir)")
    parser.add_argument("--tree", type=Path, default=ROOT, help="the Hotline source tree to run (compare versions)")
    args = parser.parse_args()
    rates = [float(r) for r in args.rates.split(",")]
    instance = Path(tempfile.mkdtemp(prefix="hotline-bench-"))
    with ExitStack() as scratch:   # a fresh database: an earlier run's waiting calls would be restored into this one's queues
        database = (scratch.enter_context(scratch_database(args.database_url, f"hotline_bench_{secrets.token_hex(4)}"))
                    if args.database_url else f"sqlite:///{instance / 'bench.db'}")
        bench(args, rates, instance, database)


def bench(args, rates: list[float], instance: Path, database: str) -> None:
    port, bare_port = free_port(), free_port()
    public = f"http://127.0.0.1:{port}"
    prefix = f"hotline-bench-{secrets.token_hex(4)}"
    env = server_env(instance, database, args.redis_url, prefix, public, HOTLINE_NOW="2026-11-23T10:00:00+08:00",
                     HOTLINE_RECORD_WRITES=args.record_writes)
    subprocess.run([sys.executable, "-m", "hotline", "db", "upgrade"], env=env, cwd=args.tree, check=True,
                   stdout=subprocess.DEVNULL)
    processes = [start_gunicorn(env, port, args.workers, args.threads, "hotline.wsgi:app", args.tree),
                 start_gunicorn(env, bare_port, args.workers, args.threads, "scripts.bare_enqueue:app", ROOT)]
    if args.record_writes != "web":
        processes.append(_start([sys.executable, "-m", "hotline", "worker", "--without-scheduler"], env, args.tree,
                                "worker"))
    try:
        wait_healthy(public, processes[0])
        wait_healthy(f"http://127.0.0.1:{bare_port}", processes[1])
        if args.record_writes == "auto":
            _wait_for_writer(env)
        token = env["TWILIO_AUTH_TOKEN"]
        targets = {"staffed": (public, webhook(token, public, GAOXIN, 1), processes[0]),
                   "unstaffed": (public, webhook(token, public, GAOXIN, 2), processes[0]),
                   "bare": (f"http://127.0.0.1:{bare_port}", webhook(token, public, GAOXIN, 3), processes[1])}
        results = asyncio.run(run_all(targets, rates, args.seconds,
                                      lambda name: _staff(env, STAFFED_LINES if name == "staffed" else ()),
                                      processes[2] if len(processes) > 2 else None))
        drained = _drain_time(env) if args.record_writes != "web" else None
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)
        _cleanup(args.redis_url, prefix)
    print(f"server logs in {instance}")
    print(f"Hotline routing benchmark — gunicorn gthread {args.workers}×{args.threads}, {args.seconds:.0f} s per "
          f"rate, database {database.split(':')[0]}, record writes: {args.record_writes}, tree {args.tree}")
    print_results(results, rates, list(targets))
    if drained is not None:
        print(f"record stream drained {drained:.1f} s after the last call")


def _staff(env: dict, lines: tuple[str, ...]) -> None:
    """Put counselors on `lines` so their calls are queued (the full path); () takes them off."""
    from datetime import datetime, timezone

    import redis as redis_lib

    from hotline.live.keys import Keys
    from hotline.live.presence import Presence, PresenceStore

    store = PresenceStore(redis_lib.Redis.from_url(env["HOTLINE_REDIS_URL"]), Keys(env["HOTLINE_REDIS_PREFIX"]))
    for counselor in range(1, 5):
        store.set(Presence(counselor, "available" if lines else "offline", datetime.now(timezone.utc), lines))


def _wait_for_writer(env: dict, limit_s: float = 30) -> None:
    """Under auto the web processes use the stream once the worker is on the roll call."""
    import redis as redis_lib

    from hotline.live.keys import Keys
    from hotline.live.record_stream import ROLL_CALL_CACHE_S, WriterRollCall

    roll_call = WriterRollCall(redis_lib.Redis.from_url(env["HOTLINE_REDIS_URL"]), Keys(env["HOTLINE_REDIS_PREFIX"]))
    deadline = time.monotonic() + limit_s
    while not roll_call.anyone():
        if time.monotonic() > deadline:
            raise SystemExit("hotline worker 未开始写记录 / the worker never started writing records")
        time.sleep(0.1)
    time.sleep(ROLL_CALL_CACHE_S)


def _drain_time(env: dict, limit_s: float = 120) -> float:
    import redis as redis_lib

    client = redis_lib.Redis.from_url(env["HOTLINE_REDIS_URL"])
    stream, start = f"{env['HOTLINE_REDIS_PREFIX']}:record-stream", time.perf_counter()
    while client.xlen(stream) and time.perf_counter() - start < limit_s:
        time.sleep(0.1)
    return time.perf_counter() - start


def _cleanup(url: str, prefix: str) -> None:
    import redis as redis_lib

    client = redis_lib.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)


if __name__ == "__main__":
    main()
