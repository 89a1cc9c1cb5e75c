"""`hotline worker`: an RQ worker (with the scheduler) for Hotline's queues."""
from __future__ import annotations

import click

from hotline.bootstrap.records import RecordWrites
from hotline.jobs import legacy_paths  # noqa: F401  (jobs queued under the old dotted paths still run)
from hotline.jobs.plumbing import QUEUES, job_adapters, queue, rq_connection
from hotline.jobs.reports import register_at_start
from hotline.jobs.workers import HotlineWorker
from hotline.long_lived import freeze_start_objects


@click.command()
@click.option("--queue", "queues", multiple=True, help="queue names (default: all of Hotline's)")
@click.option("--with-scheduler/--without-scheduler", default=True, show_default=True)
@click.option("--burst", is_flag=True, help="quit when the queues are empty (tests, cron)")
def worker(queues: tuple[str, ...], with_scheduler: bool, burst: bool) -> None:
    """后台任务进程 / run background jobs (reports, reminders, rosters)."""
    services = job_adapters()
    names = queues or QUEUES
    work = HotlineWorker([queue(services, name) for name in names], connection=rq_connection(services))
    if with_scheduler:
        register_at_start(services)   # a fresh Redis gets the nightly report job again
    # HOTLINE_RECORD_WRITES=worker or auto: this process writes the call records the web processes
    # hand over — under auto not a --burst worker, which would tell them it writes, then leave.
    mode = services.settings.record_writes
    writes = mode == "worker" or (mode == "auto" and not burst)
    records = RecordWrites(services).start() if writes else None
    freeze_start_objects()
    try:
        work.work(with_scheduler=with_scheduler, burst=burst)
    finally:
        if records is not None:
            records.stop()
