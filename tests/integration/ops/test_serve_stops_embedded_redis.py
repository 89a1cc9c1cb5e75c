"""`hotline serve` on the embedded Redis: Ctrl-C (SIGINT) or SIGTERM stops the server and
its private redis-server — no redis-server is left running afterwards."""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import requests

from tests.servers import ROOT, free_port, server_env, wait_healthy


def redis_pid(instance: Path, timeout: float = 15.0) -> int:
    deadline = time.monotonic() + timeout
    pidfile = instance / "redis.pid"
    while time.monotonic() < deadline:
        if pidfile.exists() and pidfile.read_text().strip():
            return int(pidfile.read_text().strip())
        time.sleep(0.1)
    raise AssertionError("the embedded Redis did not start")


def gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_stopping_serve_stops_its_embedded_redis(tmp_path, stop):
    env = server_env(tmp_path, f"sqlite:///{tmp_path / 'hotline.db'}", "embedded", "t", "http://127.0.0.1")
    env.pop("HOTLINE_REDIS_URL")                         # unset: the embedded Redis
    port = free_port()
    with open(tmp_path / "serve.log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "hotline", "serve", "--port", str(port)], env=env,
                                   cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_healthy(base, process)
            requests.get(f"{base}/readyz", timeout=20)      # pings Redis: the embedded one starts
            pid = redis_pid(tmp_path)
            name = psutil.Process(pid).name()
            assert "redis" in name, name
            process.send_signal(stop)
            assert process.wait(timeout=20) is not None
        finally:
            if process.poll() is None:
                process.kill()
    assert gone(pid), f"redis-server {pid} is still running"
    assert "embedded Redis stopped" in (tmp_path / "serve.log").read_text(errors="replace")
