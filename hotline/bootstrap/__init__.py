"""The composition root: one place that wires adapters to use cases.

`Hotline` is what an entry point (a Flask view, a click command, an RQ job, the ticker)
holds: the use cases of one process, each built with exactly the ports it needs from
`Adapters`. Nothing below the entry points ever sees it — a use case gets its ports in
its constructor, not this object.

Each area wires its use cases in its own module beside this one (`calls.py`,
`console.py`, `triage.py`, `roster.py`, `reports.py`, `dashboard.py`, `accounts.py`),
so this file only names them. Connections stay lazy: a web process must start and
answer callers while the database or Redis is down (the voice fail-safe depends on it).
"""
from __future__ import annotations

from functools import cached_property

from hotline.bootstrap import reports as reports_wiring
from hotline.bootstrap.adapters import Adapters, Services
from hotline.logging_setup import configure_logging
from hotline.settings import Settings, from_env

__all__ = ["Adapters", "Hotline", "Services", "bootstrap", "bootstrap_hotline"]


class Hotline:
    """The use cases of one process (built lazily, once each)."""

    def __init__(self, adapters: Adapters) -> None:
        self.adapters = adapters

    @property
    def settings(self) -> Settings:
        return self.adapters.settings

    def close(self) -> None:
        self.adapters.close()

    # --- reports area (hotline/bootstrap/reports.py) ---------------------------------------
    @cached_property
    def reports(self):
        """Figures of a period: stored or live, with the previous period (usecases.reports.Reports)."""
        return reports_wiring.reports(self.adapters)

    @cached_property
    def report_jobs(self):
        """A period on demand, the nightly run and its schedule (usecases.reports.ReportJobs)."""
        return reports_wiring.report_jobs(self.adapters, self.reports)


def bootstrap(settings: Settings | None = None) -> Services:
    """Wire the real adapters for a CLI command or an RQ job (no app context)."""
    settings = settings or from_env()
    configure_logging()
    return Services(settings)


def bootstrap_hotline(settings: Settings | None = None) -> Hotline:
    """The use cases of a CLI command or an RQ worker process (no app context)."""
    return Hotline(bootstrap(settings))
