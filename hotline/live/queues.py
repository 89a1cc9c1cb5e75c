"""The order of waiting callers, shared by every process through Redis.

Twilio holds the caller's audio; this queue holds the order: priority first, then
arrival. A rolled-over caller keeps their original arrival time, so they do not
go to the back of the next line's queue.

The same store answers the waiting caller's other questions (wait rounds heard, the
line's learned handling time) and tells a fresh Redis from a running one (the epoch
marker), so lost queues can be rebuilt from the record.
"""
from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime, timezone

import redis

from hotline.live import scripts
from hotline.live.keys import Keys
from hotline.live.record_stream import RecordCarrier
from hotline.ports import RecordOp, Waiting

# Members sort by score (minus the priority), then lexicographically by member,
# which starts with the zero-padded arrival time and an arrival sequence number:
# exact arrival order even for callers who arrive in the same millisecond.
# (scripts.ENQUEUE writes them: f"{arrived_ms:015d}:{sequence:012d}:{call_sid}").


def sid_of(member: bytes | str) -> str:
    text = member.decode() if isinstance(member, bytes) else member
    return text.rsplit(":", 1)[-1]


CALL_TTL_S = 6 * 3600   # a call's live hash outlives any call


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def _from_ms(value) -> datetime:
    return datetime.fromtimestamp(int(value) / 1000, tz=timezone.utc)


class QueueStore:
    def __init__(self, client: redis.Redis, keys: Keys, records: RecordCarrier | None = None) -> None:
        self.redis = client
        self.keys = keys
        self.records = records   # where a change recorded with the enqueue goes (it rides on the script)
        self._enqueue = client.register_script(scripts.ENQUEUE)
        self._position = client.register_script(scripts.POSITION)

    def enqueue(self, call_sid: str, line_id: str, priority: int, at: datetime, *, record: RecordOp | None = None,
                **fields) -> Waiting:
        """Put a call in a line's queue and return its place, in one round trip (scripts.ENQUEUE);
        a repeated request keeps the first place. `record` (and what the request held before it)
        goes into the record stream in the same script: queued and recorded, or neither."""
        with self._carrying(record) as entry:
            stream, payload = entry or (self.keys.record_stream(), "")
            answer = self._enqueue(keys=enqueue_keys(self.keys, call_sid, stream),
                                   args=enqueue_args(call_sid, line_id, priority, at, payload, fields))
        return waiting_from(call_sid, line_id, answer)

    def _carrying(self, record: RecordOp | None):
        if record is None:
            return nullcontext(None)
        if self.records is None:
            raise ValueError("QueueStore 未接记录去处，不能同时记录 / this QueueStore has no record carrier: "
                             "build it with records= to enqueue with a record")
        return self.records.riding(record)

    def position(self, call_sid: str) -> Waiting | None:
        return place_from(call_sid, self._position(keys=[self.keys.call(call_sid), self.keys.queue("")]))

    def remove(self, call_sid: str) -> str | None:
        """Take a call out of whatever queue it is in; returns that line."""
        state = self.call_state(call_sid)
        line_id, member = state.get("line"), state.get("member")
        if line_id and member and self.redis.zrem(self.keys.queue(line_id), member):
            return line_id
        return None

    def waiting(self, line_id: str) -> list[str]:
        return [sid_of(m) for m in self.redis.zrange(self.keys.queue(line_id), 0, -1)]

    def length(self, line_id: str) -> int:
        return int(self.redis.zcard(self.keys.queue(line_id)))

    def lengths(self, line_ids) -> dict[str, int]:
        pipe = self.redis.pipeline(transaction=False)
        ids = list(line_ids)
        for line_id in ids:
            pipe.zcard(self.keys.queue(line_id))
        return dict(zip(ids, (int(n) for n in pipe.execute())))

    def call_state(self, call_sid: str) -> dict[str, str]:
        raw = self.redis.hgetall(self.keys.call(call_sid))
        return {k.decode(): v.decode() for k, v in raw.items()}

    def annotate(self, call_sid: str, **fields) -> None:
        key = self.keys.call(call_sid)
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(key, mapping=_strings(fields))
        pipe.expire(key, CALL_TTL_S)
        pipe.execute()

    def forget(self, call_sid: str) -> None:
        self.remove(call_sid)
        self.redis.delete(self.keys.call(call_sid))

    def count_round(self, call_sid: str) -> int:
        """One more wait round heard by this caller; how many so far."""
        return int(self.redis.hincrby(self.keys.call(call_sid), "rounds", 1))

    def handle_time(self, line_id: str) -> float | None:
        """The line's learned handling time (seconds), written as calls end."""
        value = self.redis.hget(self.keys.line_stats(line_id), "handle_s")
        return float(value) if value else None

    def start(self, at: datetime) -> bool:
        """Set the epoch marker unless it is there: True when this Redis was empty of it."""
        return bool(self.redis.set(self.keys.epoch(), at.isoformat(), nx=True))


def enqueue_keys(keys: Keys, call_sid: str, stream: str) -> list[str]:
    """scripts.ENQUEUE's KEYS (NEW_CALL_STEP's first five)."""
    return [keys.call(call_sid), keys.sequence(), keys.queues_index(), keys.queue(""), stream]


def enqueue_args(call_sid: str, line_id: str, priority: int, at: datetime, entry: str, fields: dict) -> list:
    """scripts.ENQUEUE's ARGV: `entry` is the record-stream entry ('' for none), then the fields."""
    args = [call_sid, line_id, priority, _ms(at), CALL_TTL_S, entry]
    for name, value in _strings(fields).items():
        args += [name, value]
    return args


def waiting_from(call_sid: str, line_id: str, answer) -> Waiting:
    """The call's place from scripts.ENQUEUE's answer."""
    rank, length, kept_priority, arrived, enqueued = answer
    return Waiting(call_sid, line_id, int(rank) + 1, int(length), int(kept_priority or 0), _from_ms(arrived),
                   _from_ms(enqueued))


def place_from(call_sid: str, found) -> Waiting | None:
    """The call's place from scripts.POSITION's answer (None: not in its queue)."""
    if not found:
        return None
    rank, length, line_id, priority, arrived, enqueued = found
    return Waiting(call_sid, _text(line_id), int(rank) + 1, int(length), int(priority or 0), _from_ms(arrived),
                   _from_ms(enqueued))


def _strings(fields: dict) -> dict[str, str]:
    return {k: ("" if v is None else str(v)) for k, v in fields.items()}
