"""Wiring of the ops area: dashboard, alerts, accounts and sign-in, readiness, metrics.

Each function builds one use case from the process's Adapters (and, for what other
areas provide, from their collaborators). Redis-backed ports are reached when a use case
calls them, never while wiring: a web process must start, and answer callers through the
fail-safe, while Redis is down or the embedded one has not started.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from hotline.live.alert_board import RedisAlertBoard
from hotline.live.dashboard_channel import ChannelChanges, LocalChanges, SocketIOSnapshots
from hotline.live.dashboard_leader import RedisLeadership
from hotline.live.dashboard_live import RedisFloor
from hotline.live.sign_in_counter import (LimitsWindow, MemoryStreaks, RedisStreaks, memory_limits_storage,
                                          redis_limits_storage)
from hotline.ports import BlockedRecordList, Clock, OnDuty, OpenAlerts, Staffing
from hotline.store.migrate import AlembicSchema
from hotline.store.ops_uow import OpsUnitOfWork
from hotline.store.privacy import redact
from hotline.usecases.accounts import Accounts
from hotline.usecases.alerts import Alerts
from hotline.usecases.calendar_notice import HolidayTableNotice
from hotline.usecases.dashboard import DashboardBuilder
from hotline.usecases.dashboard_feed import DashboardFeed
from hotline.usecases.readiness import MigrationsProbe, Readiness
from hotline.usecases.service_metrics import ServiceMetrics
from hotline.usecases.sign_in import SignInGate
from hotline.usecases.sign_in_limits import (ACCOUNT_CEILING, ADDRESS_LIMIT, STREAK_TTL_S, WINDOW_S, LimitPorts,
                                             SignInThrottle)

if TYPE_CHECKING:   # types only: Adapters.alerts (TRANSITION) imports this module
    from hotline.bootstrap.adapters import Adapters


class Deferred:
    """A port whose adapter is made at each call from what Adapters holds (the Redis client,
    the presence store: built there once, on first use), so wiring a use case opens no
    connection and an adapter replaced on Adapters (a test's dead Redis) is used at once."""

    def __init__(self, adapter: Callable[[], object]) -> None:
        self._adapter = adapter

    def __getattr__(self, name: str):
        return getattr(self._adapter(), name)


def clock(adapters: Adapters) -> Clock:
    """The process's clock, asked through Adapters each time (tests move it while running)."""
    return Deferred(lambda: adapters.clock)


def alerts(adapters: Adapters) -> Alerts:
    board = Deferred(lambda: RedisAlertBoard(adapters.redis, adapters.keys))
    return Alerts(board, Deferred(lambda: adapters.events), clock(adapters), redact)


def dashboard(adapters: Adapters, open_alerts: OpenAlerts, staffing: Staffing, on_duty: OnDuty,
              blocked: BlockedRecordList | None = None) -> DashboardBuilder:
    return DashboardBuilder(clock=clock(adapters), directory=Deferred(lambda: adapters.directory),
                            presences=Deferred(lambda: adapters.presence),
                            floor=Deferred(lambda: RedisFloor(adapters.redis, adapters.keys)),
                            staffing=staffing, on_duty=on_duty, alerts=open_alerts,
                            uow=lambda: OpsUnitOfWork(adapters.db),
                            service_level_s=adapters.settings.service_level_s, blocked=blocked)


def holiday_table_notice(adapters: Adapters) -> HolidayTableNotice:
    return HolidayTableNotice(clock(adapters), lambda: adapters.holiday_calendar)


def dashboard_feed(adapters: Adapters, builder: DashboardBuilder) -> DashboardFeed:
    settings = adapters.settings
    shared = bool(settings.socketio_message_queue)
    changes = (ChannelChanges(lambda: adapters.redis_url, f"{settings.redis_prefix}-socketio") if shared
               else LocalChanges(lambda: adapters.events))
    leadership = Deferred(lambda: RedisLeadership(adapters.redis, settings.redis_prefix))
    return DashboardFeed(builder, leadership, changes, SocketIOSnapshots(lambda: adapters.socketio), shared=shared)


def readiness(adapters: Adapters) -> Readiness:
    return Readiness(database=lambda: adapters.db.ping(), redis=lambda: adapters.redis.ping(),
                     directory=lambda: len(adapters.directory) > 0,
                     migrations=MigrationsProbe(AlembicSchema(adapters.settings.database_url)))


def accounts(adapters: Adapters, limits: SignInThrottle) -> Accounts:
    return Accounts(lambda: OpsUnitOfWork(adapters.db), clock(adapters), forget_failures=limits.forget_account)


def sign_in_limits(adapters: Adapters) -> SignInThrottle:
    """The counters in Redis (reached at each call: a replaced Redis is used at once) and
    the same in this process, for when Redis is down."""
    prefix = adapters.settings.redis_prefix
    storage = _Cached(lambda client: redis_limits_storage(client, prefix))
    shared = LimitPorts(
        streaks=Deferred(lambda: RedisStreaks(adapters.redis, prefix, STREAK_TTL_S)),
        accounts=Deferred(lambda: LimitsWindow(storage(adapters.redis), "login-account", ACCOUNT_CEILING, WINDOW_S)),
        addresses=Deferred(lambda: LimitsWindow(storage(adapters.redis), "login-address", ADDRESS_LIMIT, WINDOW_S)))
    memory = memory_limits_storage()
    local = LimitPorts(streaks=MemoryStreaks(STREAK_TTL_S),
                       accounts=LimitsWindow(memory, "login-account", ACCOUNT_CEILING, WINDOW_S),
                       addresses=LimitsWindow(memory, "login-address", ADDRESS_LIMIT, WINDOW_S))
    return SignInThrottle(shared, local)


def sign_in_gate(accounts: Accounts, limits: SignInThrottle) -> SignInGate:
    return SignInGate(accounts, limits)


class _Cached:
    """One `limits` storage per Redis client object (made again only if the client is replaced)."""

    def __init__(self, make: Callable[[object], object]) -> None:
        self._make, self._client, self._storage = make, None, None

    def __call__(self, client):
        if client is not self._client:
            self._client, self._storage = client, self._make(client)
        return self._storage


def service_metrics(adapters: Adapters, feed: DashboardFeed) -> ServiceMetrics:
    def record_backlog() -> int | None:
        # None until this process has written a call record (the writer starts on first use)
        return adapters.records.backlog if "records" in adapters.__dict__ else None

    return ServiceMetrics(feed, record_backlog)
