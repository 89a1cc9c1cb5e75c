"""What routing reads from Redis, in one pipeline (hotline.ports.RoutingReads, issue #18).

Before this, an incoming call read the call's hash, the flagged set, its sentinel, every
presence and the roster version each on its own round trip (and the hash again to enqueue).
One non-transactional pipeline gives the same answers: they are independent reads, so
nothing is lost by sending them together. Presence values are parsed once per value (most
counselors' presence does not change from one call to the next). The pipeline also carries
the Socket.IO events an earlier request left with the process's publisher (held_events.py).
"""
from __future__ import annotations

import threading
from contextlib import nullcontext
from typing import Sequence

import redis

from hotline.live.held_events import EventPublisher
from hotline.live.keys import Keys
from hotline.live.presence import from_json
from hotline.ports import Presence, RoutingReadout


class RedisRoutingReads:
    def __init__(self, client: redis.Redis, keys: Keys, roster_version_key: str, flagged_sentinel_key: str,
                 events: EventPublisher | None = None) -> None:
        self.redis = client
        self.events = events   # whose waiting events ride along
        self.keys = keys
        self.version_key = roster_version_key
        self.sentinel_key = flagged_sentinel_key
        self._parsed: dict[bytes, tuple[bytes, Presence]] = {}
        self._lock = threading.Lock()

    def read(self, call_sid: str, caller_keys: Sequence[str]) -> RoutingReadout:
        pipe = self.redis.pipeline(transaction=False)
        pipe.hgetall(self.keys.call(call_sid))
        pipe.hgetall(self.keys.presence())
        pipe.get(self.version_key)
        pipe.exists(self.sentinel_key)
        if caller_keys:
            pipe.smismember(self.keys.flagged(), list(caller_keys))
        with self.events.carry(pipe) if self.events is not None else nullcontext(0) as carried:
            replies = pipe.execute()
        call, presence, version, built, *flagged = replies[:len(replies) - carried]
        return RoutingReadout(call={k.decode(): v.decode() for k, v in call.items()},
                              presences=self._presences(presence), roster_version=int(version or 0),
                              flagged_hit=bool(flagged and any(flagged[0])), flagged_set_built=bool(built))

    def _presences(self, raw: dict[bytes, bytes]) -> tuple[Presence, ...]:
        found = []
        with self._lock:
            for counselor, value in raw.items():
                known = self._parsed.get(counselor)
                if known is None or known[0] != value:
                    known = (value, from_json(int(counselor), value))
                    self._parsed[counselor] = known
                found.append(known[1])
            if len(self._parsed) > 2 * len(raw) + 64:    # counselors who left: forget them
                self._parsed = {k: v for k, v in self._parsed.items() if k in raw}
        return tuple(found)
