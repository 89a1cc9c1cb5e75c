"""Wiring of the console area: a counselor's working day and the offers.

Builds the use cases of hotline/usecases/{console,console_tick,console_view,dispatch,
notices}.py from the adapters and the other areas' collaborators. The collaborators of
areas not converted yet are small adapters below, marked TRANSITION, that satisfy the
Protocol of hotline/ports.py by calling the legacy code; their owners' real ones replace
them at merge (the Hotline attribute to use is named on each).
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from hotline.ports import CloseGuard, DispatchTrigger, LostQueues, OfferContext, Presence, Staffing
from hotline.store.calls import caller_history
from hotline.store.console import ConsoleUnitOfWork
from hotline.store.users import list_users
from hotline.usecases.console import ConsoleService
from hotline.usecases.console_tick import TimePassing
from hotline.usecases.console_view import ConsoleView
from hotline.usecases.dispatch import Dispatcher
from hotline.usecases.notices import Notices
from hotline.usecases.triage.assessments import ready_blockers
from hotline.usecases.triage.file_view import summary, warning_text
from hotline.usecases.triage.files import get_file, is_flagged

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
                      offer_timeout_s=settings.offer_timeout_s, continuity_wait_s=settings.continuity_wait_s)


def console(adapters: Adapters, notices: Notices, close_guard: CloseGuard, trigger: DispatchTrigger) -> ConsoleService:
    return ConsoleService(presences=adapters.presence, steps=adapters.offers, queues=adapters.queues,
                          records=adapters.records, calls=adapters.telephony, directory=adapters.directory,
                          notices=notices, close_guard=close_guard, continuity=adapters.floor_memory,
                          handle_times=adapters.floor_memory, trigger=trigger, clock=SettingsClock(adapters),
                          wrapup_s=adapters.settings.wrapup_s)


def time_passing(adapters: Adapters, console: ConsoleService, dispatcher: Dispatcher,
                 recovery: LostQueues) -> TimePassing:
    return TimePassing(console=console, dispatcher=dispatcher, recovery=recovery, clock=SettingsClock(adapters))


def console_view(adapters: Adapters, notices: Notices) -> ConsoleView:
    return ConsoleView(presences=adapters.presence, steps=adapters.offers, queues=adapters.queues,
                       notices=notices, directory=adapters.directory,
                       uow=lambda: ConsoleUnitOfWork(adapters.db), clock=SettingsClock(adapters))


def legacy_console(adapters: Adapters) -> ConsoleService:
    """TRANSITION (calls area): the console as the legacy calls flow reaches it (through
    Adapters.hang_ups) until it takes Hotline.hang_ups."""
    told = notices(adapters, LegacyOfferContext(adapters))
    return console(adapters, told, LegacyCloseGuard(adapters), adapters.dispatch_wakeup)


# --- TRANSITION adapters for the areas not converted yet ----------------------------------------

class LegacyStaffing:
    """TRANSITION (roster area): Staffing through the legacy eligibility; use Hotline.staffing."""

    def __init__(self, adapters: Adapters) -> None:
        self.adapters = adapters

    def lines_for(self, presence: Presence, at: datetime) -> set[str]:
        return self.adapters.eligibility.lines_for(presence, at)

    def staffed_counts(self, at: datetime) -> dict[str, int]:
        return self.adapters.staffed_counts(at)


class LegacyCloseGuard:
    """TRANSITION (triage area): CloseGuard through the legacy assessments; use Hotline.close_guard."""

    def __init__(self, adapters: Adapters) -> None:
        self.adapters = adapters

    def ready_blockers(self, counselor_id: int) -> list[str]:
        return ready_blockers(self.adapters, counselor_id)


class LegacyOfferContext:
    """TRANSITION (triage area): OfferContext as the legacy Notices built it from the caller
    files and the call record; use Hotline.offer_context."""

    def __init__(self, adapters: Adapters) -> None:
        self.adapters = adapters

    def offer_context(self, caller_key: str, call_sid: str) -> dict:
        flagged = is_flagged(self.adapters, caller_key)   # rebuilt from the caller files if Redis lost it
        return {"flagged": flagged, "warning": self._warning(caller_key) if flagged else None,
                "history": self._history(caller_key, call_sid)}

    def _warning(self, caller_key: str) -> str:
        """The text the counselor reads before answering a flagged caller (with the file's level)."""
        level = None
        try:
            with self.adapters.db.session() as session:
                found = get_file(session, caller_key)
                level = found.flagged_level if found else None
        except Exception as exc:   # the warning must show even without the database
            log.warning("档案标记等级不可用 / flag level unavailable: %s", type(exc).__name__)
        return warning_text(level)

    def _history(self, caller_key: str, call_sid: str) -> dict:
        if not caller_key or caller_key == "anonymous":
            return {"previous_contacts": 0, "last_contact_at": None}
        try:
            with self.adapters.db.session() as session:
                history = caller_history(session, caller_key, call_sid)
        except Exception as exc:  # the offer matters more than its history
            log.warning("来电者档案摘要不可用 / caller history unavailable for call %s: %s", call_sid, exc)
            return {"previous_contacts": None, "last_contact_at": None}
        if not history.get("previous_contacts"):
            return history              # a first call: nothing else can be on file
        try:
            with self.adapters.db.session() as session:
                return history | summary(session, caller_key, call_sid)
        except Exception as exc:
            log.warning("分诊档案摘要不可用 / triage file summary unavailable for call %s: %s",
                        call_sid, type(exc).__name__)
            return history | {"last_risk_level": None, "open_referrals": None}


def counselor_profiles(adapters: Adapters) -> list[tuple[str, int, str, tuple[str, ...]]]:
    """TRANSITION (ops area): (username, id, name, lines) of the active counselors, through the
    legacy users store, for `hotline demo-agents`; the accounts use case will list them."""
    with adapters.db.session() as session:
        return [(u.username, u.id, u.display_name, tuple(u.lines))
                for u in list_users(session, role="counselor") if u.active]
