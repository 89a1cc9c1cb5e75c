"""Failed sign-in counters: at most 5 per username and 20 per client IP per 15 minutes.

The counters live in Redis so every web process shares them (a FailureCounter adapter,
hotline/live/sign_in_counter.py). If Redis fails we fall back to a counter in this
process for a short while: a guesser is still slowed down, and staff are never locked
out (nor is a sign-in ever answered with an error).
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from hotline.ports import FailureCounter

log = logging.getLogger(__name__)

WINDOW_S = 15 * 60
MAX_PER_USER = 5
MAX_PER_IP = 20
REDIS_RETRY_S = 30.0    # after a Redis failure, use the local counter this long
MEMORY_MAX_KEYS = 10_000


class MemoryCounter:
    """The same fixed-window counter inside one process, for when Redis is unreachable."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.lock = threading.Lock()
        self.entries: dict[str, tuple[int, float]] = {}

    def peek(self, key: str) -> tuple[int, int]:
        with self.lock:
            count, expires = self.entries.get(key, (0, 0.0))
            left = expires - self.clock()
            return (count, int(left) + 1) if left > 0 else (0, 0)

    def bump(self, key: str) -> None:
        with self.lock:
            now = self.clock()
            count, expires = self.entries.get(key, (0, 0.0))
            if expires <= now:
                count, expires = 0, now + WINDOW_S
            self.entries[key] = (count + 1, expires)
            if len(self.entries) > MEMORY_MAX_KEYS:
                self._prune(now)

    def clear(self, key: str) -> None:
        with self.lock:
            self.entries.pop(key, None)

    def _prune(self, now: float) -> None:
        self.entries = {k: v for k, v in self.entries.items() if v[1] > now}


class LoginLimiter:
    """Asks the shared counter first; on any error of it uses the in-process one instead."""

    def __init__(self, shared: FailureCounter, clock: Callable[[], float] = time.monotonic) -> None:
        self.shared = shared
        self.clock = clock
        self.memory = MemoryCounter(clock)
        self.shared_down_until = 0.0

    def retry_after(self, username: str, ip: str) -> int:
        """Seconds until another attempt is allowed; 0 when it is allowed now."""
        user_count, user_left = self._call("peek", self._user_key(username))
        ip_count, ip_left = self._call("peek", self._ip_key(ip))
        blocked = [left for count, left, limit in ((user_count, user_left, MAX_PER_USER),
                                                   (ip_count, ip_left, MAX_PER_IP)) if count >= limit]
        return max(max(blocked), 1) if blocked else 0

    def record_failure(self, username: str, ip: str) -> None:
        self._call("bump", self._user_key(username))
        self._call("bump", self._ip_key(ip))

    def reset_user(self, username: str) -> None:
        """After a success the name starts afresh; the IP counter deliberately does not."""
        self._call("clear", self._user_key(username))

    @staticmethod
    def _user_key(username: str) -> str:
        return f"user:{username.strip().casefold()[:128]}"

    @staticmethod
    def _ip_key(ip: str) -> str:
        return f"ip:{ip}"

    def _call(self, method: str, key: str):
        if self.clock() >= self.shared_down_until:
            try:
                return getattr(self.shared, method)(key)
            except Exception as exc:  # any Redis trouble: count locally, never fail the sign-in
                self.shared_down_until = self.clock() + REDIS_RETRY_S
                log.warning("登录计数改用本进程 / Redis unavailable for sign-in limits, counting "
                            "in-process: %s", type(exc).__name__)
        return getattr(self.memory, method)(key)
