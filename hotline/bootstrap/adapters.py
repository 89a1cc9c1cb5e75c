"""The adapters of one process, built lazily and once: the database, Redis and what
lives in it, the keyring, the telephony REST client, the job queue, the event bus.

Connections are lazy: a web process must start and answer callers even while the
database or Redis is down (the voice fail-safe depends on it).

`Services` is the old name, kept while the areas move to use cases with explicit ports
(the re-layout); what is not an adapter here (dispatcher, notices, eligibility, alerts,
staffed_counts, on_duty, the ticker) moves to the areas' use cases and their wiring.
"""
from __future__ import annotations

import logging
import threading
from functools import cached_property

import redis

from hotline.clock import Clock
from hotline.live.embedded import resolve_redis_url
from hotline.routing.directory import Directory
from hotline.routing.directory_loader import load_directory
from hotline.settings import Settings
from hotline.store.db import Database

log = logging.getLogger(__name__)


class Adapters:
    """Settings plus the adapters every part of Hotline needs."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._redis_url: str | None = None
        self.socketio = None   # set by create_app: the web process emits through its server
        self.ticker = None     # background offers/timeouts loop, started by create_app

    @property
    def clock(self) -> Clock:
        return self.settings.clock

    def now(self):
        return self.settings.clock.now()

    @cached_property
    def db(self) -> Database:
        return Database(self.settings.database_url)

    @cached_property
    def directory(self) -> Directory:
        return load_directory(self.settings.directory_file)

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
    def keyring(self):
        from hotline.store.privacy import DataKeyring

        return DataKeyring.from_setting(self.settings.data_key)

    @cached_property
    def keys(self):
        from hotline.live.keys import Keys

        return Keys(self.settings.redis_prefix)

    @cached_property
    def queues(self):
        from hotline.live.queues import QueueStore

        return QueueStore(self.redis, self.keys)

    @cached_property
    def presence(self):
        from hotline.live.presence import PresenceStore

        return PresenceStore(self.redis, self.keys)

    @cached_property
    def records(self):
        from hotline.store.writer import RecordWriter

        return RecordWriter(self.db)

    @cached_property
    def events(self):
        from hotline.live.events import EventBus, external_bus

        if self.socketio is not None:
            return EventBus(self.socketio)
        try:
            return external_bus(self.redis_url, f"{self.settings.redis_prefix}-socketio")
        except Exception as exc:  # no message queue: events stay local to this process
            log.warning("事件总线不可用 / event bus unavailable: %s", exc)
            return EventBus()

    @cached_property
    def dispatcher(self):
        from hotline.usecases.dispatch import Dispatcher

        return Dispatcher(self)

    @cached_property
    def notices(self):
        from hotline.usecases.notices import Notices

        return Notices(self)

    @cached_property
    def eligibility(self):
        from hotline.usecases.eligibility import RosterEligibility

        return RosterEligibility(self)

    @cached_property
    def telephony(self):
        from hotline.telephony.rest import Telephony

        return Telephony(self.settings, self.redis, self.keys)

    @cached_property
    def alerts(self):
        """TRANSITION (ops area): Hotline.alerts under its old name, for code not moved yet
        (triage, roster, their jobs and tests); remove once nothing asks for it."""
        from hotline.bootstrap.ops import alerts  # on use, like the legacy properties around it

        return alerts(self)

    def staffed_counts(self, at) -> dict[str, int]:
        """Per line, counselors in a working state who may answer it at `at`
        (on shift for it, once rosters exist; see live/eligibility.py)."""
        from hotline.live.presence import WORKING

        counts: dict[str, int] = {}
        for presence in self.presence.all():
            if presence.state in WORKING:
                for line_id in self.eligibility.lines_for(presence, at):
                    counts[line_id] = counts.get(line_id, 0) + 1
        return counts

    def on_duty(self, line_id: str, at) -> dict:
        """Current and next shift for a line (the roster when there is one)."""
        from hotline.usecases.duty import on_duty

        return on_duty(self, line_id, at)

    def poke_dispatch(self) -> None:
        """Ask for a dispatch soon: at once in tests, else the ticker thread wakes up."""
        if self.ticker is not None:
            self.ticker.poke()

    def start_ticker(self) -> None:
        from hotline.web.ticker import Ticker

        if self.ticker is None:
            self.ticker = Ticker(self)
            self.ticker.start()

    def close(self) -> None:
        if self.ticker is not None:
            self.ticker.stop()
        if "records" in self.__dict__:
            self.records.close()
        if "db" in self.__dict__:
            self.db.dispose()
        if "redis" in self.__dict__:
            self.redis.close()


Services = Adapters   # the old name, until every area has moved (re-layout)
