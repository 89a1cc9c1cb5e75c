"""A generated month (October 2026) of calls, triage records and rosters, in a fresh
database on SQLite and on PostgreSQL, with the oracle's answers to check against."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from hotline.devtools.synthetic_calls import Generator, SyntheticCall, insert_calls, lines_of
from hotline.devtools.synthetic_records import (SyntheticShift, SyntheticSlot, TriageSet, insert_roster,
                                               insert_triage, roster_for, triage_for)
from hotline.jobs.workers import HotlineSimpleWorker
from hotline.routing.directory_loader import load_directory
from hotline.bootstrap import Adapters, Hotline
from hotline.settings import testing_settings
from hotline.usecases.reports import ReportJobs, Reports
from tests.conftest import remove_rq_jobs

ROOT = Path(__file__).resolve().parents[3]
FIRST, LAST = date(2026, 10, 1), date(2026, 10, 31)
NOW = datetime(2026, 11, 3, 4, 0, tzinfo=timezone.utc)       # a few days after the month
SLOTS = [SyntheticSlot("cd-night", "chengdu", "00:00", "08:00"),
         SyntheticSlot("cd-day", "chengdu", "08:00", "16:00", 2),
         SyntheticSlot("cd-evening", "chengdu", "16:00", "24:00"),
         SyntheticSlot("gx-day", "chengdu-gaoxin", "09:00", "21:00")]
HOLES = [("cd-night", date(2026, 10, 5)), ("gx-day", date(2026, 10, 20)), ("cd-evening", date(2026, 10, 31))]
SHORT = [("gx-day", date(2026, 10, 27), 6), ("cd-day", date(2026, 10, 10), 4)]


@dataclass
class World:
    services: Adapters
    calls: list[SyntheticCall]
    triage: TriageSet
    slots: list[SyntheticSlot]
    shifts: list[SyntheticShift]

    @property
    def directory(self):
        return self.services.directory


def build_world(tmp_path, database_url: str, count: int = 2500, seed: int = 20261001) -> World:
    from hotline.store.migrate import upgrade

    upgrade(database_url)
    settings = testing_settings(tmp_path, database_url=database_url, clock=_frozen(NOW))
    services = Adapters(settings)
    directory = load_directory(ROOT / "config" / "lines.yaml")
    services.__dict__["directory"] = directory
    calls = Generator(lines_of(directory), FIRST, LAST, seed=seed).calls(count)
    triage = triage_for(calls)
    shifts = roster_for(SLOTS, date(2026, 9, 20), date(2026, 11, 2), holes=HOLES, short=SHORT)
    with services.db.session() as session:
        insert_calls(session, calls)
        insert_triage(session, triage, services.keyring.encrypt)
        insert_roster(session, SLOTS, shifts, NOW)
    return World(services, calls, triage, SLOTS, shifts)


def _frozen(at: datetime):
    from hotline.clock import Clock

    return Clock(frozen=at)


@pytest.fixture
def world(tmp_path, database_url):
    built = build_world(tmp_path, database_url)
    yield built
    built.services.close()


# --- the web app, jobs and the command line over a smaller world ------------------------
@pytest.fixture
def settings(tmp_path, redis_url, redis_prefix, database_url):
    """The app's settings: this test's database (both backends), Redis prefix, and clock."""
    return testing_settings(tmp_path, redis_url=redis_url, redis_prefix=redis_prefix, database_url=database_url,
                            clock=_frozen(NOW))


@pytest.fixture
def small_world(app, tmp_path, database_url):
    """300 generated calls (plus triage and rosters) in the app's own database."""
    built = build_world(tmp_path / "world", database_url, count=300, seed=42)
    built.services.close()
    services = app.extensions["hotline"].adapters
    return World(services, built.calls, built.triage, built.slots, built.shifts)


@pytest.fixture
def app_jobs(app, monkeypatch, redis_url, redis_prefix):
    """RQ jobs run in this process with the app's Adapters and use cases; their `rq:` keys are
    removed after."""
    from hotline.jobs import plumbing as jobs

    monkeypatch.setattr(jobs, "job_adapters", lambda: app.extensions["hotline"].adapters)
    monkeypatch.setattr(jobs, "job_hotline", lambda: app.extensions["hotline"])
    yield app.extensions["hotline"].adapters
    remove_rq_jobs(redis_url, redis_prefix)


# --- the use cases over a world's adapters ------------------------------------------------
def reports_of(services) -> Reports:
    """The reports use case (hotline.usecases.reports.Reports) over these adapters."""
    return Hotline(services).reports


def jobs_of(services) -> ReportJobs:
    """The reports' jobs and schedule use case over these adapters."""
    return Hotline(services).report_jobs


def compute(services, period, line=None):
    """A report computed now (what the page, the jobs and the command line compute)."""
    return reports_of(services).compute(period, line)


def work(services) -> None:
    """Run every due job of the reports queue (and the due scheduled ones) in this process."""
    from hotline.jobs import plumbing as jobs

    queue = jobs.queue(services, "reports")
    HotlineSimpleWorker([queue], connection=queue.connection).work(burst=True, with_scheduler=True)
