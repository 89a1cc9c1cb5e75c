"""The calls' coverage notices, announced once per gap (hotline.ports.CoverageNotices).

A line that is open with nobody working is announced when a call meets it, then not again
for `seconds`, whichever process the next calls reach: one SET NX EX per line, all in one
pipeline. Each process also remembers what it saw announced, so the calls after the first
do not ask Redis at all while the gap lasts.
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Sequence

import redis


class RedisCoverageNotices:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client = client
        self.prefix = prefix
        self._announced: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def claim(self, line_ids: Sequence[str], at: datetime, seconds: int) -> list[str]:
        window = timedelta(seconds=seconds)
        with self._lock:
            due = [line_id for line_id in line_ids if not self._recent(line_id, at, window)]
        if not due:
            return []
        pipe = self.client.pipeline(transaction=False)
        for line_id in due:
            pipe.set(f"{self.prefix}:calls:coverage-noticed:{line_id}", at.isoformat(), nx=True, ex=seconds)
        claimed = pipe.execute()
        with self._lock:
            self._announced.update({line_id: at for line_id in due})   # by us or by another process
        return [line_id for line_id, ok in zip(due, claimed) if ok]

    def _recent(self, line_id: str, at: datetime, window: timedelta) -> bool:
        seen = self._announced.get(line_id)
        return seen is not None and timedelta(0) <= at - seen < window
