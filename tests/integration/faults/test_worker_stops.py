"""A worker stops at once (hotline/jobs/workers.py): no minute-long wait on its pub/sub thread."""
from __future__ import annotations

import time

import pytest
import redis
from rq import Queue

from hotline.jobs.workers import HotlineSimpleWorker, HotlineWorker

pytestmark = pytest.mark.redis


@pytest.mark.parametrize("kind", [HotlineWorker, HotlineSimpleWorker])
def test_a_worker_whose_thread_read_the_unsubscribe_reply_first_still_stops_at_once(kind, redis_url, redis_prefix):
    """The race made certain: the listening thread reads the UNSUBSCRIBE reply before the worker
    gets to stop it (RQ's order). Before the fix the thread then slept its 60 s waiting for a
    next message, and the worker with it."""
    connection = redis.Redis.from_url(redis_url)
    worker = kind([Queue(f"{redis_prefix}-stops", connection=connection)], connection=connection)
    worker.subscribe()
    sent = worker.pubsub.unsubscribe

    def unsubscribe_then_yield(*args, **kwargs):
        result = sent(*args, **kwargs)
        time.sleep(0.3)                 # the listening thread takes the reply meanwhile
        return result

    worker.pubsub.unsubscribe = unsubscribe_then_yield
    started = time.monotonic()
    worker.unsubscribe()
    assert not worker.pubsub_thread.is_alive()
    assert time.monotonic() - started < 5                  # 0.3 s of it is the wait above


def test_a_burst_worker_runs_the_job_and_quits_promptly(redis_url, redis_prefix):
    connection = redis.Redis.from_url(redis_url)
    queue = Queue(f"{redis_prefix}-burst", connection=connection)
    job = queue.enqueue("builtins.len", "hotline")
    started = time.monotonic()
    HotlineSimpleWorker([queue], connection=connection).work(burst=True)
    assert job.get_status(refresh=True) == "finished" and job.return_value() == 7
    assert time.monotonic() - started < 10
