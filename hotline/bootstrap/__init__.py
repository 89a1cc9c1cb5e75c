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

from hotline.bootstrap import calls
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

    # --- calls area: the caller's path through /voice/* (wiring in calls.py) ---------------
    @cached_property
    def calls_routing(self) -> calls.CallRouting:
        return calls.call_routing(self)

    @cached_property
    def calls_waiting(self) -> calls.WaitingRoom:
        return calls.waiting_room(self)

    @cached_property
    def calls_transfers(self) -> calls.Transfers:
        return calls.transfers(self)

    @cached_property
    def calls_bridge(self) -> calls.Bridge:
        return calls.bridge(self)

    @cached_property
    def calls_voicemail(self) -> calls.Voicemail:
        return calls.voicemail(self)

    @cached_property
    def calls_status(self) -> calls.CallStatus:
        return calls.call_status(self)

    @cached_property
    def calls_failsafe(self) -> calls.FailSafe:
        return calls.failsafe(self)

    @cached_property
    def calls_failsafe_log(self) -> calls.FailSafeLog:
        return calls.failsafe_log(self)

    @cached_property
    def lost_queues(self) -> calls.QueueRecovery:
        """hotline.ports.LostQueues, for the console's tick."""
        return calls.queue_recovery(self.adapters)


def bootstrap(settings: Settings | None = None) -> Services:
    """Wire the real adapters for a CLI command or an RQ job (no app context)."""
    settings = settings or from_env()
    configure_logging()
    return Services(settings)


def bootstrap_hotline(settings: Settings | None = None) -> Hotline:
    """The use cases of a CLI command or an RQ worker process (no app context)."""
    return Hotline(bootstrap(settings))
