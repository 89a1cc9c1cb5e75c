"""Real gunicorn (and nginx) processes for the deployment tests."""
from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from tests.servers import ROOT, free_port, server_env, wait_healthy

GUNICORN = Path(sys.executable).with_name("gunicorn")


class Gunicorn:
    def __init__(self, base: str, process: subprocess.Popen, log_path: Path) -> None:
        self.base, self.process, self.log_path = base, process, log_path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_lines(self) -> list[str]:
        return [line for line in self.log_path.read_text(encoding="utf-8").splitlines() if line.strip()]


@contextmanager
def running_gunicorn(tmp_path: Path, redis_url: str, redis_prefix: str, public_url: str | None = None,
                     **extra: str):
    """`gunicorn -c config/gunicorn.conf.py hotline.wsgi:app` on SQLite; yields a Gunicorn."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = server_env(tmp_path, f"sqlite:///{tmp_path / 'hotline.db'}", redis_url, redis_prefix,
                     public_url or base, HOTLINE_WEB_BIND=f"127.0.0.1:{port}", **extra)
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([str(GUNICORN), "-c", "config/gunicorn.conf.py", "hotline.wsgi:app"],
                                   env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    server = Gunicorn(base, process, log_path)
    try:
        wait_healthy(base, process, timeout=60)
        yield server
    finally:
        server.stop()
