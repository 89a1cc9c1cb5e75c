"""Socket.IO events of one request, held and sent with its record entry (issue #18).

A webhook used to publish each event on its own round trip to Redis, then its record entry on
another. While a request's record batch is open (hotline/app.py, unless
HOTLINE_RECORD_WRITES=web), `HeldRedisManager` keeps what it would publish, and the batch
sends it in the same pipeline as the record entry: one round trip for both. Browsers on this
process get an event at once as before (Socket.IO delivers locally before publishing); other
processes get it when the request ends, a few milliseconds later.

A request whose record changes already left (a queued call's ride with the enqueue script)
has no round trip of its own left at its end: its events go to the process's `EventPublisher`,
so no caller waits for them. The next request's routing reads carry them in their pipeline
(`carry`: a few PUBLISH more on a round trip made anyway), or a new call's step script
publishes them itself (`taking`: no command of their own); when no request comes within
CARRY_WAIT_S of the oldest waiting event, the publisher's thread sends them itself, all that
gathered in one pipeline. The thread wakes once per wait, not once per event: a submit wakes
it only when it is parked with nothing to send, and events newer than the wait are left for
the next carrier. Under steady calls the requests carry nearly everything (with a 5 ms
wait and a call every 8 ms per process, the thread had sent almost every event on a round
trip of its own, after two wake-ups per event).
Events stay in order: once one request's events went to the publisher, later requests' events
follow them there until they are sent, and only one sender takes them at a time.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Iterator

import redis
from socketio import RedisManager

log = logging.getLogger(__name__)
# how long the oldest waiting event waits for a request's round trip before the thread sends
# it: other processes' browsers see an event at most this much later (this process's at once)
CARRY_WAIT_S = 0.02
Held = list[tuple[str, str]]   # (channel, message) in the order they were published
_held: ContextVar[Held | None] = ContextVar("held_events", default=None)


def hold() -> tuple[Held, Token]:
    """Start holding this context's publishes; they go into the returned list."""
    held: Held = []
    return held, _held.set(held)


def release(token: Token) -> None:
    """Stop holding (the caller sends what was held)."""
    _held.reset(token)


class HeldRedisManager(RedisManager):
    """Flask-SocketIO's Redis manager, holding publishes while a request batch is open."""

    def _publish(self, data):
        held = _held.get()
        if held is None:
            return super()._publish(data)
        held.append((self.channel, self.json.dumps(data)))
        return None


class EventPublisher:
    """Publishes held events off the request threads, in the order they came: carried by the
    next round trip a request makes anyway, or sent by its thread. Events are best effort, as
    everywhere (hotline/live/events.py): while Redis is away they are logged and dropped, never
    retried into a caller's path; the browsers' next snapshot carries the state."""

    def __init__(self, client: redis.Redis, carry_wait_s: float = CARRY_WAIT_S) -> None:
        self.redis = client
        self.carry_wait_s = carry_wait_s
        self._pending: deque[tuple[str, str]] = deque()
        self._oldest = 0.0           # when the oldest of _pending came (monotonic)
        self._sending = 0            # events taken (by a request or the thread) and not yet sent
        self._parked = False         # the thread waits for a submit (nothing is pending)
        self._changed = threading.Condition()
        self._send_now = threading.Event()   # flush(): no more waiting for a carrier
        self._thread: threading.Thread | None = None
        self._pid = 0

    def busy(self) -> bool:
        """Events wait here or are being sent: a later request's events must queue behind them."""
        with self._changed:
            return bool(self._pending or self._sending)

    def submit(self, events: Held) -> None:
        with self._changed:
            if not self._pending:
                self._oldest = time.monotonic()
            self._pending.extend(events)
            self._ensure_thread()
            if self._parked:
                self._changed.notify_all()

    @contextmanager
    def carry(self, pipe) -> Iterator[int]:
        """Put the waiting events on a request's pipeline (PUBLISH after its own commands); yields
        how many, whose replies end the pipeline's."""
        with self.taking() as batch:
            for channel, message in batch:
                pipe.publish(channel, message)
            yield len(batch)

    @contextmanager
    def taking(self) -> Iterator[Held]:
        """The waiting events, for a request to send in the round trip it makes anyway (on its
        pipeline, or published by its script); they count as sent when the block ends. None are
        taken while another sender has some in flight (they would overtake them)."""
        with self._changed:
            batch = [] if self._sending else list(self._pending)
            if batch:
                self._pending.clear()
                self._sending = len(batch)
        try:
            yield batch
        except redis.RedisError:
            if batch:
                log.warning("事件发送失败 / %d event(s) not published: Redis", len(batch))
            raise
        finally:
            if batch:
                self._done(len(batch))

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything submitted so far was sent (or dropped); False on timeout."""
        self._send_now.set()
        with self._changed:
            return self._changed.wait_for(lambda: not self._pending and not self._sending, timeout)

    def _ensure_thread(self) -> None:
        # started by the first submit of each process: a thread made before gunicorn forks
        # does not exist in its workers
        if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="event-publisher", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._pending or self._sending:   # nothing to send, or another sender first
                    self._parked = not self._pending
                    self._changed.wait()
                self._parked = False
                due = self._oldest + self.carry_wait_s
            # a request's round trip may carry them meanwhile; flush() does not wait
            forced = self._send_now.wait(max(0.0, due - time.monotonic()))
            self._send_now.clear()
            with self._changed:
                if not self._pending or self._sending:
                    continue
                if not forced and time.monotonic() < self._oldest + self.carry_wait_s:
                    continue   # what waited was carried; these came since and have time left
                batch = list(self._pending)
                self._pending.clear()
                self._sending = len(batch)
            try:
                self._send(batch)
            finally:
                self._done(len(batch))

    def _done(self, count: int) -> None:
        with self._changed:
            self._sending -= count
            self._changed.notify_all()

    def _send(self, batch: Held) -> None:
        try:
            pipe = self.redis.pipeline(transaction=False)
            for channel, message in batch:
                pipe.publish(channel, message)
            pipe.execute()
        except Exception as exc:  # a broken message queue must not stop the thread (events.py)
            log.warning("事件发送失败 / %d event(s) not published: %s", len(batch), type(exc).__name__)
