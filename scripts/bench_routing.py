#!/usr/bin/env python3
"""Benchmark the incoming-call webhook under load, beside a bare endpoint.

Starts Hotline server processes (gunicorn, gthread) against Redis and a database,
then drives signed /voice/incoming requests at a fixed open-loop rate, and the
bare /healthz endpoint at the same rate in the same run. Prints calls per second,
p50/p99 latency of each and their ratio. Measures; does not pass or fail.

    .venv/bin/python scripts/bench_routing.py --rate 200 --seconds 10
"""
from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.servers import free_port, server_env, wait_healthy  # noqa: E402
from tests.twilio_fake import call_params, new_call_sid, sign  # noqa: E402

NUMBERS = ["+862887577510", "+862885337950", "+862812320"]


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "-k", "gthread", "--threads", "16", "-w", str(workers),
               "-b", f"127.0.0.1:{port}", "--log-level", "warning", "hotline.wsgi:app"]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=sys.stderr)


async def drive(session, url: str, rate: float, seconds: float, make_request) -> list[float]:
    latencies: list[float] = []
    errors = 0
    interval, started = 1.0 / rate, time.perf_counter()
    tasks = []

    async def one(i: int) -> None:
        nonlocal errors
        method, path, data, headers = make_request(i)
        begin = time.perf_counter()
        try:
            async with session.request(method, url + path, data=data, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    errors += 1
        except aiohttp.ClientError:
            errors += 1
        latencies.append((time.perf_counter() - begin) * 1000)

    for i in range(int(rate * seconds)):
        delay = started + i * interval - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    return latencies, errors, elapsed


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def webhook_request(token: str, public: str):
    def make(i: int):
        params = call_params(new_call_sid(), NUMBERS[i % len(NUMBERS)], f"+86138{i:08d}")
        return "POST", "/voice/incoming", params, {
            "X-Twilio-Signature": sign(token, public, "/voice/incoming", params)}
    return make


def bare_request(_i: int):
    return "GET", "/healthz", None, {}


async def measure(base: str, rate: float, seconds: float, token: str, public: str):
    connector = aiohttp.TCPConnector(limit=512)
    async with aiohttp.ClientSession(connector=connector) as session:
        await drive(session, base, 20, 1, webhook_request(token, public))    # warm-up
        hook = await drive(session, base, rate, seconds, webhook_request(token, public))
        bare = await drive(session, base, rate, seconds, bare_request)
    return hook, bare


def report(name: str, result) -> None:
    latencies, errors, elapsed = result
    print(f"{name:<22} {len(latencies) / elapsed:8.1f} req/s   p50 {pct(latencies, 0.5):7.2f} ms   "
          f"p99 {pct(latencies, 0.99):7.2f} ms   errors {errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis-url", default=os.environ.get("HOTLINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--database-url", default=None, help="default: an SQLite file in a temp dir")
    args = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="hotline-bench-"))
    database = args.database_url or f"sqlite:///{instance / 'bench.db'}"
    port = free_port()
    public = f"http://127.0.0.1:{port}"
    prefix = f"hotline-bench-{secrets.token_hex(4)}"
    env = server_env(instance, database, args.redis_url, prefix, public, HOTLINE_NOW="2026-11-23T10:00:00+08:00")
    subprocess.run([sys.executable, "-m", "hotline", "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    _staff(env)
    server = start_gunicorn(env, port, args.workers)
    try:
        wait_healthy(public, server)
        hook, bare = asyncio.run(measure(public, args.rate, args.seconds, env["TWILIO_AUTH_TOKEN"], public))
    finally:
        server.terminate()
        server.wait(timeout=10)
        _cleanup(args.redis_url, prefix)
    print(f"Hotline routing benchmark — {args.workers} gunicorn workers, target {args.rate:.0f} req/s, "
          f"{args.seconds:.0f} s each, database {database.split(':')[0]}")
    report("POST /voice/incoming", hook)
    report("GET /healthz (bare)", bare)
    print(f"p99 ratio webhook / bare: {pct(hook[0], 0.99) / max(pct(bare[0], 0.99), 1e-6):.2f}")


def _staff(env: dict) -> None:
    """Put counselors on the hosted lines so calls are queued (the full path)."""
    import redis as redis_lib

    from hotline.live.keys import Keys
    from hotline.live.presence import Presence, PresenceStore
    from datetime import datetime, timezone

    client = redis_lib.Redis.from_url(env["HOTLINE_REDIS_URL"])
    store = PresenceStore(client, Keys(env["HOTLINE_REDIS_PREFIX"]))
    for counselor in range(1, 5):
        store.set(Presence(counselor, "available", datetime.now(timezone.utc),
                           ("sichuan", "chengdu", "chengdu-gaoxin")))


def _cleanup(url: str, prefix: str) -> None:
    import redis as redis_lib

    client = redis_lib.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)


if __name__ == "__main__":
    main()
