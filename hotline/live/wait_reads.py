"""What one wait round reads from Redis, in one pipeline (hotline.ports.WaitReads, issue #18).

Twilio asks the wait URL of every waiting caller round after round. A round used to note the
QueueSid, then ask the call's place, its hash, presence and the line's handling time each on its
own round trip (six in all, with the round's count). They are independent, so one
non-transactional pipeline gives the same answers; the place is still scripts.POSITION (run
in the pipeline, loaded again after a Redis restart). The pipeline also carries the events
other requests left with the process's publisher. Only a round that announces the place adds
its count (WaitRounds.count_round): two round trips.
"""
from __future__ import annotations

from contextlib import nullcontext

import redis
from redis.exceptions import NoScriptError

from hotline.live import scripts
from hotline.live.held_events import EventPublisher
from hotline.live.keys import Keys
from hotline.live.queues import CALL_TTL_S, place_from
from hotline.live.routing_reads import PresenceCache
from hotline.ports import WaitReadout


class RedisWaitReads:
    def __init__(self, client: redis.Redis, keys: Keys, roster_version_key: str, presences: PresenceCache,
                 events: EventPublisher | None = None) -> None:
        self.redis = client
        self.keys = keys
        self.version_key = roster_version_key
        self.presences = presences
        self.events = events
        self._position = client.register_script(scripts.POSITION)

    def read(self, call_sid: str, line_id: str, queue_sid: str | None) -> WaitReadout:
        call = self.keys.call(call_sid)
        position_keys = [call, self.keys.queue("")]
        pipe = self.redis.pipeline(transaction=False)
        if queue_sid:
            pipe.hset(call, "queue_sid", queue_sid)
            pipe.expire(call, CALL_TTL_S)
        pipe.evalsha(self._position.sha, len(position_keys), *position_keys)
        pipe.hgetall(call)
        pipe.hget(self.keys.line_stats(line_id), "handle_s")
        pipe.hgetall(self.keys.presence())
        pipe.get(self.version_key)
        with self.events.carry(pipe) if self.events is not None else nullcontext(0) as carried:
            replies = pipe.execute(raise_on_error=False)
        noted, replies = replies[:2 if queue_sid else 0], replies[2 if queue_sid else 0:len(replies) - carried]
        for reply in (*noted, *replies[1:]):
            if isinstance(reply, Exception):
                raise reply
        place, state, handle, presence, version = replies
        if isinstance(place, NoScriptError):   # a Redis that restarted or was flushed: loaded, once
            place = self._position(keys=position_keys)
        elif isinstance(place, Exception):
            raise place
        return WaitReadout(place_from(call_sid, place), {k.decode(): v.decode() for k, v in state.items()},
                           float(handle) if handle else None, self.presences.parse(presence), int(version or 0))
