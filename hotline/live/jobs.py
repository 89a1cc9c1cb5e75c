"""hotline.ports.Jobs on RQ: one queue per name under the deployment's Redis prefix.

Functions are named by dotted path ("hotline.jobs.triage.follow_up_due"), as RQ stores
them; keyword arguments are RQ's job options (description, result_ttl, ...) exactly as
Queue.enqueue takes them. Every job is retried (a worker may die mid-job: each job is
idempotent). RQ blocks on Redis, so it gets a connection without the web's short timeouts.
"""
from __future__ import annotations

import threading
from datetime import timedelta

import redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job

RETRIES = 3


class RqJobs:
    def __init__(self, redis_url: str, prefix: str) -> None:
        self.redis_url, self.prefix = redis_url, prefix
        self._lock = threading.Lock()
        self._connection: redis.Redis | None = None

    def connection(self) -> redis.Redis:
        with self._lock:
            if self._connection is None:
                self._connection = redis.Redis.from_url(self.redis_url)
            return self._connection

    def queue(self, name: str = "default") -> Queue:
        return Queue(f"{self.prefix}-{name}", connection=self.connection())

    def enqueue(self, function: str, *args, queue: str = "default", job_id: str | None = None, **kwargs) -> str:
        kwargs.setdefault("retry", Retry(max=RETRIES))
        return self.queue(queue).enqueue(function, *args, job_id=job_id, **kwargs).id

    def enqueue_in(self, delay: timedelta, function: str, *args, queue: str = "default",
                   job_id: str | None = None, **kwargs) -> str:
        kwargs.setdefault("retry", Retry(max=RETRIES))
        return self.queue(queue).enqueue_in(delay, function, *args, job_id=job_id, **kwargs).id

    def status(self, job_id: str) -> dict | None:
        """What a page shows about a job: state, progress, result summary or error."""
        try:
            job = Job.fetch(job_id, connection=self.connection())
        except NoSuchJobError:
            return None
        status = str(getattr(job.get_status(refresh=True), "value", job.get_status()))
        latest = job.latest_result()
        error = getattr(latest, "exc_string", None) if latest is not None else None
        return {"id": job.id, "status": status, "progress": job.meta.get("progress"),
                "result": job.return_value() if status == "finished" else None,
                "error": error.strip().splitlines()[-1] if error else None}

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
