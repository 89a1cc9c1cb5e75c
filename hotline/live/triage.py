"""Triage's live state in Redis: the flagged caller set the router reads, the one-time
claims of a call's risk actions, and what a re-keyed caller takes along.

Key names are the deployment's (hotline.live.keys): `<prefix>:flagged` and its sentinel
`<prefix>:flagged:built`, `<prefix>:triage:done:<call>:<action>` (kept a week),
`<prefix>:last-counselor` (continuity, the console's).
"""
from __future__ import annotations

import logging
from typing import Sequence

import redis

from hotline.live.keys import Keys

log = logging.getLogger(__name__)
CLAIM_TTL_S = 7 * 24 * 3600


class RedisFlaggedSet:
    """hotline.ports.FlaggedSet: members are caller keys; the sentinel marks a built set."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.redis, self.keys = client, keys

    @property
    def sentinel_key(self) -> str:
        return f"{self.keys.flagged()}:built"

    def add(self, caller_key: str) -> None:
        self.redis.sadd(self.keys.flagged(), caller_key)

    def remove(self, caller_key: str) -> None:
        self.redis.srem(self.keys.flagged(), caller_key)

    def any_flagged(self, caller_keys: Sequence[str]) -> bool:
        if len(caller_keys) == 1:
            return bool(self.redis.sismember(self.keys.flagged(), caller_keys[0]))
        return any(self.redis.smismember(self.keys.flagged(), list(caller_keys)))

    def is_built(self) -> bool:
        return bool(self.redis.exists(self.sentinel_key))

    def rebuild(self, caller_keys: Sequence[str]) -> None:
        pipe = self.redis.pipeline()
        if caller_keys:
            pipe.sadd(self.keys.flagged(), *caller_keys)
        pipe.set(self.sentinel_key, "1")
        pipe.execute()


class RedisOnceClaims:
    """hotline.ports.OnceClaims: SET NX, so the first process to ask wins, for a week."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.redis, self.keys = client, keys

    def _key(self, call_sid: str, action: str) -> str:
        return f"{self.keys.prefix}:triage:done:{call_sid}:{action}"

    def claim(self, call_sid: str, action: str) -> bool:
        return bool(self.redis.set(self._key(call_sid, action), "1", nx=True, ex=CLAIM_TTL_S))

    def release(self, call_sid: str, action: str) -> None:
        self.redis.delete(self._key(call_sid, action))


class RedisCallerKeys:
    """hotline.ports.LiveCallerKeys: a re-keyed caller keeps their flag and their last counselor."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.redis, self.keys = client, keys

    def move(self, old: str, new: str) -> None:
        r, keys = self.redis, self.keys
        if r.sismember(keys.flagged(), old):
            r.sadd(keys.flagged(), new)
            r.srem(keys.flagged(), old)
        last = r.hget(keys.last_counselor(), old)
        if last is not None:
            r.hset(keys.last_counselor(), new, last)
            r.hdel(keys.last_counselor(), old)
