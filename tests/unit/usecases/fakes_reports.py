"""In-memory fakes of the ports the reports use cases hold (hotline/ports.py, "reports"):
the unit of work over the sources and the store, and the job queue with its schedule.

The store keeps runs and rows in memory and writes only on commit; the sources are those
of fakes_report_sources.py. Proven against real SQLite, PostgreSQL and Redis:
tests/integration/reports.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from hotline.reports.schedule import NightlySchedule
from hotline.reports.stored import FigureRow, StoredRun
from tests.unit.usecases.fakes import FakeJobs
from tests.unit.usecases.fakes_report_sources import FakeReportCalls, FakeReportRosters, FakeReportTriage


class FakeStoreError(Exception):
    """What the fake store raises when told to fail (the SQL store's SQLAlchemyError)."""


class FakeReportRuns:
    """ReportRuns: runs and rows in memory; `replace` is staged until the unit of work commits."""

    def __init__(self) -> None:
        self.runs: dict[int, StoredRun] = {}
        self.rows: dict[int, list[FigureRow]] = {}
        self.next_id = 1
        self.pending: list[tuple[StoredRun, list[FigureRow]]] = []

    def replace(self, *, period, first, last, scope, computed_at, source, notes, figures) -> int:
        run = StoredRun(self.next_id, period, first, last, scope, computed_at, source, dict(notes))
        self.next_id += 1
        self.pending.append((run, list(figures)))
        return run.id

    def apply(self) -> None:
        for run, rows in self.pending:
            for old in [r for r in self.runs.values() if (r.period, r.first_day, r.last_day, r.scope) ==
                        (run.period, run.first_day, run.last_day, run.scope)]:
                del self.runs[old.id], self.rows[old.id]
            self.runs[run.id], self.rows[run.id] = run, rows
        self.pending.clear()

    def find(self, period, first, last, line):
        scopes = ["*"] if not line or line == "*" else [line, "*"]
        found = [r for r in self.runs.values() if (r.period, r.first_day, r.last_day) == (period, first, last)
                 and r.scope in scopes]
        return max(found, key=lambda r: r.computed_at, default=None)

    def figures(self, run_id, lines=None):
        return [row for row in self.rows[run_id] if lines is None or row.line_id in lines]

    def recent(self, limit=20):
        return sorted(self.runs.values(), key=lambda r: r.computed_at, reverse=True)[:limit]


class FakeReportSchedule:
    """ReportScheduleStore: the settings in memory (created with the defaults)."""

    def __init__(self, schedule: NightlySchedule | None = None) -> None:
        self.current = schedule or NightlySchedule()

    def get(self) -> NightlySchedule:
        return self.current

    def update(self, *, enabled, run_at, by, now) -> NightlySchedule:
        self.current = replace(self.current, enabled=enabled, run_at=run_at, updated_by=by, updated_at=now)
        return self.current

    def record_result(self, *, at, status, message="") -> None:
        self.current = replace(self.current, last_run_at=at, last_status=status, last_message=message[:2000])


class FakeReports:
    """ReportsUnitOfWorkFactory: every unit of work shares these sources and this store.

    fail_commit: the next commits raise FakeStoreError (nothing is written); opened and
    commits count what the use case did."""

    def __init__(self, calls=(), triage: FakeReportTriage | None = None, rosters: FakeReportRosters | None = None,
                 with_triage: bool = True, with_rosters: bool = True) -> None:
        self.calls = FakeReportCalls(list(calls))
        self.triage = (triage or FakeReportTriage()) if with_triage else None
        self.rosters = (rosters or FakeReportRosters()) if with_rosters else None
        self.runs = FakeReportRuns()
        self.schedule = FakeReportSchedule()
        self.fail_commit = False
        self.opened = self.commits = 0

    def __call__(self) -> "FakeReportsUnitOfWork":
        self.opened += 1
        return FakeReportsUnitOfWork(self)


class FakeReportsUnitOfWork:
    def __init__(self, store: FakeReports) -> None:
        self.store = store
        self.calls, self.triage, self.rosters = store.calls, store.triage, store.rosters
        self.runs, self.schedule = store.runs, store.schedule

    def __enter__(self) -> "FakeReportsUnitOfWork":
        return self

    def __exit__(self, *exc) -> None:
        self.rollback()

    def commit(self) -> None:
        if self.store.fail_commit:
            self.rollback()
            raise FakeStoreError("unique constraint failed")
        self.runs.apply()
        self.store.commits += 1

    def rollback(self) -> None:
        self.runs.pending.clear()


@dataclass
class FakeScheduledJobs(FakeJobs):
    """ScheduledJobs: FakeJobs plus the scheduled registry; `down` makes every call fail."""

    at: dict[str, tuple[datetime, dict]] = field(default_factory=dict)
    functions: dict[str, str] = field(default_factory=dict)
    down: bool = False

    def _check(self) -> None:
        if self.down:
            raise ConnectionError("Redis is down")

    def enqueue(self, function, *args, queue="default", job_id=None, **kwargs) -> str:
        self._check()
        job_id = super().enqueue(function, *args, queue=queue, job_id=job_id, **kwargs)
        self.functions[job_id] = function
        return job_id

    def enqueue_at(self, at, function, *args, queue="default", job_id=None, **options) -> str:
        job_id = self.enqueue(function, *args, queue=queue, job_id=job_id, **options)
        self.at[job_id] = (at, self.queued[-1])
        return job_id

    def scheduled(self, queue, prefix):
        self._check()
        return sorted(((job_id, at) for job_id, (at, job) in self.at.items()
                       if job["queue"] == queue and job_id.startswith(prefix)), key=lambda item: item[1])

    def cancel(self, job_id, queue) -> None:
        self._check()
        self.at.pop(job_id, None)
        self.functions.pop(job_id, None)

    def function_of(self, job_id):
        self._check()
        return self.functions.get(job_id)

