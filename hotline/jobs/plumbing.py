"""RQ plumbing: queues, progress, and the bootstrap every job calls.

Jobs are plain importable functions (in hotline/jobs/*.py) that get this worker
process's adapters from `job_adapters()` or its use cases from `job_hotline()` —
never an app context at import time — and report progress through
`job.meta["progress"]`, which pages poll to show a status.
"""
from __future__ import annotations

from functools import lru_cache

import redis
from rq import Queue, Retry, get_current_job

from hotline.bootstrap import Adapters, Hotline, adapters_from_env

QUEUES = ("default", "reports")


def retry_policy() -> Retry:
    """A job whose worker died (or that failed) runs again; every job is idempotent."""
    return Retry(max=3)


def rq_connection(services: Adapters) -> redis.Redis:
    """RQ blocks on Redis: it needs a connection without the web's short timeouts."""
    return redis.Redis.from_url(services.redis_url)


def queue(services: Adapters, name: str = "default") -> Queue:
    return Queue(f"{services.settings.redis_prefix}-{name}", connection=rq_connection(services))


@lru_cache(maxsize=1)
def job_adapters() -> Adapters:
    """One Adapters per worker process, built from the environment on first use."""
    return adapters_from_env()


@lru_cache(maxsize=1)
def job_hotline() -> Hotline:
    """The use cases of this worker process, wired to job_adapters()'s adapters."""
    return Hotline(job_adapters())


def report_progress(done: int, total: int, message: str = "") -> None:
    """Record progress on the running job (no-op outside a worker)."""
    job = get_current_job()
    if job is None:
        return
    job.meta["progress"] = {"done": done, "total": total, "message": message,
                            "percent": round(100 * done / total, 1) if total else 100.0}
    job.save_meta()


def job_status(services: Adapters, job_id: str) -> dict | None:
    """What a page shows about a job: state, progress, result summary or error (the Jobs
    adapter, hotline/live/jobs.py, reads it)."""
    return services.jobs.status(job_id)
