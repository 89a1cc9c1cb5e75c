"""Failed sign-in counters: at most 5 per username and 20 per client IP per 15 minutes.

Counters live in Redis so every web process shares them. If Redis is down we fall
back to a counter in this process for a short while: a guesser is still slowed down,
and staff are never locked out (nor is a sign-in ever answered with an error).
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Protocol

log = logging.getLogger(__name__)

WINDOW_S = 15 * 60
MAX_PER_USER = 5
MAX_PER_IP = 20
REDIS_RETRY_S = 30.0    # after a Redis failure, use the local counter this long
MEMORY_MAX_KEYS = 10_000


class Counter(Protocol):
    def peek(self, key: str) -> tuple[int, int]: ...      # (count, seconds left)
    def bump(self, key: str) -> None: ...
    def clear(self, key: str) -> None: ...


class RedisCounter:
    """Fixed window: the first failure starts a 15-minute TTL, later ones only count."""

    def __init__(self, client) -> None:
        self.client = client

    def peek(self, key: str) -> tuple[int, int]:
        count, ttl = self.client.pipeline(transaction=False).get(key).ttl(key).execute()
        return int(count or 0), max(int(ttl or 0), 0)

    def bump(self, key: str) -> None:
        # SET NX EX then INCR (INCR keeps the TTL); works on Redis 6 (embedded) and 7.
        self.client.pipeline(transaction=True).set(key, 0, ex=WINDOW_S, nx=True).incr(key).execute()

    def clear(self, key: str) -> None:
        self.client.delete(key)


class MemoryCounter:
    """The same counter inside one process, for when Redis is unreachable."""

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
    """Asks Redis first; on any Redis error uses the in-process counter instead."""

    def __init__(self, redis_client: Callable[[], object], prefix: Callable[[], str]) -> None:
        self.redis_client = redis_client
        self.prefix = prefix
        self.memory = MemoryCounter()
        self.redis_down_until = 0.0

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

    def _user_key(self, username: str) -> str:
        return f"{self.prefix()}:login-fail:user:{username.strip().casefold()[:128]}"

    def _ip_key(self, ip: str) -> str:
        return f"{self.prefix()}:login-fail:ip:{ip}"

    def _call(self, method: str, key: str):
        if time.monotonic() >= self.redis_down_until:
            try:
                return getattr(RedisCounter(self.redis_client()), method)(key)
            except Exception as exc:  # any Redis trouble: count locally, never fail the sign-in
                self.redis_down_until = time.monotonic() + REDIS_RETRY_S
                log.warning("登录计数改用本进程 / Redis unavailable for sign-in limits, counting "
                            "in-process: %s", type(exc).__name__)
        return getattr(self.memory, method)(key)
