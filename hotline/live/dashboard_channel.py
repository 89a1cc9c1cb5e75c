"""Seeing every event of every process: the Socket.IO channel in Redis, read directly.

Web workers, RQ workers and the simulator's counselors all publish their events on
one Redis channel (`<prefix>-socketio`, python-socketio's message queue). The
dashboard's leader subscribes to it too, so a change made anywhere — not only in
its own process — leads to a push. Only the event's name is read: what changed is
then read from Redis and the database, the same way for every push.
"""
from __future__ import annotations

import logging
import re
import threading
from typing import Callable

log = logging.getLogger(__name__)

_EMIT = re.compile(rb'"method":\s*"emit"')
_EVENT = re.compile(rb'"event":\s*"([^"\\]{1,64})"')


def event_of(raw: bytes | str) -> str | None:
    """The event name of one message on the channel (None if it is not an emit).

    Read with a regex on the message's head rather than json.loads: the channel also
    carries the dashboard's own snapshots, and parsing each of them would cost more
    than everything else the watcher does."""
    data = raw.encode() if isinstance(raw, str) else raw
    head = data[:256]
    if not _EMIT.search(head):
        return None
    match = _EVENT.search(head)
    return match.group(1).decode() if match else None


def watch_channel(redis_url: str, channel: str, on_event: Callable[[str | None], None],
                  listening: Callable[[], bool], stop: threading.Event) -> None:
    """Call on_event(name) for every emit on the channel while listening() is true;
    reconnect quietly (one warning per outage) while Redis is away; return on stop."""
    import redis

    warned = False
    while not stop.is_set():
        try:
            client = redis.Redis.from_url(redis_url, health_check_interval=10)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            pubsub.subscribe(channel)
            warned = False
            while not stop.is_set():
                message = pubsub.get_message(timeout=1.0)
                if message and message.get("type") == "message" and listening():
                    on_event(event_of(message["data"]))
            pubsub.close()
            client.close()
        except Exception as exc:
            if not warned:
                log.warning("监控事件通道中断，重试中 / dashboard channel lost, retrying: %s", type(exc).__name__)
                warned = True
            stop.wait(1.0)
