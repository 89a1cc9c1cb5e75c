"""What the floor remembers between calls, in Redis: the counselor who last spoke with each
caller (continuity: a repeat caller is held briefly for them) and each line's learned
handling time (the callers' expected wait is computed from it).

hotline.ports.Continuity and hotline.ports.HandleTimes; the decisions (how long to hold a
caller, how the handling time is averaged) are the use cases'.
"""
from __future__ import annotations

from typing import Sequence

import redis

from hotline.live.keys import Keys


class FloorMemory:
    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.redis = client
        self.keys = keys

    def last_counselors(self, caller_keys: Sequence[str]) -> dict[str, int]:
        callers = list(caller_keys)
        if not callers:
            return {}
        values = self.redis.hmget(self.keys.last_counselor(), callers)
        return {caller: int(value) for caller, value in zip(callers, values) if value}

    def remember(self, caller_key: str, counselor_id: int) -> None:
        self.redis.hset(self.keys.last_counselor(), caller_key, counselor_id)

    def handle_time(self, line_id: str) -> float | None:
        value = self.redis.hget(self.keys.line_stats(line_id), "handle_s")
        return None if value is None else float(value)

    def set_handle_time(self, line_id: str, seconds: float) -> None:
        self.redis.hset(self.keys.line_stats(line_id), "handle_s", round(seconds, 1))
