"""An RQ worker dies mid-job: the job is retried and its effect is not doubled.

The worst case is a worker that did the work and died before it could report
success: RQ's maintenance finds the abandoned job and runs it again. Generating a
roster twice must leave the same roster (and its follow-up alerts must not repeat).
"""
from __future__ import annotations

import subprocess
import sys
import time
from datetime import date

import pytest
from rq.registry import StartedJobRegistry
from sqlalchemy import func, select

from hotline.jobs.plumbing import queue, rq_connection
from hotline.jobs.roster import generate_roster
from hotline.jobs.workers import HotlineWorker
from hotline.bootstrap import Adapters, Hotline
from hotline.settings import from_env
from hotline.store.rosters import ShiftRow
from hotline.store.users import create_user
from tests.servers import ROOT, server_env

pytestmark = pytest.mark.slow


def _hotline(env, *args):
    return subprocess.run([sys.executable, "-m", "hotline", *args], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=120)


def _shift_count(services) -> int:
    with services.db.session() as session:
        return session.scalar(select(func.count(ShiftRow.id)))


def test_job_of_a_dead_worker_is_retried_without_doubling(tmp_path, redis_url, redis_prefix, monkeypatch):
    env = server_env(tmp_path, f"sqlite:///{tmp_path / 'hotline.db'}", redis_url, redis_prefix,
                     "http://127.0.0.1:5000", HOTLINE_NOW="2026-11-23T10:00:00+08:00")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    _hotline(env, "db", "upgrade")
    services = Adapters(from_env(env))
    with services.db.session() as session:
        for i in range(1, 5):
            create_user(session, f"counselor{i}", "counselor", "password-123", now=services.now(),
                        lines=("chengdu-gaoxin",))
    _hotline(env, "roster", "seed-demo")
    job_id = Hotline(services).roster_jobs.queue(date(2027, 1, 1), date(2027, 3, 31))
    job = queue(services).fetch_job(job_id)
    dying = HotlineWorker([queue(services)], connection=rq_connection(services), name=f"dying-{redis_prefix}")
    assert queue(services).pop_job_id() == job_id   # the worker took the job ...
    dying.prepare_execution(job)
    dying.prepare_job_execution(job)
    generate_roster("2027-01-01", "2027-03-31")     # ... did the work ...
    once = _shift_count(services)                   # ... and died before reporting success
    assert once > 0
    registry = StartedJobRegistry(queue=queue(services))
    registry.cleanup(timestamp=time.time() + 3600)  # RQ's maintenance, once the heartbeat lapsed
    job.refresh()
    assert job.get_status().value == "queued" and job.retries_left == 2   # retried, one try used
    _hotline(env, "worker", "--burst", "--without-scheduler")
    assert job.get_status(refresh=True).value == "finished"
    assert _shift_count(services) == once           # ran twice, the roster is the same
    services.close()
