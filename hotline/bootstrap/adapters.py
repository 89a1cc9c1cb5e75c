"""The adapters of one process, built lazily and once: the database, Redis and what
lives in it, the keyring, the telephony REST client, the job queue, the event bus.

Connections are lazy: a web process must start and answer callers even while the
database or Redis is down (the voice fail-safe depends on it).

Only the composition root (hotline/bootstrap/) and the tests see this object: the use
cases get the adapters they need from it, one by one, as the ports of hotline/ports.py.
"""
from __future__ import annotations

import logging
import threading
from contextlib import nullcontext
from functools import cached_property
from typing import ContextManager

import redis

from hotline.clock import Clock
from hotline.live.embedded import resolve_redis_url
from hotline.live.held_events import EventPublisher
from hotline.live.keys import Keys
from hotline.live.queues import QueueStore
from hotline.live.record_stream import RecordCarrier, RecordStream, SubmittedAfter
from hotline.routing.calendar.holidays import HolidayCalendar, china_calendar
from hotline.routing.directory import Directory
from hotline.routing.directory_loader import load_directory
from hotline.settings import Settings
from hotline.store.db import Database
from hotline.store.privacy import DataKeyring
from hotline.store.writer import RecordWriter

log = logging.getLogger(__name__)


class Adapters:
    """Settings plus the adapters every part of Hotline needs."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._redis_url: str | None = None
        self.socketio = None   # set by create_app: the web process emits through its server

    @property
    def clock(self) -> Clock:
        return self.settings.clock

    def now(self):
        return self.settings.clock.now()

    @cached_property
    def db(self) -> Database:
        return Database(self.settings.database_url)

    @cached_property
    def holiday_calendar(self) -> HolidayCalendar:
        """The lines' holiday calendar: built-in plus the tables of settings.holidays_dir."""
        return china_calendar(self.settings.holidays_dir)

    @cached_property
    def directory(self) -> Directory:
        return load_directory(self.settings.directory_file, self.holiday_calendar)

    @property
    def redis_url(self) -> str:
        with self._lock:
            if self._redis_url is None:
                self._redis_url = resolve_redis_url(self.settings)
            return self._redis_url

    @cached_property
    def redis(self) -> redis.Redis:
        return redis.Redis.from_url(self.redis_url, socket_timeout=0.5, socket_connect_timeout=0.5,
                                    health_check_interval=10)

    @cached_property
    def keyring(self) -> DataKeyring:
        return DataKeyring.from_setting(self.settings.data_key)

    @cached_property
    def keys(self) -> Keys:
        return Keys(self.settings.redis_prefix)

    @cached_property
    def queues(self) -> QueueStore:
        return QueueStore(self.redis, self.keys, self.record_carrier)

    @cached_property
    def presence(self):
        from hotline.live.presence import PresenceStore   # lazy, like every Redis adapter here

        return PresenceStore(self.redis, self.keys)

    @cached_property
    def block_marks(self):
        from hotline.live.presence import BlockMarks   # lazy, like every Redis adapter here

        return BlockMarks(self.redis, self.keys)

    @cached_property
    def records(self) -> RecordWriter | RecordStream:
        """Where call-record changes go: this process's write-behind thread (`web`), or the Redis
        stream `hotline worker` writes from (`worker`; under `auto` only while a worker writes it),
        falling back to the write-behind thread while Redis is down."""
        if self.settings.record_writes != "web":
            return RecordStream(self.redis, self.keys, lambda: RecordWriter(self.db),
                                only_while_written=self.settings.record_writes == "auto")
        return RecordWriter(self.db)

    @cached_property
    def record_carrier(self) -> RecordCarrier:
        """How a record change made with the enqueue goes: in the enqueue script's round trip to
        the stream, or (no stream) submitted to this process's writer after it."""
        records = self.records
        return records if isinstance(records, RecordStream) else SubmittedAfter(records)

    @property
    def event_publisher(self) -> EventPublisher | None:
        """Where a request's events wait for a round trip to carry them (None under `web`: events
        are published at once)."""
        records = self.records
        return records.publisher if isinstance(records, RecordStream) else None

    def request_batch(self) -> ContextManager[None]:
        """One request's record changes (and its Socket.IO events) go out together when it ends:
        one stream entry per webhook (issue #18); nothing to gather under `web`."""
        if self.settings.record_writes == "web":
            return nullcontext()
        return self.records.batch()

    @cached_property
    def events(self):
        from hotline.live.events import EventBus, external_bus   # lazy: built once socketio is known

        if self.socketio is not None:
            return EventBus(self.socketio)
        try:
            return external_bus(self.redis_url, f"{self.settings.redis_prefix}-socketio")
        except Exception as exc:  # no message queue: events stay local to this process
            log.warning("事件总线不可用 / event bus unavailable: %s", exc)
            return EventBus()

    @cached_property
    def jobs(self):
        # lazy: RQ loads in the processes that enqueue, not in every command that bootstraps
        from hotline.live.jobs import RqJobs

        return RqJobs(lambda: self.redis_url, self.settings.redis_prefix)

    @cached_property
    def offers(self):
        # lazy, like every Redis adapter here: a web process starts while Redis is down
        from hotline.live.offers import OfferScripts

        return OfferScripts(self.redis, self.keys)

    @cached_property
    def floor_memory(self):
        # lazy, like every Redis adapter here
        from hotline.live.floor_memory import FloorMemory

        return FloorMemory(self.redis, self.keys)

    @cached_property
    def dispatch_wakeup(self) -> Wakeup:
        return Wakeup()

    @cached_property
    def telephony(self):
        # twilio's REST client is a heavy import: only processes that move calls pay for it
        from hotline.telephony.rest import Telephony

        return Telephony(self.settings, self.redis, self.keys)

    def close(self) -> None:
        if "records" in self.__dict__:
            self.records.close()
        if "jobs" in self.__dict__:
            self.jobs.close()
        if "db" in self.__dict__:
            self.db.dispose()
        if "redis" in self.__dict__:
            self.redis.close()


class Wakeup:
    """DispatchTrigger of this process: the ticker thread waits on it between ticks and wakes
    up at once when poked (a call queued, a counselor freed). Without a ticker (tests, the
    CLI) a poke wakes nobody: they tick by hand."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def poke(self) -> None:
        self._event.set()

    def wait(self, timeout_s: float) -> None:
        self._event.wait(timeout_s)
        self._event.clear()

