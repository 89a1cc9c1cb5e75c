"""Wiring of the console area: a counselor's working day and the offers.

Builds the use cases of hotline/usecases/{console,console_tick,console_view,dispatch,
notices}.py from the adapters and the other areas' collaborators (the Protocols of
hotline/ports.py, handed in by Hotline).
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from hotline.ports import CloseGuard, DispatchTrigger, LostQueues, OfferContext, Staffing
from hotline.store.console import ConsoleUnitOfWork
from hotline.usecases.console import ConsoleService
from hotline.usecases.console_tick import TimePassing
from hotline.usecases.console_view import ConsoleView
from hotline.usecases.dispatch import Dispatcher
from hotline.usecases.notices import Notices

if TYPE_CHECKING:
    from hotline.bootstrap.adapters import Adapters

log = logging.getLogger(__name__)


class SettingsClock:
    """The clock of the current settings: drills and tests swap the settings' clock."""

    def __init__(self, adapters: Adapters) -> None:
        self.adapters = adapters

    def now(self) -> datetime:
        return self.adapters.settings.clock.now()


def notices(adapters: Adapters, offer_context: OfferContext) -> Notices:
    return Notices(events=adapters.events, queues=adapters.queues, presences=adapters.presence,
                   directory=adapters.directory, offer_context=offer_context)


def dispatcher(adapters: Adapters, notices: Notices, staffing: Staffing) -> Dispatcher:
    settings = adapters.settings
    return Dispatcher(presences=adapters.presence, steps=adapters.offers, continuity=adapters.floor_memory,
                      staffing=staffing, notices=notices, clock=SettingsClock(adapters),
                      offer_timeout_s=settings.offer_timeout_s, continuity_wait_s=settings.continuity_wait_s,
                      marks=adapters.block_marks)


def console(adapters: Adapters, notices: Notices, close_guard: CloseGuard, trigger: DispatchTrigger) -> ConsoleService:
    return ConsoleService(presences=adapters.presence, steps=adapters.offers, queues=adapters.queues,
                          records=adapters.records, calls=adapters.telephony, directory=adapters.directory,
                          notices=notices, close_guard=close_guard, continuity=adapters.floor_memory,
                          handle_times=adapters.floor_memory, trigger=trigger, clock=SettingsClock(adapters),
                          wrapup_s=adapters.settings.wrapup_s, marks=adapters.block_marks)


def time_passing(adapters: Adapters, console: ConsoleService, dispatcher: Dispatcher,
                 recovery: LostQueues) -> TimePassing:
    return TimePassing(console=console, dispatcher=dispatcher, recovery=recovery, clock=SettingsClock(adapters))


def console_view(adapters: Adapters, notices: Notices) -> ConsoleView:
    return ConsoleView(presences=adapters.presence, steps=adapters.offers, queues=adapters.queues,
                       notices=notices, directory=adapters.directory,
                       uow=lambda: ConsoleUnitOfWork(adapters.db), clock=SettingsClock(adapters))
