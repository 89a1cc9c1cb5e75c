"""The sign-in limits' counters (hotline.ports.RateWindow, FailureStreaks), in Redis for
every web process, or in this process while Redis is down.

RateWindow is the `limits` library (the engine of Flask-Limiter) with its moving-window
strategy, on Redis (keys `<prefix>:limits/…`, through the process's own connection pool,
so the embedded Redis and its Unix socket need nothing more) or on its MemoryStorage.
FailureStreaks is a small Redis hash per key, `<prefix>:login-streak:<key>` = {n, last},
expiring a day after the last failure.
"""
from __future__ import annotations

import threading
import time
from typing import Callable

import redis
from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

MEMORY_MAX_KEYS = 10_000


class LimitsWindow:
    """`count` hits per `window_s` seconds per key, in one `limits` storage."""

    def __init__(self, storage: Storage, namespace: str, count: int, window_s: int) -> None:
        self.limiter = MovingWindowRateLimiter(storage)
        self.item = RateLimitItemPerSecond(count, window_s, namespace=namespace)

    def hit(self, key: str) -> int:
        self.limiter.hit(self.item, key)
        return max(self.limiter.get_window_stats(self.item, key).remaining, 0)

    def wait(self, key: str) -> int:
        if self.limiter.test(self.item, key):
            return 0
        return max(int(self.limiter.get_window_stats(self.item, key).reset_time - time.time()) + 1, 1)

    def clear(self, key: str) -> None:
        self.limiter.clear(self.item, key)


def redis_limits_storage(client: redis.Redis, prefix: str) -> RedisStorage:
    """A `limits` storage on the process's Redis client (its pool: same server, socket, timeouts)."""
    return RedisStorage("redis://", connection_pool=client.connection_pool, key_prefix=f"{prefix}:limits")


def memory_limits_storage() -> MemoryStorage:
    return MemoryStorage()


class RedisStreaks:
    def __init__(self, client: redis.Redis, prefix: str, ttl_s: int) -> None:
        self.client, self.prefix, self.ttl_s = client, prefix, ttl_s

    def _key(self, key: str) -> str:
        return f"{self.prefix}:login-streak:{key}"

    def get(self, key: str) -> tuple[int, float]:
        values = self.client.hmget(self._key(key), "n", "last")
        return int(values[0] or 0), float(values[1] or 0.0)

    def add(self, key: str, at: float) -> int:
        full = self._key(key)
        count, *_ = (self.client.pipeline(transaction=True).hincrby(full, "n", 1).hset(full, "last", at)
                     .expire(full, self.ttl_s).execute())
        return int(count)

    def clear(self, key: str) -> None:
        self.client.delete(self._key(key))


class MemoryStreaks:
    """The same streaks inside one process (for when Redis is unreachable)."""

    def __init__(self, ttl_s: int, clock: Callable[[], float] = time.time) -> None:
        self.ttl_s, self.clock = ttl_s, clock
        self.lock = threading.Lock()
        self.entries: dict[str, tuple[int, float]] = {}

    def get(self, key: str) -> tuple[int, float]:
        with self.lock:
            count, last = self.entries.get(key, (0, 0.0))
            return (count, last) if last + self.ttl_s > self.clock() else (0, 0.0)

    def add(self, key: str, at: float) -> int:
        count = self.get(key)[0] + 1
        with self.lock:
            self.entries[key] = (count, at)
            if len(self.entries) > MEMORY_MAX_KEYS:
                now = self.clock()
                self.entries = {k: v for k, v in self.entries.items() if v[1] + self.ttl_s > now}
        return count

    def clear(self, key: str) -> None:
        with self.lock:
            self.entries.pop(key, None)
