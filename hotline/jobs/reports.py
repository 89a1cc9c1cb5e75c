"""RQ jobs for reports: one period on demand, and the nightly run (hotline.usecases.reports.jobs).

The functions are referenced by dotted path in Redis (`hotline.jobs.reports.run_report`,
`…run_nightly`; before the re-layout `hotline.jobs_reports.*`, still importable through
hotline/jobs/legacy_paths.py), so their names and arguments stay as they are. Each
reports its progress on the running job (job.meta), which the page polls.
"""
from __future__ import annotations

from datetime import datetime

from hotline.bootstrap import Adapters, Hotline
from hotline.jobs import plumbing as jobs


def run_report(kind: str, end: str, line: str | None = None, source: str = "on_demand") -> dict:
    """Compute and store one period (the page's "recompute" and `hotline report --enqueue`)."""
    return jobs.job_hotline().report_jobs.run_report(kind, end, line, source, progress=jobs.report_progress)


def run_nightly(planned_for: str) -> dict:
    """The nightly run planned for `planned_for` (ISO, UTC): day, week and month ending the
    local day before; then register the next night."""
    planned = datetime.fromisoformat(planned_for)
    return jobs.job_hotline().report_jobs.run_nightly(planned, progress=jobs.report_progress)


def register_at_start(services: Adapters | None = None) -> datetime | None:
    """For `hotline worker` at start: register the nightly run (a fresh Redis has none).
    Never raises: the worker must start anyway."""
    hotline = jobs.job_hotline() if services is None else Hotline(services)
    return hotline.report_jobs.register_at_start()
