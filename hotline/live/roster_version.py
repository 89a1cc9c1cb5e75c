"""The roster version in Redis, and the hourly coverage-alert claim.

RosterVersion: one integer bumped after every committed roster change and read by every
process (at most about once a second): it tells a process's cached on-call snapshot that
the roster changed somewhere — in another web process, in the RQ worker, in the CLI —
without polling the database.

CoverageAlertGate: a key per line with the alert interval as its expiry, set only if
absent, so however many processes check, a line's gap is alerted once per interval.
"""
from __future__ import annotations

from datetime import datetime

import redis


class RedisRosterVersion:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client = client
        self.key = f"{prefix}:roster:version"

    def current(self) -> int:
        raw = self.client.get(self.key)
        return int(raw) if raw else 0

    def bump(self) -> None:
        self.client.incr(self.key)


class RedisCoverageAlertGate:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client = client
        self.prefix = prefix

    def claim(self, line_id: str, at: datetime, seconds: int) -> bool:
        key = f"{self.prefix}:roster:gap-alerted:{line_id}"
        return bool(self.client.set(key, at.isoformat(), nx=True, ex=seconds))
