"""The atomic steps of an offer in Redis (hotline.ports.OfferSteps), and the dispatch lock.

Each step is one Lua script of live/scripts.py that re-checks the state it starts from;
this adapter only knows which keys each script touches and how values are written
(timestamps as seconds with milliseconds, counselor ids as strings).
"""
from __future__ import annotations

import secrets
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator, Sequence

import redis

from hotline.live import scripts
from hotline.live.keys import Keys
from hotline.live.queues import sid_of
from hotline.ports import QueuedCall, RingingOffer

LOCK_MS = 5000   # a dispatcher that dies holding the lock blocks the others this long at most


def _ts(at: datetime) -> str:
    return f"{at.timestamp():.3f}"


def _decoded(raw: dict) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in raw.items()}


class OfferScripts:
    """OfferSteps over one Redis client and one key prefix."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.redis = client
        self.keys = keys
        self._offer = client.register_script(scripts.MAKE_OFFER)
        self._accept = client.register_script(scripts.ACCEPT)
        self._withdraw = client.register_script(scripts.WITHDRAW)
        self._transition = client.register_script(scripts.TRANSITION)
        self._release = client.register_script(scripts.RELEASE_LOCK)
        self._leave = client.register_script(scripts.LEAVE)

    def _line_of(self, call_sid: str) -> str:
        line = self.redis.hget(self.keys.call(call_sid), "line")
        return line.decode() if line else ""

    def make_offer(self, call_sid: str, line_id: str, counselor_id: int, at: datetime, expires: datetime,
                   seen: Sequence[str]) -> int:
        keys = [self.keys.queue(line_id), self.keys.presence(), self.keys.call(call_sid),
                self.keys.offer(call_sid), self.keys.sequence(), self.keys.call("")]
        return int(self._offer(keys=keys, args=[call_sid, counselor_id, _ts(at), _ts(expires), *seen]))

    def accept(self, call_sid: str, counselor_id: int, at: datetime) -> bool:
        keys = [self.keys.offer(call_sid), self.keys.presence(), self.keys.call(call_sid),
                self.keys.queue(self._line_of(call_sid))]
        return bool(self._accept(keys=keys, args=[call_sid, counselor_id, _ts(at)]))

    def withdraw(self, call_sid: str, counselor_id: int, at: datetime, next_state: str, declined: bool) -> bool:
        keys = [self.keys.offer(call_sid), self.keys.presence(), self.keys.call(call_sid)]
        args = [call_sid, counselor_id, _ts(at), next_state, "1" if declined else "0"]
        return bool(self._withdraw(keys=keys, args=args))

    def leave(self, call_sid: str, at: datetime, reason: str) -> tuple[bool, int | None]:
        keys = [self.keys.call(call_sid), self.keys.offer(call_sid), self.keys.presence(),
                self.keys.queue(self._line_of(call_sid))]
        result = int(self._leave(keys=keys, args=[call_sid, _ts(at), reason]))
        return result > 0, (result - 1 if result > 1 else None)

    def transition(self, counselor_id: int, from_state: str, to_state: str, at: datetime,
                   until: datetime | None = None) -> bool:
        args = [counselor_id, from_state, to_state, _ts(at), _ts(until) if until else ""]
        return bool(self._transition(keys=[self.keys.presence()], args=args))

    def ringing(self, call_sid: str) -> RingingOffer | None:
        offer = _decoded(self.redis.hgetall(self.keys.offer(call_sid)))
        if not offer:
            return None
        expires = offer.get("expires")
        return RingingOffer(int(offer.get("counselor") or 0),
                            datetime.fromtimestamp(float(expires), tz=timezone.utc) if expires else None)

    def queue_heads(self, line_ids: Sequence[str], depth: int) -> list[QueuedCall]:
        pipe = self.redis.pipeline(transaction=False)
        for line_id in line_ids:
            pipe.zrange(self.keys.queue(line_id), 0, depth - 1)
        heads = [(line, sid_of(m)) for line, members in zip(line_ids, pipe.execute()) for m in members]
        for _, sid in heads:
            pipe.hgetall(self.keys.call(sid))
        return [QueuedCall(line, sid, _decoded(raw)) for (line, sid), raw in zip(heads, pipe.execute())]

    @contextmanager
    def dispatch_lock(self) -> Iterator[bool]:
        token = secrets.token_hex(8)
        lock = f"{self.keys.prefix}:dispatch-lock"
        held = bool(self.redis.set(lock, token, nx=True, px=LOCK_MS))
        try:
            yield held
        finally:
            if held:
                self._release(keys=[lock], args=[token])
