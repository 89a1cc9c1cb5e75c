"""Start real Hotline server processes for integration and browser tests."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def scratch_database(server_url: str, name: str):
    """CREATE a database on a PostgreSQL server, yield its URL, DROP it afterwards (tests and
    benchmarks: a run never reads rows an earlier run left)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def copy_sqlite(template: Path, target: Path) -> None:
    """A copy of an SQLite database no process has open: the file, and its log were one left."""
    for suffix in ("", "-wal"):
        if Path(f"{template}{suffix}").exists():
            shutil.copyfile(f"{template}{suffix}", f"{target}{suffix}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(instance: Path, database_url: str, redis_url: str, prefix: str, public_url: str,
               **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOTLINE_", "TWILIO_"))}
    env.update(HOTLINE_INSTANCE_DIR=str(instance), HOTLINE_DATABASE_URL=database_url,
               HOTLINE_REDIS_URL=redis_url, HOTLINE_REDIS_PREFIX=prefix, HOTLINE_PUBLIC_URL=public_url,
               TWILIO_AUTH_TOKEN="test-auth-token", HOTLINE_SECRET_KEY="test-secret",
               HOTLINE_DATA_KEY="test-data-key-0123456789abcdefghijklmnop", HOTLINE_LOG_LEVEL="WARNING",
               HOTLINE_ARGON2_PROFILE="test")
    env.update(extra)
    return env


@contextmanager
def running_server(env: dict[str, str], port: int | None = None, log_path: Path | None = None):
    """`hotline serve` in a subprocess; yields its base URL; stops it afterwards."""
    port = port or free_port()
    log = open(log_path or Path(env["HOTLINE_INSTANCE_DIR"]) / f"server-{port}.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "hotline", "serve", "--port", str(port)],
                               env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process)
        yield base
    finally:
        process.terminate()
        stop_process(process, limit_s=10)
        log.close()


def stop_process(process: subprocess.Popen, limit_s: float = 15) -> None:
    """Wait for a terminated process; one still there after `limit_s` is killed (and said so), so
    that a slow shutdown never loses the figures a benchmark measured before it. (gunicorn gives
    its workers' open requests, a dashboard's socket among them, 30 s by default.)"""
    try:
        process.wait(timeout=limit_s)
    except subprocess.TimeoutExpired:
        print(f"{' '.join(map(str, process.args[-3:]))}: 未在 {limit_s:.0f} 秒内退出，已强制结束 / did not stop "
              f"within {limit_s:.0f} s of SIGTERM: killed", file=sys.stderr)
        process.kill()
        process.wait()


def wait_healthy(base: str, process, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with {process.returncode}")
        try:
            if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError(f"server at {base} did not become healthy")
