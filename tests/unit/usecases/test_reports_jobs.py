"""The reports' jobs and schedule: the nightly chain in a fake job queue, and jobs on demand."""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from hotline.usecases.reports.jobs import JOB_TIMEOUT_S, RUN_NIGHTLY, RUN_REPORT
from tests.unit.usecases.fakes import FakeClock
from tests.unit.usecases.fakes_report_sources import FakeCall
from tests.unit.usecases.fakes_reports import FakeReports, FakeScheduledJobs
from tests.unit.usecases.reports_world import EAST, at, jobs_over

SHANGHAI = ZoneInfo("Asia/Shanghai")
WALL = datetime(2030, 1, 10, 12, 0, tzinfo=timezone.utc)                 # 20:00 in Shanghai
HOTLINE_NOW = datetime(2026, 11, 3, 4, 0, tzinfo=timezone.utc)           # a drill's frozen clock


def setup(**schedule):
    """A store with two October calls, an empty job queue, and the use case over them."""
    store = FakeReports([FakeCall(at(31, 9), "answered", "east", EAST, "K1", wait=5, talk=60),
                         FakeCall(at(25, 9), "answered", "east", EAST, "K2", wait=5, talk=60)])
    queue = FakeScheduledJobs()
    jobs = jobs_over(store, queue, FakeClock(HOTLINE_NOW), FakeClock(WALL))
    if schedule:
        jobs.change(**schedule)
    return store, queue, jobs


def test_the_nightly_run_is_registered_once_at_the_next_local_time_by_the_wall_clock():
    _, queue, jobs = setup()
    first = jobs.sync()
    assert first == datetime(2030, 1, 10, 18, 30, tzinfo=timezone.utc)   # 02:30 Shanghai, next morning
    assert jobs.sync() == first and len(queue.queued) == 1
    [(job_id, when)] = jobs.registered_runs()
    assert (job_id, when) == (jobs.job_id_for(first), first) and job_id == "hl_test-reports-nightly-20300110T1830"
    job = queue.queued[0]
    assert (job["function"], job["args"], job["queue"]) == (RUN_NIGHTLY, (first.isoformat(),), "reports")
    assert job["kwargs"]["timeout"] == JOB_TIMEOUT_S
    assert job["kwargs"]["description"] == "nightly reports at 02:30 Asia/Shanghai"


def test_changing_the_time_replaces_the_registration_and_off_removes_it():
    _, queue, jobs = setup()
    jobs.sync()
    jobs.change(run_at="23:45")
    later = jobs.sync()
    assert later.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") == "2030-01-10 23:45"
    assert [job_id for job_id, _ in jobs.registered_runs()] == [jobs.job_id_for(later)]
    jobs.change(enabled=False)
    assert jobs.sync() is None and jobs.registered_runs() == []


def test_change_keeps_what_is_not_given_and_refuses_a_bad_time():
    store, _, jobs = setup()
    assert jobs.change(enabled=False, by=7).run_at == "02:30"
    changed = jobs.change(run_at="4:05")
    assert (changed.enabled, changed.run_at, changed.updated_at) == (False, "04:05", HOTLINE_NOW)
    assert store.schedule.current.updated_by is None
    with pytest.raises(ValueError, match="HH:MM"):
        jobs.change(run_at="", enabled=True)
    assert jobs.settings().enabled is False and jobs.change() == jobs.settings()


def test_the_night_stores_day_week_and_month_ending_the_local_day_before():
    store, _, jobs = setup()
    planned = datetime(2026, 10, 31, 18, 30, tzinfo=timezone.utc)        # 02:30 on 11-01 in Shanghai
    steps = []

    def progress(done: int, total: int, message: str) -> None:
        steps.append((done, total))

    result = jobs.nightly(planned, progress=progress)
    assert result["end"] == "2026-10-31" and [r["kind"] for r in result["runs"]] == ["day", "week", "month"]
    stored = sorted((r.period, r.first_day.isoformat(), r.source) for r in store.runs.runs.values())
    assert stored == [("day", "2026-10-31", "nightly"), ("month", "2026-10-01", "nightly"),
                      ("week", "2026-10-25", "nightly")]
    assert steps[0] == (1, 21) and steps[-1] == (21, 21) and len(steps) == 21
    settings = jobs.settings()
    assert (settings.last_status, settings.last_message, settings.last_run_at) == (
        "ok", "2026-10-31: day, week, month", HOTLINE_NOW)


def test_a_disabled_schedule_skips_the_night():
    store, _, jobs = setup(enabled=False)
    assert jobs.nightly(WALL) == {"skipped": "disabled"} and store.runs.runs == {}


def test_a_failed_night_is_recorded_raised_and_the_next_night_still_registered(monkeypatch):
    store, queue, jobs = setup()

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(jobs.reports, "compute_and_store", broken)
    planned = WALL - timedelta(minutes=5)
    with pytest.raises(RuntimeError):
        jobs.run_nightly(planned)
    settings = jobs.settings()
    assert settings.last_status == "failed" and settings.last_message == "RuntimeError: database went away"
    [(_, when)] = jobs.registered_runs()
    assert when > WALL


def test_each_night_registers_the_next_after_the_one_just_run():
    _, _, jobs = setup()
    planned = datetime(2030, 1, 11, 18, 30, tzinfo=timezone.utc)       # a night ahead of the wall clock
    jobs.run_nightly(planned)
    [(_, when)] = jobs.registered_runs()
    assert when == planned + timedelta(days=1)


def test_a_worker_starts_even_when_the_queue_is_down(caplog):
    _, queue, jobs = setup()
    assert jobs.register_at_start() is not None
    queue.down = True
    with caplog.at_level(logging.WARNING):
        assert jobs.register_at_start() is None
    assert "could not register the nightly reports job" in caplog.text
    assert jobs.registered() == {"error": "ConnectionError"}


def test_a_period_is_queued_with_its_limits_and_retries():
    _, queue, jobs = setup()
    job_id = jobs.enqueue("week", date(2026, 10, 31), "east", source="cli")
    job = queue.queued[-1]
    assert job["id"] == job_id and job["function"] == RUN_REPORT and job["queue"] == "reports"
    assert job["args"] == ("week", "2026-10-31", "east", "cli")
    assert job["kwargs"]["retries"] == 3 and job["kwargs"]["description"] == "report week ending 2026-10-31 east"
    assert queue.queued[-1]["kwargs"]["result_ttl"] == 7 * 24 * 3600


def test_the_job_computes_and_stores_one_period():
    store, _, jobs = setup()
    result = jobs.run_report("week", "2026-10-31", "east")
    assert result["line"] == "east" and result["offered"] == 2 and result["period"]["first"] == "2026-10-25"
    assert store.runs.runs[result["run_id"]].source == "on_demand"


def test_only_report_jobs_have_a_status_here():
    _, queue, jobs = setup()
    job_id = jobs.enqueue("day", date(2026, 10, 31))
    queue.statuses[job_id] = {"id": job_id, "status": "queued"}
    assert jobs.job_status(job_id) == {"id": job_id, "status": "queued"}
    other = queue.enqueue("hotline.jobs.roster.generate_roster", queue="default")
    queue.statuses[other] = {"id": other, "status": "queued"}
    assert jobs.job_status(other) is None and jobs.job_status("no-such-job") is None
    old = queue.enqueue("hotline.jobs_reports.run_report", queue="reports")     # queued by the last release
    queue.statuses[old] = {"id": old, "status": "finished"}
    assert jobs.job_status(old)["status"] == "finished"


def test_the_schedule_page_lists_the_stored_runs_newest_first():
    store, _, jobs = setup()
    jobs.run_report("day", "2026-10-30")
    jobs.clock.advance(hours=1)
    jobs.run_report("week", "2026-10-31", "east", source="cli")
    assert [(r.period, r.scope, r.source) for r in jobs.recent_runs()] == [("week", "east", "cli"),
                                                                         ("day", "*", "on_demand")]
    assert len(jobs.recent_runs(limit=1)) == 1
