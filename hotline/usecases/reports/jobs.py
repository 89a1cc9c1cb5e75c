"""The reports' background work: one period on demand, and the nightly run with its schedule.

The nightly run is a scheduled job picked up by any worker started with the scheduler
(`hotline worker`, which is `--with-scheduler` by default, or `rq worker
--with-scheduler`). Its settings (local time, on/off) are a row admins edit; `sync`
makes the job queue agree with that row: exactly one scheduled nightly job at the next
run time, or none when off. It runs when an admin saves the settings, from `hotline
report schedule`, when a worker starts (`register_at_start`), and at the end of every
nightly run, so each night registers the next: a chain anchored to the wall clock of
the schedule's zone (hotline.reports.schedule).

Why not RQ's other recurring tools: `Repeat` repeats a fixed interval a fixed number of
times, and RQ 3's cron (`rq cron` with a config file) is a separate process whose
schedule lives in code, not in a row an admin can edit while it runs. Scheduling uses
real time (the wall clock: RQ's scheduler does), not HOTLINE_NOW.
"""
from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Callable

from hotline.ports import Clock, ReportsUnitOfWorkFactory, ScheduledJobs
from hotline.reports.periods import period_ending
from hotline.reports.schedule import (NIGHTLY_KINDS, NightlySchedule, next_run, nightly_end, nightly_job_id,
                                      nightly_prefix, parse_run_at)
from hotline.reports.stored import StoredRun
from hotline.usecases.reports.compute import Progress
from hotline.usecases.reports.reading import Reports

log = logging.getLogger(__name__)
QUEUE = "reports"
RUN_REPORT = "hotline.jobs.reports.run_report"       # the RQ job functions (hotline/jobs/reports.py)
RUN_NIGHTLY = "hotline.jobs.reports.run_nightly"
REPORT_JOBS = ("hotline.jobs.reports.", "hotline.jobs_reports.")   # and their dotted paths before the re-layout
JOB_TIMEOUT_S = 30 * 60
RESULT_TTL_S = 7 * 24 * 3600
FAILURE_TTL_S = 30 * 24 * 3600
RETRIES = 3                        # a job whose worker died runs again; computing and storing is idempotent
LIMITS = dict(timeout=JOB_TIMEOUT_S, result_ttl=RESULT_TTL_S, failure_ttl=FAILURE_TTL_S)


class ReportJobs:
    """Queue a period, run the nightly reports, and keep the job queue in step with the schedule.

    clock: the one clock (HOTLINE_NOW applies: "last run at", "updated at"); wall_clock:
    real time, which the job scheduler runs on; job_prefix: this deployment's prefix of
    queue and job names."""

    def __init__(self, reports: Reports, uow: ReportsUnitOfWorkFactory, jobs: ScheduledJobs, clock: Clock,
                 wall_clock: Clock, job_prefix: str) -> None:
        self.reports = reports
        self.uow = uow
        self.jobs = jobs
        self.clock = clock
        self.wall_clock = wall_clock
        self.job_prefix = job_prefix

    # --- one period on demand ------------------------------------------------------------
    def enqueue(self, kind: str, end: date, line: str | None = None, source: str = "on_demand") -> str:
        """Queue a computation (the page's "recompute", `hotline report --enqueue`); the job id."""
        return self.jobs.enqueue(RUN_REPORT, kind, end.isoformat(), line, source, queue=QUEUE, retries=RETRIES,
                                 description=f"report {kind} ending {end} {line or 'all lines'}", **LIMITS)

    def run_report(self, kind: str, end: str, line: str | None = None, source: str = "on_demand",
                   progress: Progress | None = None) -> dict:
        """The job: compute and store one period; a summary for the job's result."""
        period = period_ending(kind, date.fromisoformat(end))
        report, run_id = self.reports.compute_and_store(period, line, source, progress=progress)
        return {"run_id": run_id, "period": period.to_dict(), "line": line,
                "offered": report.overall.values.get("offered")}

    def job_status(self, job_id: str) -> dict | None:
        """A report job's state and progress; None for no such job or another queue's job."""
        function = self.jobs.function_of(job_id)
        if function is None or not function.startswith(REPORT_JOBS):
            return None
        return self.jobs.status(job_id)

    # --- the nightly run ---------------------------------------------------------------------
    def run_nightly(self, planned: datetime, progress: Progress | None = None) -> dict:
        """The job planned for `planned`: the night's reports, then the next night registered."""
        try:
            return self.nightly(planned, progress)
        finally:
            self.sync(after=planned)

    def nightly(self, planned: datetime, progress: Progress | None = None) -> dict:
        """Day, week and month ending the local day before `planned`, stored; the outcome recorded."""
        schedule = self.settings()
        if not schedule.enabled:
            return {"skipped": "disabled"}
        end = nightly_end(planned, schedule.timezone)
        done = []
        try:
            for index, kind in enumerate(NIGHTLY_KINDS):
                step = _scaled(progress, index, len(NIGHTLY_KINDS))
                _, run_id = self.reports.compute_and_store(period_ending(kind, end), None, "nightly", step)
                done.append({"kind": kind, "end": end.isoformat(), "run_id": run_id})
        except Exception as exc:
            self._record("failed", f"{type(exc).__name__}: {exc}")
            raise
        self._record("ok", f"{end.isoformat()}: " + ", ".join(d["kind"] for d in done))
        return {"end": end.isoformat(), "runs": done}

    def _record(self, status: str, message: str) -> None:
        with self.uow() as uow:
            uow.schedule.record_result(at=self.clock.now(), status=status, message=message)
            uow.commit()

    # --- the schedule ------------------------------------------------------------------------
    def settings(self) -> NightlySchedule:
        with self.uow() as uow:
            schedule = uow.schedule.get()
            uow.commit()      # a first read stores the defaults
        return schedule

    def change(self, run_at: str | None = None, enabled: bool | None = None,
               by: int | None = None) -> NightlySchedule:
        """Set what is given (run_at as HH:MM, else a bilingual ValueError), keep the rest."""
        with self.uow() as uow:
            schedule = uow.schedule.get()
            new_time = parse_run_at(run_at) if run_at is not None else schedule.run_at
            new_enabled = schedule.enabled if enabled is None else enabled
            if run_at is not None or enabled is not None:
                schedule = uow.schedule.update(enabled=new_enabled, run_at=new_time, by=by, now=self.clock.now())
            uow.commit()
        return schedule

    def recent_runs(self, limit: int = 20) -> list[StoredRun]:
        with self.uow() as uow:
            return uow.runs.recent(limit)

    def job_id_for(self, at: datetime) -> str:
        return nightly_job_id(self.job_prefix, at)

    def registered_runs(self) -> list[tuple[str, datetime]]:
        """(job id, when) of the nightly runs the job queue holds."""
        return self.jobs.scheduled(QUEUE, nightly_prefix(self.job_prefix))

    def registered(self) -> dict:
        """What the job queue holds ({"jobs": [...]}), or why it cannot be read ({"error": ...})."""
        try:
            return {"jobs": self.registered_runs()}
        except Exception as exc:   # the queue is down: the page says so and still shows the settings
            return {"error": f"{type(exc).__name__}"}

    def sync(self, now: datetime | None = None, after: datetime | None = None) -> datetime | None:
        """Make the queue hold exactly the nightly run the settings ask for; its time (None: off)."""
        schedule = self.settings()
        now = now or self.wall_clock.now()
        wanted = next_run(max(now, after or now), schedule.run_at, schedule.timezone) if schedule.enabled else None
        wanted_id = self.job_id_for(wanted) if wanted else None
        registered = self.registered_runs()
        for job_id, _ in registered:
            if job_id != wanted_id:
                self.jobs.cancel(job_id, QUEUE)
                log.info("已取消夜间报告任务 / cancelled nightly reports job %s", job_id)
        if wanted is not None and wanted_id not in {job_id for job_id, _ in registered}:
            self.jobs.enqueue_at(wanted, RUN_NIGHTLY, wanted.isoformat(), queue=QUEUE, job_id=wanted_id, retries=0,
                                 description=f"nightly reports at {schedule.run_at} {schedule.timezone}", **LIMITS)
            log.info("已登记夜间报告任务 / registered nightly reports job %s", wanted_id)
        return wanted

    def register_at_start(self) -> datetime | None:
        """For a worker at start: register the nightly run (a fresh Redis has none).
        Logs and returns None on failure, never raises: the worker must start anyway."""
        try:
            upcoming = self.sync()
        except Exception as exc:
            log.warning("夜间报告任务未能登记 / could not register the nightly reports job: %s", exc)
            return None
        log.info("夜间报告下次运行 / next nightly reports run: %s", upcoming.isoformat() if upcoming else "off")
        return upcoming


def _scaled(progress: Progress | None, index: int, parts: int) -> Callable[[int, int, str], None] | None:
    """Progress of part `index` of `parts` computations, as one bar."""
    if progress is None:
        return None

    def scaled(done: int, total: int, message: str) -> None:
        progress(index * total + done, parts * total, message)
    return scaled
