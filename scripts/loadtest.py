#!/usr/bin/env python3
"""A surge of callers against several Hotline processes, measured.

Starts N web processes (gunicorn, gthread) on one PostgreSQL database (or SQLite)
and Redis, signs in 50 counselors through the console API and 20 supervisors'
dashboards over Socket.IO, then lets the simulator place calls at a rising rate.
Prints calls per second sustained, webhook p50/p99, dashboard event p99, CPU and
memory per process, errors, and any call lost or double-assigned. The load generator's own
CPU (the simulator placing the calls, and this process playing counselors and dashboards) is
shown apart from the servers': on a small machine it competes with them.

    .venv/bin/python scripts/loadtest.py --rates 5,10,20 --seconds 15
Measures; it does not pass or fail. Only 127.0.0.1 is ever contacted.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from loadtest_parts import Dashboard, HttpCounselor, Sampler, percentile, probe_loop  # noqa: E402
from tests.servers import free_port, scratch_database, server_env, stop_process, wait_healthy  # noqa: E402

LINES = ("sichuan", "chengdu", "chengdu-gaoxin")
PASSWORD = "loadtest-" + secrets.token_hex(6)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--counselors", type=int, default=50)
    parser.add_argument("--dashboards", type=int, default=20)
    parser.add_argument("--rates", default="5,10,20", help="calls per second, one phase each")
    parser.add_argument("--seconds", type=float, default=15, help="length of each phase")
    parser.add_argument("--record-writes", choices=["auto", "web", "worker"], default="auto",
                        help="HOTLINE_RECORD_WRITES; unless web, a `hotline worker` started here writes "
                             "the call records")
    parser.add_argument("--redis-url", default=os.environ.get("HOTLINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--postgres-url", default=os.environ.get("HOTLINE_TEST_POSTGRES_URL"),
                        help="a server URL; a fresh database is created and dropped")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    instance = Path(tempfile.mkdtemp(prefix="hotline-load-"))
    prefix = f"hotline-load-{secrets.token_hex(4)}"
    database, drop = make_database(args.postgres_url, instance)
    ports = [free_port() for _ in range(args.processes)]
    public = f"http://127.0.0.1:{ports[0]}"
    origins = ",".join(f"http://127.0.0.1:{p}" for p in ports)   # each process is reached directly here
    env = server_env(instance, database, args.redis_url, prefix, public, HOTLINE_NOW="2026-11-23T10:00:00+08:00",
                     HOTLINE_WRAPUP_S="1", HOTLINE_QUEUE_ANNOUNCE_S="60", HOTLINE_ALLOWED_ORIGINS=origins,
                     HOTLINE_RECORD_WRITES=args.record_writes)
    try:
        subprocess.run([sys.executable, "-m", "hotline", "db", "upgrade"], env=env, cwd=ROOT, check=True,
                       capture_output=True)
        seed_staff(env, args.counselors)
        servers = {f"web:{p}": start_web(env, p) for p in ports}
        if args.record_writes != "web":
            servers["worker"] = start_worker(env)
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        report = run(args, env, bases, servers)
    finally:
        started = list(locals().get("servers", {}).values())
        for process in started:
            process.terminate()
        for process in started:
            stop_process(process)   # killed after 15 s, said so: the report below still prints
        cleanup_redis(args.redis_url, prefix)
        drop()
    print_report(report)


def make_database(server_url: str | None, instance: Path):
    """A fresh database for this run (dropped by the returned function) or an SQLite file."""
    if not server_url:
        return f"sqlite:///{instance / 'load.db'}", lambda: None
    stack = ExitStack()
    return stack.enter_context(scratch_database(server_url, f"hotline_load_{uuid.uuid4().hex[:8]}")), stack.close


def seed_staff(env: dict, counselors: int) -> None:
    os.environ.update({k: v for k, v in env.items() if k.startswith("HOTLINE_")})
    from hotline.settings import from_env
    from hotline.store.db import Database
    from hotline.store.users import create_user

    settings = from_env(env)
    db = Database(settings.database_url)
    with db.session() as session:
        create_user(session, "load-supervisor", "supervisor", PASSWORD, now=settings.clock.now())
        for i in range(counselors):
            create_user(session, f"load-c{i:02d}", "counselor", PASSWORD, now=settings.clock.now(),
                        lines=LINES)
    db.dispose()


def start_web(env: dict, port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "-k", "gthread", "--threads", "32", "-w", "1",
               "-b", f"127.0.0.1:{port}", "--log-level", "warning", "hotline.wsgi:app"]
    log = open(Path(env["HOTLINE_INSTANCE_DIR"]) / f"web-{port}.log", "wb")
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    wait_healthy(f"http://127.0.0.1:{port}", process)
    return process


def start_worker(env: dict) -> subprocess.Popen:
    log = open(Path(env["HOTLINE_INSTANCE_DIR"]) / "worker.log", "wb")
    return subprocess.Popen([sys.executable, "-m", "hotline", "worker", "--without-scheduler"], env=env, cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT)


def run(args, env: dict, bases: list[str], servers: dict) -> dict:
    from hotline.live.events import external_bus

    stop = threading.Event()
    sampler = Sampler({name: p.pid for name, p in servers.items()}, stop)
    sampler.start()
    agents = [HttpCounselor(bases[i % len(bases)], f"load-c{i:02d}", PASSWORD, stop)
              for i in range(args.counselors)]
    for agent in agents:
        agent.start()
    dashboards = [Dashboard(bases[i % len(bases)], "load-supervisor", PASSWORD, origin=bases[0])
                  for i in range(args.dashboards)]
    bus = external_bus(env["HOTLINE_REDIS_URL"], f"{env['HOTLINE_REDIS_PREFIX']}-socketio")
    threading.Thread(target=probe_loop, args=(bus, stop), daemon=True).start()
    phases = [phase(env, bases, float(rate), args.seconds) for rate in args.rates.split(",")]
    time.sleep(3)
    stop.set()
    for dashboard in dashboards:
        dashboard.close()
    latencies = [ms for d in dashboards for ms in d.latencies_ms]
    return {"phases": phases, "dashboard_event_p50_ms": percentile(latencies, 0.5),
            "dashboard_event_p99_ms": percentile(latencies, 0.99), "dashboard_events": len(latencies),
            "processes": sampler.summary(), "agent_errors": sum(a.errors for a in agents),
            "integrity": integrity(env, [c for a in agents for c in a.accepted], phases)}


def phase(env: dict, bases: list[str], rate: float, seconds: float) -> dict:
    calls = max(int(rate * seconds), 1)
    command = [sys.executable, "-m", "hotline", "simulate", "--calls", str(calls), "--rate", str(rate),
               "--concurrency", str(max(calls, 10)), "--patience-mean", "90", "--talk-mean", "8",
               "--time-scale", "0.25", "--json", "--no-progress", "--public-url", bases[0],
               "--lines", ",".join(LINES), "--redis-url", env["HOTLINE_REDIS_URL"],
               "--redis-prefix", env["HOTLINE_REDIS_PREFIX"], "--seed", str(int(rate * 100))]
    for base in bases:
        command += ["--url", base]
    started, own_cpu, children_cpu = time.monotonic(), time.process_time(), _children_cpu()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    simulator_cpu, own_cpu = _children_cpu() - children_cpu, time.process_time() - own_cpu
    summary = json.loads(done.stdout) if done.stdout.strip() else {"errors": "simulator failed: " + done.stderr[-500:]}
    elapsed = time.monotonic() - started
    keep = ("offered", "answered", "abandoned", "rolled_over", "voicemail", "transferred", "errors",
            "wait_p50", "wait_p99", "webhook_p50_ms", "webhook_p99_ms")
    return {"rate": rate, "calls_per_s": round(calls / max(seconds, 1e-9), 1), "elapsed_s": round(elapsed, 1),
            "generator_cpu": {"simulator_s": round(simulator_cpu, 2), "this_process_s": round(own_cpu, 2),
                              "pct_of_a_core": round((simulator_cpu + own_cpu) / max(elapsed, 1e-9) * 100, 1)},
            **{k: summary.get(k) for k in keep}, "sids": [c["call_sid"] for c in summary.get("calls", [])]}


def _wait_for_record_stream(env: dict, limit_s: float = 120) -> None:
    """Unless HOTLINE_RECORD_WRITES=web, wait until the worker wrote what the stream holds."""
    import redis

    if env.get("HOTLINE_RECORD_WRITES") == "web":
        return
    client, deadline = redis.Redis.from_url(env["HOTLINE_REDIS_URL"]), time.monotonic() + limit_s
    while client.xlen(f"{env['HOTLINE_REDIS_PREFIX']}:record-stream") and time.monotonic() < deadline:
        time.sleep(0.2)


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the simulator of each phase)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def integrity(env: dict, accepted: list[str], phases: list[dict]) -> dict:
    from sqlalchemy import create_engine, text

    sids = {sid for p in phases for sid in p.pop("sids", [])}
    engine = create_engine(env["HOTLINE_DATABASE_URL"])
    time.sleep(2)   # let the write-behind of every process flush
    _wait_for_record_stream(env)
    with engine.connect() as conn:
        recorded = set(conn.execute(text("select call_sid from calls")).scalars())
        doubles = conn.execute(text("select count(*) from (select e.call_id from call_events e where "
                                    "e.kind = 'answered' group by e.call_id having count(*) > 1) d")).scalar()
    engine.dispose()
    return {"calls_placed": len(sids), "calls_recorded": len(recorded & sids), "lost": len(sids - recorded),
            "double_answered_records": doubles, "double_assigned": len(accepted) - len(set(accepted))}


def cleanup_redis(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)


def print_report(report: dict) -> None:
    print("\nHotline load test / 压力测试")
    for p in report["phases"]:
        print(f"  rate {p['rate']:>5.1f}/s  offered {p['offered']}  answered {p['answered']}  abandoned "
              f"{p['abandoned']}  rolled {p['rolled_over']}  voicemail {p['voicemail']}  transferred "
              f"{p['transferred']}  errors {p['errors']}  webhook p50 {p['webhook_p50_ms']} ms "
              f"p99 {p['webhook_p99_ms']} ms  wait p50 {p['wait_p50']} s")
        cpu = p["generator_cpu"]
        print(f"             load generator (not the servers): simulator {cpu['simulator_s']} s CPU, "
              f"counselors + dashboards {cpu['this_process_s']} s CPU = {cpu['pct_of_a_core']}% of a core")
    print(f"  dashboard events {report['dashboard_events']}: p50 {report['dashboard_event_p50_ms']} ms, "
          f"p99 {report['dashboard_event_p99_ms']} ms")
    for name, figures in report["processes"].items():
        print(f"  {name}: cpu mean {figures['cpu_mean_pct']}% max {figures['cpu_max_pct']}%, "
              f"rss max {figures['rss_max_mib']} MiB")
    print(f"  counselor API errors {report['agent_errors']}")
    print(f"  integrity: {json.dumps(report['integrity'])}")


if __name__ == "__main__":
    main()
