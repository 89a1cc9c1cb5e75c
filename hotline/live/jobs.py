"""Background jobs on RQ: the Jobs and ScheduledJobs ports (hotline/ports.py), and JobWorkers.

Jobs are named by the dotted path of their function ("hotline.jobs.triage.follow_up_due"),
as RQ stores them, so a use case enqueues work without importing the entry point that runs
it, and a job scheduled by one release still runs in the next (hotline/jobs/legacy_paths.py
keeps old paths importable). Queues are `<prefix>-<name>`, so a deployment (or a test) owns
its queues. Every job is idempotent and, unless told otherwise (`retries=0`), runs again if
its worker dies or it fails. RQ blocks on Redis, so it gets its own connection, without the
short timeouts of the web's client.

Keyword options of enqueue / enqueue_in / enqueue_at: timeout (or RQ's job_timeout),
result_ttl, failure_ttl (seconds), description, retries. The job function receives only
the positional arguments.
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Callable

import redis
from rq import Queue, Retry, Worker
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import ScheduledJobRegistry

RETRIES = 3


class RqJobs:
    def __init__(self, redis_url: Callable[[], str], prefix: str) -> None:
        self._redis_url = redis_url          # resolved on first use: the process starts without Redis
        self.prefix = prefix
        self._lock = threading.Lock()
        self._connection: redis.Redis | None = None

    @property
    def connection(self) -> redis.Redis:
        with self._lock:
            if self._connection is None:
                self._connection = redis.Redis.from_url(self._redis_url())
            return self._connection

    def queue(self, name: str = "default") -> Queue:
        return Queue(f"{self.prefix}-{name}", connection=self.connection)

    def enqueue(self, function: str, *args, queue: str = "default", job_id: str | None = None, **options) -> str:
        return self.queue(queue).enqueue(function, *args, job_id=job_id, **_rq_options(options)).id

    def enqueue_in(self, delay: timedelta, function: str, *args, queue: str = "default", job_id: str | None = None,
                   **options) -> str:
        return self.queue(queue).enqueue_in(delay, function, *args, job_id=job_id, **_rq_options(options)).id

    def enqueue_at(self, at: datetime, function: str, *args, queue: str = "default", job_id: str | None = None,
                   **options) -> str:
        return self.queue(queue).enqueue_at(at, function, *args, job_id=job_id, **_rq_options(options)).id

    def scheduled(self, queue: str, prefix: str) -> list[tuple[str, datetime]]:
        registry = ScheduledJobRegistry(queue=self.queue(queue))
        found = [(job_id, registry.get_scheduled_time(job_id)) for job_id in registry.get_job_ids()
                 if job_id.startswith(prefix)]
        return sorted(found, key=lambda item: item[1])

    def cancel(self, job_id: str, queue: str) -> None:
        ScheduledJobRegistry(queue=self.queue(queue)).remove(job_id, delete_job=True)

    def _job(self, job_id: str) -> Job | None:
        try:
            return Job.fetch(job_id, connection=self.connection)
        except NoSuchJobError:
            return None

    def function_of(self, job_id: str) -> str | None:
        job = self._job(job_id)
        return None if job is None else job.func_name

    def status(self, job_id: str) -> dict | None:
        """What a page shows about a job: state, progress, result summary or error (None: unknown)."""
        job = self._job(job_id)
        if job is None:
            return None
        status = str(getattr(job.get_status(refresh=True), "value", job.get_status()))
        latest = job.latest_result()
        error = getattr(latest, "exc_string", None) if latest is not None else None
        return {"id": job.id, "status": status, "progress": job.meta.get("progress"),
                "result": job.return_value() if status == "finished" else None,
                "error": error.strip().splitlines()[-1] if error else None}

    def listening(self, queue: str = "default") -> int:
        """Workers listening on a queue (the roster page says when nobody would run a job)."""
        return Worker.count(queue=self.queue(queue))

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


def _rq_options(options: dict) -> dict:
    """The port's job options in RQ's words."""
    options = dict(options)
    if "timeout" in options:
        options["job_timeout"] = options.pop("timeout")
    retries = options.pop("retries", RETRIES)
    if retries:
        options["retry"] = Retry(max=retries)
    return options
