"""How the dashboard feed hears of changes and where its snapshots go (Socket.IO, Redis).

Web workers, RQ workers and the simulator's counselors all publish their events on
one Redis channel (`<prefix>-socketio`, python-socketio's message queue). The
dashboard's leader subscribes to it too (ChannelChanges), so a change made anywhere —
not only in its own process — leads to a push. Only the event's name is read: what
changed is then read from Redis and the database, the same way for every push.
Without a message queue (tests, one process) the feed listens to this process's
event bus instead (LocalChanges).
"""
from __future__ import annotations

import logging
import re
import threading
import time
from typing import Callable

import redis

from hotline.live.events import EventBus
from hotline.ports import DASHBOARD_ROOM

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


RESUBSCRIBED = "channel-resubscribed"   # what on_event hears when listening (re)starts: events were missed
LISTENING_CHECK_S = 1.0


def watch_channel(redis_url: str, channel: str, on_event: Callable[[str | None], None],
                  listening: Callable[[], bool], stop: threading.Event) -> None:
    """Call on_event(name) for every emit on the channel while listening() is true (asked about
    once a second); reconnect quietly (one warning per outage) while Redis is away; return on stop.

    Subscribed only while listening: every call publishes several events, and reading them all
    in a process that does not push (a follower, or a leader nobody watches) was ~9 % of the web
    processes' Python time at 250 calls/s (issue #18). Whenever listening starts again, on_event hears
    RESUBSCRIBED, since what happened meanwhile was not heard."""
    warned = False
    while not stop.is_set():
        try:
            client = redis.Redis.from_url(redis_url, health_check_interval=10)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            subscribed = False
            while not stop.is_set():
                if not listening():
                    if subscribed:
                        pubsub.unsubscribe(channel)
                        subscribed = False
                        _drain(pubsub)
                    stop.wait(LISTENING_CHECK_S)
                    continue
                if not subscribed:
                    pubsub.subscribe(channel)
                    warned, subscribed = False, True
                    on_event(RESUBSCRIBED)
                _read_for(pubsub, on_event, LISTENING_CHECK_S, stop)
            pubsub.close()
            client.close()
        except Exception as exc:
            if not warned:
                log.warning("监控事件通道中断，重试中 / dashboard channel lost, retrying: %s", type(exc).__name__)
                warned = True
            stop.wait(1.0)


def _drain(pubsub, limit: int = 100_000) -> None:
    """Read what arrived before the unsubscribe took effect, up to its confirmation (None)."""
    for _ in range(limit):
        if pubsub.get_message(timeout=0.05) is None:
            return


def _read_for(pubsub, on_event: Callable[[str | None], None], seconds: float, stop: threading.Event) -> None:
    deadline = time.monotonic() + seconds
    while not stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            return
        message = pubsub.get_message(timeout=left)
        if message and message.get("type") == "message":
            on_event(event_of(message["data"]))


class ChannelChanges:
    """Every process's events (hotline.ports.ChangeSource), read in a thread of their own."""

    def __init__(self, redis_url: Callable[[], str], channel: str) -> None:
        self.redis_url = redis_url
        self.channel = channel
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, on_event: Callable[[str | None], None], listening: Callable[[], bool]) -> None:
        def watch() -> None:
            watch_channel(self.redis_url(), self.channel, on_event, listening, self._stop)

        self._thread = threading.Thread(target=watch, name="dashboard-channel", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)


class LocalChanges:
    """This process's events only (hotline.ports.ChangeSource): a listener on its EventBus."""

    def __init__(self, bus: Callable[[], EventBus]) -> None:
        self.bus = bus
        self._listening: tuple[EventBus, Callable] | None = None

    def start(self, on_event: Callable[[str | None], None], listening: Callable[[], bool]) -> None:
        def listener(event: str, payload, rooms) -> None:
            on_event(event)

        bus = self.bus()
        bus.listeners.append(listener)
        self._listening = (bus, listener)

    def stop(self) -> None:
        if self._listening is not None:
            bus, listener = self._listening
            if listener in bus.listeners:
                bus.listeners.remove(listener)
            self._listening = None


class SocketIOSnapshots:
    """Dashboard snapshots to the dashboard room (hotline.ports.SnapshotSink), through the
    web process's Socket.IO server (none outside a web process)."""

    def __init__(self, socketio: Callable[[], object | None]) -> None:
        self.socketio = socketio

    def ready(self) -> bool:
        return self.socketio() is not None

    def emit(self, snapshot: dict) -> None:
        self.socketio().emit("dashboard", snapshot, to=DASHBOARD_ROOM)
