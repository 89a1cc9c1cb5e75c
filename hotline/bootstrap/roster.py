"""Wiring of the roster area: its use cases, built from the Adapters of one process.

`Hotline` (hotline/bootstrap/__init__.py) calls these once each. The on-call snapshot is
per process: `eligibility()` keeps one per Adapters, so whoever asks — Hotline.staffing,
Hotline.on_duty, the coverage alerts, the legacy Adapters properties until their callers
move — sees the same cache, and a roster change made here drops it at once.
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary, proxy

from hotline.live.jobs import RqJobs
from hotline.live.roster_version import RedisCoverageAlertGate, RedisRosterVersion
from hotline.ports import AlertRaiser, RosterUnitOfWorkFactory
from hotline.store.rosters_repo import RosterUnitOfWork
from hotline.usecases.duty import DutyBoard
from hotline.usecases.eligibility import RosterEligibility
from hotline.usecases.roster.alerts import CoverageAlerts
from hotline.usecases.roster.calendar import RosterCalendar
from hotline.usecases.roster.context import RosterChanges
from hotline.usecases.roster.coverage import RosterCoverage
from hotline.usecases.roster.edits import RosterEdits
from hotline.usecases.roster.feeds import CalendarFeeds
from hotline.usecases.roster.generation import RosterGeneration
from hotline.usecases.roster.generation_jobs import GenerationJobs
from hotline.usecases.roster.setup import RosterSetup
from hotline.usecases.roster.swaps import SwapRequests

if TYPE_CHECKING:
    from hotline.bootstrap.adapters import Adapters

_SNAPSHOTS: WeakKeyDictionary = WeakKeyDictionary()
_SNAPSHOTS_LOCK = threading.Lock()


class SettingsClock:
    """Clock: the settings' clock at each call (drills and tests swap the settings' clock)."""

    def __init__(self, adapters: Adapters) -> None:
        self._adapters = adapters

    def now(self):
        return self._adapters.settings.clock.now()


def units_of_work(adapters: Adapters) -> RosterUnitOfWorkFactory:
    """A fresh roster unit of work per call (the database is reached only then)."""
    return lambda: RosterUnitOfWork(adapters.db, adapters.directory)


def eligibility(adapters: Adapters) -> RosterEligibility:
    """This process's on-call snapshot cache (Staffing and OnCallLookup), one per Adapters; it reaches
    the Adapters through a weak proxy, so it goes when they do."""
    with _SNAPSHOTS_LOCK:
        found = _SNAPSHOTS.get(adapters)
        if found is None:
            version = RedisRosterVersion(adapters.redis, adapters.settings.redis_prefix)
            found = _SNAPSHOTS[adapters] = RosterEligibility(units_of_work(proxy(adapters)), version,
                                                             adapters.presence)
        return found


def changes(adapters: Adapters) -> RosterChanges:
    version = RedisRosterVersion(adapters.redis, adapters.settings.redis_prefix)
    return RosterChanges(version, eligibility(adapters))


def duty_board(adapters: Adapters) -> DutyBoard:
    return DutyBoard(eligibility(adapters), adapters.presence, adapters.directory, SettingsClock(adapters))


def calendar(adapters: Adapters) -> RosterCalendar:
    return RosterCalendar(units_of_work(adapters), SettingsClock(adapters), adapters.directory)


def generation(adapters: Adapters) -> RosterGeneration:
    return RosterGeneration(units_of_work(adapters), SettingsClock(adapters), adapters.directory, changes(adapters),
                            adapters.holiday_calendar)


def generation_jobs(adapters: Adapters) -> GenerationJobs:
    jobs = RqJobs(lambda: adapters.redis_url, adapters.settings.redis_prefix)
    return GenerationJobs(jobs, jobs)


def coverage(adapters: Adapters) -> RosterCoverage:
    return RosterCoverage(units_of_work(adapters), adapters.directory)


def setup(adapters: Adapters) -> RosterSetup:
    return RosterSetup(units_of_work(adapters), SettingsClock(adapters), adapters.directory)


def edits(adapters: Adapters) -> RosterEdits:
    return RosterEdits(units_of_work(adapters), SettingsClock(adapters), adapters.directory, changes(adapters))


def swaps(adapters: Adapters) -> SwapRequests:
    return SwapRequests(units_of_work(adapters), SettingsClock(adapters), adapters.directory, changes(adapters))


def feeds(adapters: Adapters) -> CalendarFeeds:
    return CalendarFeeds(units_of_work(adapters), SettingsClock(adapters), adapters.directory,
                         adapters.settings.public_url)


def coverage_alerts(adapters: Adapters, alerts: AlertRaiser) -> CoverageAlerts:
    gate = RedisCoverageAlertGate(adapters.redis, adapters.settings.redis_prefix)
    return CoverageAlerts(eligibility(adapters), adapters.directory, alerts, gate)
