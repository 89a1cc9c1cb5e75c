"""Background jobs on RQ (Jobs, JobWorkers): enqueue by dotted path, read a job's status.

Queues are named `<redis prefix>-<name>`, so a deployment (or a test) owns its queues.
Every job is idempotent and retried if its worker dies or it fails (Retry(max=3)).
Keyword arguments of enqueue are RQ's job options (job_timeout, result_ttl, failure_ttl).
RQ blocks on Redis: its connection is its own, without the web's short timeouts.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import redis
from rq import Queue, Retry, Worker
from rq.exceptions import NoSuchJobError
from rq.job import Job

RETRIES = 3


class RqJobs:
    def __init__(self, redis_url: Callable[[], str], prefix: str) -> None:
        self._redis_url = redis_url        # resolved on first use: the embedded Redis may start then
        self.prefix = prefix
        self._connection: redis.Redis | None = None

    @property
    def connection(self) -> redis.Redis:
        if self._connection is None:
            self._connection = redis.Redis.from_url(self._redis_url())
        return self._connection

    def queue(self, name: str = "default") -> Queue:
        return Queue(f"{self.prefix}-{name}", connection=self.connection)

    def enqueue(self, function: str, *args, queue: str = "default", job_id: str | None = None, **options) -> str:
        job = self.queue(queue).enqueue(function, *args, job_id=job_id, retry=Retry(max=RETRIES), **options)
        return job.id

    def enqueue_in(self, delay: timedelta, function: str, *args, queue: str = "default",
                   job_id: str | None = None, **options) -> str:
        job = self.queue(queue).enqueue_in(delay, function, *args, job_id=job_id, retry=Retry(max=RETRIES),
                                           **options)
        return job.id

    def status(self, job_id: str) -> dict | None:
        """What a page shows about a job: state, progress, result summary or error (None: unknown)."""
        try:
            job = Job.fetch(job_id, connection=self.connection)
        except NoSuchJobError:
            return None
        status = str(getattr(job.get_status(refresh=True), "value", job.get_status()))
        latest = job.latest_result()
        error = getattr(latest, "exc_string", None) if latest is not None else None
        return {"id": job.id, "status": status, "progress": job.meta.get("progress"),
                "result": job.return_value() if status == "finished" else None,
                "error": error.strip().splitlines()[-1] if error else None}

    def listening(self, queue: str = "default") -> int:
        return Worker.count(queue=self.queue(queue))
