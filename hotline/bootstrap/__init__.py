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

from hotline.bootstrap import triage
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

    # --- triage area (wiring: hotline/bootstrap/triage.py) ---------------------------------
    close_guard = cached_property(triage.close_guard)                 # hotline.ports.CloseGuard
    flagged_callers = cached_property(triage.flagged_callers)         # hotline.ports.FlaggedCallers
    offer_context = cached_property(triage.offer_context)             # hotline.ports.OfferContext
    triage_config = cached_property(triage.triage_config)
    triage_assessments = cached_property(triage.triage_assessments)
    triage_panel = cached_property(triage.triage_panel)
    triage_referrals = cached_property(triage.triage_referrals)
    triage_follow_ups = cached_property(triage.triage_follow_ups)
    triage_supervision = cached_property(triage.triage_supervision)
    caller_files = cached_property(triage.caller_files)
    caller_file_view = cached_property(triage.caller_file_view)
    call_notes = cached_property(triage.call_notes)
    triage_rekey = cached_property(triage.triage_rekey)


triage.install_transition(Hotline)   # TRANSITION (triage area): old names other areas still call


def bootstrap(settings: Settings | None = None) -> Services:
    """Wire the real adapters for a CLI command or an RQ job (no app context)."""
    settings = settings or from_env()
    configure_logging()
    return Services(settings)


def bootstrap_hotline(settings: Settings | None = None) -> Hotline:
    """The use cases of a CLI command or an RQ worker process (no app context)."""
    return Hotline(bootstrap(settings))
