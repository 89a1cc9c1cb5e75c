"""Failed sign-ins counted in Redis (hotline.ports.FailureCounter), shared by every web
process: `<prefix>:login-fail:user:<name>` and `<prefix>:login-fail:ip:<address>`.

Fixed window: the first failure starts the window's TTL, later ones only count.
"""
from __future__ import annotations

import redis


class RedisFailureCounter:
    def __init__(self, client: redis.Redis, prefix: str, window_s: int) -> None:
        self.client = client
        self.prefix = prefix
        self.window_s = window_s

    def _key(self, key: str) -> str:
        return f"{self.prefix}:login-fail:{key}"

    def peek(self, key: str) -> tuple[int, int]:
        full = self._key(key)
        count, ttl = self.client.pipeline(transaction=False).get(full).ttl(full).execute()
        return int(count or 0), max(int(ttl or 0), 0)

    def bump(self, key: str) -> None:
        # SET NX EX then INCR (INCR keeps the TTL); works on Redis 6 (embedded) and 7.
        full = self._key(key)
        self.client.pipeline(transaction=True).set(full, 0, ex=self.window_s, nx=True).incr(full).execute()

    def clear(self, key: str) -> None:
        self.client.delete(self._key(key))
