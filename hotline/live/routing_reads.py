"""What routing reads from Redis, in one pipeline (hotline.ports.RoutingReads, issue #18).

Before this, an incoming call read the call's hash, the flagged set, its sentinel, every
presence and the roster version each on its own round trip (and the hash again to enqueue).
One non-transactional pipeline gives the same answers: they are independent reads, so
nothing is lost by sending them together. Presence values are parsed once per value (most
counselors' presence does not change from one call to the next). The pipeline also carries
the Socket.IO events an earlier request left with the process's publisher (held_events.py).

A new call needs no read of its own most of the time: presence and the roster version change
far less often than calls arrive, so routing decides on what the last read saw (`remembered`)
and the step it decides on goes to Redis with the check that it still holds, in one script
(scripts.NEW_CALL_STEP): a queued or transferred call is then one round trip. When it no
longer holds, the script changes nothing and answers the reads instead, and routing decides
again on them (two round trips, as before). The step goes out on the request thread's own
connection (thread_client.py): no pool checkout and check-in around it.
"""
from __future__ import annotations

import hashlib
import threading
from contextlib import nullcontext
from datetime import datetime
from typing import Sequence

import redis

from hotline.live import scripts
from hotline.live.held_events import EventPublisher
from hotline.live.keys import Keys
from hotline.live.presence import from_json
from hotline.live.queues import enqueue_args, enqueue_keys, waiting_from
from hotline.live.record_stream import RecordCarrier
from hotline.live.thread_client import ThreadClient
from hotline.ports import LiveFactsChanged, Presence, RecordOp, RoutingReadout, Waiting


class RedisRoutingReads:
    def __init__(self, client: redis.Redis, keys: Keys, roster_version_key: str, flagged_sentinel_key: str,
                 events: EventPublisher | None = None, records: RecordCarrier | None = None) -> None:
        self.redis = client
        self.events = events   # whose waiting events ride along
        self.records = records   # where a new call's step puts its record (it rides on the script)
        self.keys = keys
        self.version_key = roster_version_key
        self.sentinel_key = flagged_sentinel_key
        self.presences = PresenceCache()
        self._last: RoutingReadout | None = None
        self._own = ThreadClient(client)
        self._step = client.register_script(scripts.NEW_CALL_STEP)

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
        return self._remember(call, presence, version, built, flagged[0] if flagged else ())

    def remembered(self) -> RoutingReadout | None:
        return self._last

    def enqueue_unless_changed(self, seen: RoutingReadout, caller_keys: Sequence[str], call_sid: str, line_id: str,
                               priority: int, at: datetime, record: RecordOp, **fields) -> Waiting:
        with self._riding(record) as entry:
            stream, payload = entry or (self.keys.record_stream(), "")
            answer = self._take(seen, caller_keys, stream,
                                enqueue_args(call_sid, line_id, priority, at, payload, fields), call_sid)
        return waiting_from(call_sid, line_id, answer)

    def record_unless_changed(self, seen: RoutingReadout, caller_keys: Sequence[str], call_sid: str,
                              record: RecordOp) -> None:
        with self._riding(record) as entry:
            stream, payload = entry or (self.keys.record_stream(), "")
            self._take(seen, caller_keys, stream, [call_sid, "", "", "", "", payload], call_sid)

    def _riding(self, record: RecordOp):
        if self.records is None:
            raise ValueError("RedisRoutingReads 未接记录去处 / no record carrier: build it with records=")
        return self.records.riding(record)

    def _take(self, seen: RoutingReadout, caller_keys: Sequence[str], stream: str, step: list, call_sid: str):
        """scripts.NEW_CALL_STEP, which also publishes the events waiting to be sent: its answer
        when taken, else LiveFactsChanged (raised inside the riding block: the record entry was
        not appended). One command: no pipeline to build."""
        keys = [*enqueue_keys(self.keys, call_sid, stream), self.keys.presence(), self.version_key,
                self.sentinel_key, self.keys.flagged()]
        with self.events.taking() if self.events is not None else nullcontext([]) as carried:
            args = [seen.seen, str(seen.roster_version), len(caller_keys), *caller_keys, len(carried)]
            for channel, message in carried:
                args += [channel, message]
            # on the thread's own connection; loaded again by redis-py after a restart or flush
            reply = self._step(keys=keys, args=[*args, *step], client=self._own.get())
        if int(reply[0]) == 1:
            return reply[1] if len(reply) > 1 else None
        _, call, presence, version, built, hits = reply
        raise LiveFactsChanged(self._remember(_pairs(call), _pairs(presence), version, built, hits))

    def _remember(self, call: dict, presence: dict, version, built, hits) -> RoutingReadout:
        readout = RoutingReadout(call={k.decode(): v.decode() for k, v in call.items()},
                                 presences=self.presences.parse(presence), roster_version=int(version or 0),
                                 flagged_hit=any(hits), flagged_set_built=bool(built),
                                 seen=presence_digest(presence))
        self._last = RoutingReadout(call={}, presences=readout.presences, roster_version=readout.roster_version,
                                    flagged_hit=False, flagged_set_built=readout.flagged_set_built, seen=readout.seen)
        return readout


class PresenceCache:
    """Presence values parsed once per value: most counselors' presence does not change from one
    call to the next (shared by the routing and the wait-round reads of a process)."""

    def __init__(self) -> None:
        self._parsed: dict[bytes, tuple[bytes, Presence]] = {}
        self._lock = threading.Lock()

    def parse(self, raw: dict[bytes, bytes]) -> tuple[Presence, ...]:
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


def presence_digest(presence: dict[bytes, bytes]) -> str:
    """SHA-1 over the presence hash's fields and values in HGETALL's order, joined by newlines:
    what scripts.NEW_CALL_STEP computes of it in Redis."""
    return hashlib.sha1(b"\n".join(part for pair in presence.items() for part in pair)).hexdigest()


def _pairs(flat: list) -> dict:
    return dict(zip(flat[::2], flat[1::2]))
