"""RQ job: generate the roster for a date range, reporting progress for the page.

A plain importable function (the worker imports it by name); it builds its own
Services through job_services() — never an app context — and returns the
summary that job_status() hands to the page.
"""
from __future__ import annotations

from datetime import date

from hotline.jobs import plumbing as jobs
from hotline.usecases.roster.alerts import raise_coverage_alerts
from hotline.usecases.roster.generation import generate_range

JOB_TIMEOUT_S = 600


def generate_roster(first: str, last: str, actor_id: int | None = None) -> dict:
    """Regenerate first..last (ISO dates); progress goes to job.meta["progress"]."""
    services = jobs.job_services()
    summary = generate_range(services, date.fromisoformat(first), date.fromisoformat(last), actor_id=actor_id,
                             progress=jobs.report_progress)
    try:
        raise_coverage_alerts(services, services.now())
    except Exception:  # noqa: BLE001 — the roster is saved; an alert can wait for the next check
        pass
    return summary


def enqueue_generation(services, first: date, last: date, actor_id: int | None = None) -> str:
    """Queue a generation; returns the job id the page polls."""
    job = jobs.queue(services).enqueue(generate_roster, first.isoformat(), last.isoformat(), actor_id,
                                       job_timeout=JOB_TIMEOUT_S, result_ttl=3600, failure_ttl=3600,
                                       retry=jobs.retry_policy())
    return job.id


def workers_listening(services) -> int:
    """How many RQ workers serve the default queue (0: the job would wait forever)."""
    from rq import Worker

    try:
        return Worker.count(queue=jobs.queue(services))
    except Exception:  # noqa: BLE001
        return 0
