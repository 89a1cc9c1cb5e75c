"""RQ jobs for reports: one period on demand, and the nightly run with its schedule.

The nightly run is an RQ scheduled job (`enqueue_at`), picked up by any worker
started with the scheduler (`hotline worker`, which is `--with-scheduler` by
default, or `rq worker --with-scheduler`). Its settings (local time, on/off) are a
row in the database that admins edit; `sync_schedule` makes Redis agree with that
row: exactly one scheduled nightly job at the next run time, or none when off. It
runs when an admin saves the settings, from `hotline report schedule`, when a worker
starts (`register_at_start`), and at the end of every nightly run, so each night
registers the next: a chain anchored to the wall clock of the line's zone (a fixed
24 h repeat would drift across DST).

Why not RQ's other recurring tools: `Repeat` repeats a fixed interval a fixed number
of times, and RQ 3's cron (`rq cron` with a config file) is a separate process whose
schedule lives in code, not in a row an admin can edit while it runs.

Each scheduled run has the id `<prefix>-reports-nightly-<UTC time>`, so registering
twice is harmless and a stale registration is recognised and cancelled. Scheduling
uses real time (RQ's scheduler does), not HOTLINE_NOW.
"""
from __future__ import annotations

import logging
import re
from datetime import date, datetime, time, timedelta, timezone

from hotline.jobs import plumbing as jobs
from hotline.reports.periods import KINDS, period_ending
from hotline.reports.windows import zone

log = logging.getLogger(__name__)
NIGHTLY_KINDS = KINDS                  # day, week and month ending yesterday
JOB_TIMEOUT_S = 30 * 60
RESULT_TTL_S = 7 * 24 * 3600
FAILURE_TTL_S = 30 * 24 * 3600
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


# --- the jobs --------------------------------------------------------------------------
def run_report(kind: str, end: str, line: str | None = None, source: str = "on_demand") -> dict:
    """Compute and store one period (the page's "recompute" and `hotline report --enqueue`)."""
    from hotline.reports.service import compute_and_store

    services = jobs.job_services()
    period = period_ending(kind, date.fromisoformat(end))
    report, run_id = compute_and_store(services, period, line, source, progress=jobs.report_progress)
    return {"run_id": run_id, "period": period.to_dict(), "line": line,
            "offered": report.overall.values.get("offered")}


def run_nightly(planned_for: str) -> dict:
    """The nightly run planned for `planned_for` (ISO, UTC): day, week and month ending the
    local day before; then register the next night."""
    services = jobs.job_services()
    planned = datetime.fromisoformat(planned_for)
    try:
        return nightly(services, planned)
    finally:
        sync_schedule(services, after=planned)


def nightly(services, planned: datetime) -> dict:
    from hotline.reports.service import compute_and_store
    from hotline.store.reports import get_schedule, record_result

    with services.db.session() as session:
        row = get_schedule(session)
        enabled, tz = row.enabled, row.timezone
    if not enabled:
        return {"skipped": "disabled"}
    end = planned.astimezone(zone(tz)).date() - timedelta(days=1)
    done = []
    try:
        for index, kind in enumerate(NIGHTLY_KINDS):
            progress = _scaled(index, len(NIGHTLY_KINDS))
            _, run_id = compute_and_store(services, period_ending(kind, end), None, "nightly", progress)
            done.append({"kind": kind, "end": end.isoformat(), "run_id": run_id})
    except Exception as exc:
        with services.db.session() as session:
            record_result(session, at=services.now(), status="failed", message=f"{type(exc).__name__}: {exc}")
        raise
    with services.db.session() as session:
        record_result(session, at=services.now(), status="ok",
                      message=f"{end.isoformat()}: " + ", ".join(d["kind"] for d in done))
    return {"end": end.isoformat(), "runs": done}


def _scaled(index: int, parts: int):
    def progress(done: int, total: int, message: str) -> None:
        jobs.report_progress(index * total + done, parts * total, message)
    return progress


# --- enqueueing and the schedule -------------------------------------------------------
def enqueue_report(services, kind: str, end: date, line: str | None = None, source: str = "on_demand"):
    return jobs.queue(services, "reports").enqueue(run_report, kind, end.isoformat(), line, source,
                                              job_timeout=JOB_TIMEOUT_S, result_ttl=RESULT_TTL_S,
                                              failure_ttl=FAILURE_TTL_S, retry=jobs.retry_policy(),
                                              description=f"report {kind} ending {end} {line or 'all lines'}")


def parse_run_at(text: str) -> str:
    value = (text or "").strip()
    if len(value) == 4 and value[1] == ":":
        value = "0" + value
    if not _HHMM.match(value):
        raise ValueError(f"时间应为 HH:MM（00:00–23:59）：{text!r} / the time must be HH:MM (00:00–23:59): {text!r}")
    return value


def next_run(after: datetime, run_at: str, tz: str) -> datetime:
    """The first instant strictly after `after` at local time run_at in zone tz (UTC)."""
    hour, minute = (int(part) for part in parse_run_at(run_at).split(":"))
    local = after.astimezone(zone(tz))
    for days in range(0, 3):
        day = local.date() + timedelta(days=days)
        candidate = datetime.combine(day, time(hour, minute), zone(tz)).astimezone(timezone.utc)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable")


def nightly_prefix(services) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", services.settings.redis_prefix) + "-reports-nightly-"


def job_id_for(services, at: datetime) -> str:
    return nightly_prefix(services) + at.astimezone(timezone.utc).strftime("%Y%m%dT%H%M")


def scheduled_nightly(services) -> list[tuple[str, datetime]]:
    """(job id, when) of the nightly runs registered in RQ's scheduled registry."""
    from rq.registry import ScheduledJobRegistry

    registry = ScheduledJobRegistry(queue=jobs.queue(services, "reports"))
    prefix = nightly_prefix(services)
    found = []
    for job_id in registry.get_job_ids():
        if job_id.startswith(prefix):
            found.append((job_id, registry.get_scheduled_time(job_id)))
    return sorted(found, key=lambda item: item[1])


def sync_schedule(services, now: datetime | None = None, after: datetime | None = None) -> datetime | None:
    """Make RQ hold exactly the nightly run the settings ask for; returns its time (None: off)."""
    from rq.registry import ScheduledJobRegistry

    from hotline.store.reports import get_schedule

    with services.db.session() as session:
        row = get_schedule(session)
        enabled, run_at, tz = row.enabled, row.run_at, row.timezone
    now = now or datetime.now(timezone.utc)
    wanted = next_run(max(now, after or now), run_at, tz) if enabled else None
    wanted_id = job_id_for(services, wanted) if wanted else None
    reports = jobs.queue(services, "reports")
    registry = ScheduledJobRegistry(queue=reports)
    for job_id, _ in scheduled_nightly(services):
        if job_id != wanted_id:
            registry.remove(job_id, delete_job=True)
            log.info("已取消夜间报告任务 / cancelled nightly reports job %s", job_id)
    if wanted is not None and wanted_id not in registry:
        reports.enqueue_at(wanted, run_nightly, wanted.isoformat(), job_id=wanted_id, job_timeout=JOB_TIMEOUT_S,
                           result_ttl=RESULT_TTL_S, failure_ttl=FAILURE_TTL_S,
                           description=f"nightly reports at {run_at} {tz}")
        log.info("已登记夜间报告任务 / registered nightly reports job %s", wanted_id)
    return wanted


def register_at_start(services) -> datetime | None:
    """For `hotline worker` at start: register the nightly run (a fresh Redis has none).
    Logs and returns None on failure, never raises: the worker must start anyway."""
    try:
        upcoming = sync_schedule(services)
    except Exception as exc:
        log.warning("夜间报告任务未能登记 / could not register the nightly reports job: %s", exc)
        return None
    log.info("夜间报告下次运行 / next nightly reports run: %s", upcoming.isoformat() if upcoming else "off")
    return upcoming
