"""Wiring of the reports area: its use cases (hotline.usecases.reports) built from the adapters.

Reports need the database (one unit of work over the call record, the triage records,
the rosters and the stored reports), the line directory, the clock, the keyring (to
count the encrypted triage answers in memory), the triage forms (labels of concerns
and population levels) and the job queue (recompute on demand, the nightly chain).
"""
from __future__ import annotations

from functools import partial

from hotline.bootstrap.adapters import Adapters
from hotline.clock import Clock
from hotline.store.report_store import STORE_ERRORS, SqlReportsUnitOfWork
from hotline.triage.forms import load_forms
from hotline.usecases.reports import ReportCalculator, ReportJobs, Reports


def unit_of_work(adapters: Adapters):
    """A fresh reports unit of work per call, over the process's database."""
    return partial(SqlReportsUnitOfWork, adapters.db)


def reports(adapters: Adapters) -> Reports:
    uow = unit_of_work(adapters)
    def decrypt(token: str) -> str:     # the keyring is built on the first answer: stored reports never need it
        return adapters.keyring.decrypt(token)

    calculator = ReportCalculator(uow, adapters.directory, adapters.clock, decrypt)
    config_dir = adapters.settings.config_dir
    forms = partial(load_forms, config_dir / "triage") if config_dir is not None else None
    return Reports(calculator, uow, adapters.directory, adapters.clock, forms, STORE_ERRORS)


def report_jobs(adapters: Adapters, figures: Reports) -> ReportJobs:
    return ReportJobs(figures, unit_of_work(adapters), adapters.jobs, adapters.clock, wall_clock=Clock(),
                      job_prefix=adapters.settings.redis_prefix)
