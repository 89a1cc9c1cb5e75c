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

from hotline.bootstrap import ops
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

    # --- dashboard, alerts, accounts and operations (ops area: hotline/bootstrap/ops.py) -------
    @cached_property
    def alerts(self):
        """Alerts: raise (the AlertRaiser of ports.py), acknowledge, list."""
        return ops.alerts(self.adapters)

    @cached_property
    def dashboard(self):
        # TRANSITION (ops area): Legacy* become self.staffing and self.on_duty (roster area)
        return ops.dashboard(self.adapters, self.alerts, ops.LegacyStaffing(self.adapters),
                             ops.LegacyOnDuty(self.adapters))

    @cached_property
    def dashboard_feed(self):
        return ops.dashboard_feed(self.adapters, self.dashboard)

    @cached_property
    def service_metrics(self):
        return ops.service_metrics(self.adapters, self.dashboard_feed)

    @cached_property
    def readiness(self):
        return ops.readiness(self.adapters)

    @cached_property
    def accounts(self):
        return ops.accounts(self.adapters)

    @cached_property
    def sign_in_limits(self):
        return ops.sign_in_limits(self.adapters)


def bootstrap(settings: Settings | None = None) -> Services:
    """Wire the real adapters for a CLI command or an RQ job (no app context)."""
    settings = settings or from_env()
    configure_logging()
    return Services(settings)


def bootstrap_hotline(settings: Settings | None = None) -> Hotline:
    """The use cases of a CLI command or an RQ worker process (no app context)."""
    return Hotline(bootstrap(settings))
