"""The nightly run through RQ's scheduler, its registration, and what happens when it fails."""
from __future__ import annotations

import importlib
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hotline.jobs import reports as jobs_reports
from hotline.store.report_store import SqlReportsUnitOfWork
from hotline.store.reports import ReportRun
from hotline.usecases.reports.jobs import RUN_NIGHTLY, RUN_REPORT
from tests.integration.reports.conftest import jobs_of, work

SHANGHAI = ZoneInfo("Asia/Shanghai")


def set_schedule(services, enabled: bool, run_at: str) -> None:
    with SqlReportsUnitOfWork(services.db) as uow:
        uow.schedule.update(enabled=enabled, run_at=run_at, by=None, now=services.now())
        uow.commit()


def get_schedule(services):
    return jobs_of(services).settings()


def sync_schedule(services, now=None):
    return jobs_of(services).sync(now=now)


def scheduled_nightly(services):
    return jobs_of(services).registered_runs()


def job_id_for(services, at):
    return jobs_of(services).job_id_for(at)


def test_registering_is_idempotent_and_follows_the_settings(app_jobs):
    services = app_jobs
    now = datetime(2030, 1, 10, 12, 0, tzinfo=timezone.utc)          # 20:00 in Shanghai
    first = sync_schedule(services, now=now)
    assert first == datetime(2030, 1, 10, 18, 30, tzinfo=timezone.utc)  # 02:30 Shanghai, next morning
    assert sync_schedule(services, now=now) == first
    assert scheduled_nightly(services) == [(job_id_for(services, first), first)]
    set_schedule(services, True, "23:45")
    later = sync_schedule(services, now=now)
    assert later.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") == "2030-01-10 23:45"
    assert [job_id for job_id, _ in scheduled_nightly(services)] == [job_id_for(services, later)]
    set_schedule(services, False, "23:45")
    assert sync_schedule(services, now=now) is None
    assert scheduled_nightly(services) == []


def test_the_scheduler_runs_the_nightly_job_which_stores_three_reports_and_registers_the_next(app_jobs,
                                                                                           small_world):
    services = app_jobs
    set_schedule(services, True, "02:30")
    real_now = datetime.now(timezone.utc)
    planned = sync_schedule(services, now=real_now - timedelta(days=1))   # due already: within the last day
    assert planned <= real_now
    work(services)
    end = planned.astimezone(SHANGHAI).date() - timedelta(days=1)
    with services.db.session() as session:
        runs = session.scalars(select(ReportRun).order_by(ReportRun.period)).all()
        assert [(r.period, r.last_day, r.scope, r.source) for r in runs] == [
            ("day", end, "*", "nightly"), ("month", end, "*", "nightly"), ("week", end, "*", "nightly")]
    row = get_schedule(services)
    assert row.last_status == "ok" and end.isoformat() in row.last_message
    [(job_id, at)] = scheduled_nightly(services)
    assert at > real_now and job_id == job_id_for(services, at)


def test_a_failed_night_is_recorded_and_the_next_one_still_registered(app, app_jobs, monkeypatch):
    services = app_jobs

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(app.extensions["hotline"].reports, "compute_and_store", broken)
    planned = datetime.now(timezone.utc) - timedelta(minutes=5)
    with pytest.raises(RuntimeError):
        jobs_reports.run_nightly(planned.isoformat())
    row = get_schedule(services)
    assert row.last_status == "failed" and "database went away" in row.last_message
    [(_, at)] = scheduled_nightly(services)
    assert at > datetime.now(timezone.utc)


def test_a_disabled_schedule_skips_the_run(app_jobs):
    set_schedule(app_jobs, False, "02:30")
    assert jobs_of(app_jobs).nightly(datetime.now(timezone.utc)) == {"skipped": "disabled"}


def test_on_demand_job_reports_progress_to_the_end(app_jobs, small_world):
    from hotline.jobs.plumbing import job_status

    job_id = jobs_of(app_jobs).enqueue("week", date(2026, 10, 31), "chengdu")
    work(app_jobs)
    status = job_status(app_jobs, job_id)
    assert status["status"] == "finished"
    assert status["progress"] == {"done": 7, "total": 7, "message": "指标 / figures", "percent": 100.0}
    assert status["result"]["line"] == "chengdu"


def test_a_starting_worker_registers_the_night_and_survives_a_broken_redis(app_jobs):
    assert jobs_reports.register_at_start(app_jobs) is not None
    assert len(scheduled_nightly(app_jobs)) == 1

    class Broken(type(app_jobs)):
        redis_url = "redis://127.0.0.1:1/0"

    broken = Broken(app_jobs.settings)
    broken.__dict__["db"] = app_jobs.db
    assert jobs_reports.register_at_start(broken) is None


def test_the_job_functions_the_use_case_names_exist_under_their_old_paths_too():
    import hotline.jobs.legacy_paths  # noqa: F401  (registers the old module names, as the worker does)

    for path in (RUN_REPORT, RUN_NIGHTLY):
        module, name = path.rsplit(".", 1)
        assert getattr(importlib.import_module(module), name) is getattr(jobs_reports, name)
        assert getattr(importlib.import_module("hotline.jobs_reports"), name) is getattr(jobs_reports, name)
