"""Generation in the background: the roster page queues it and polls its progress.

The job itself (hotline/jobs/roster.py) runs RosterGeneration in a worker and reports
progress in the job's metadata; a page without any listening worker says so, since a
queued job would otherwise wait forever.
"""
from __future__ import annotations

from datetime import date

from hotline.ports import JobWorkers, Jobs
from hotline.usecases.roster.context import check_range

GENERATE_JOB = "hotline.jobs.roster.generate_roster"
JOB_TIMEOUT_S = 600
KEEP_RESULT_S = 3600


class GenerationJobs:
    def __init__(self, jobs: Jobs, workers: JobWorkers) -> None:
        self.jobs = jobs
        self.workers = workers

    def queue(self, first: date, last: date, actor_id: int | None = None) -> str:
        """Queue a generation of first..last; returns the job id the page polls."""
        check_range(first, last)
        return self.jobs.enqueue(GENERATE_JOB, first.isoformat(), last.isoformat(), actor_id,
                                 job_timeout=JOB_TIMEOUT_S, result_ttl=KEEP_RESULT_S, failure_ttl=KEEP_RESULT_S)

    def status(self, job_id: str) -> dict | None:
        """State, progress, result summary or error (None: no such job, or it expired)."""
        return self.jobs.status(job_id)

    def listening(self) -> int:
        """How many workers serve the default queue (0 also when that cannot be told)."""
        try:
            return self.workers.listening()
        except Exception:  # noqa: BLE001 — Redis away: the page says no worker is listening
            return 0
