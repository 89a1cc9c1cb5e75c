"""RQ job: generate the roster for a date range, reporting progress for the page.

A plain importable function (the worker imports it by name, as queued by
hotline/usecases/roster/generation_jobs.py); it takes this worker's use cases from
job_hotline() — never an app context — and returns the summary the page shows.
"""
from __future__ import annotations

from datetime import date

from hotline.jobs import plumbing as jobs


def generate_roster(first: str, last: str, actor_id: int | None = None) -> dict:
    """Regenerate first..last (ISO dates); progress goes to job.meta["progress"]."""
    hotline = jobs.job_hotline()
    summary = hotline.roster_generation.generate_range(date.fromisoformat(first), date.fromisoformat(last),
                                                       actor_id=actor_id, progress=jobs.report_progress)
    try:
        hotline.coverage_alerts.raise_alerts(hotline.settings.clock.now())
    except Exception:  # noqa: BLE001 — the roster is saved; an alert can wait for the next check
        pass
    return summary
