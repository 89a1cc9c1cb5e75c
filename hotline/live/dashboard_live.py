"""The live half of the dashboard, read from Redis in a few round trips (hotline.ports.FloorState).

Queues and presence are shared by every process through Redis, so any process can build
the same picture. A queue member starts with the caller's first arrival in milliseconds
(hotline/live/queues.py), which is what the dashboard measures waits from; its score is
minus the priority.
"""
from __future__ import annotations

from typing import Sequence

import redis

from hotline.live.keys import Keys
from hotline.live.queues import sid_of
from hotline.ports import QueuedCaller


def _arrived_ms(member: bytes | str) -> int:
    text = member.decode() if isinstance(member, bytes) else member
    return int(text.split(":", 1)[0])


class RedisFloor:
    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.client = client
        self.keys = keys

    def queued(self, line_ids: Sequence[str]) -> dict[str, list[QueuedCaller]]:
        """Every line's queue in order (one pipelined ZRANGE per line, then one HGET per caller
        for whether the number was withheld)."""
        pipe = self.client.pipeline(transaction=False)
        for line_id in line_ids:
            pipe.zrange(self.keys.queue(line_id), 0, -1, withscores=True)
        queues = list(zip(line_ids, pipe.execute()))
        for _line_id, scored in queues:
            for member, _score in scored:
                pipe.hget(self.keys.call(sid_of(member)), "withheld")
        withheld = iter(pipe.execute())
        return {line_id: [QueuedCaller(sid_of(member), _arrived_ms(member), int(-score), next(withheld) in (b"1", "1"))
                          for member, score in scored]
                for line_id, scored in queues}

    def lines_of_calls(self, call_sids: Sequence[str]) -> dict[str, str]:
        """The line of each call (its live hash's `line`), for calls that still have one."""
        if not call_sids:
            return {}
        pipe = self.client.pipeline(transaction=False)
        for sid in call_sids:
            pipe.hget(self.keys.call(sid), "line")
        return {sid: line.decode() for sid, line in zip(call_sids, pipe.execute()) if line}
