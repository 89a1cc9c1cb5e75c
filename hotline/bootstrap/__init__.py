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
from hotline.bootstrap import conference as conference_wiring
from hotline.bootstrap import console as console_wiring
from hotline.bootstrap import ops
from hotline.bootstrap import reports as reports_wiring
from hotline.bootstrap import roster
from hotline.bootstrap import triage
from hotline.bootstrap.adapters import Adapters
from hotline.logging_setup import configure_logging
from hotline.ports import DispatchTrigger, HangUps, OnDuty, Staffing
from hotline.settings import Settings, from_env
from hotline.usecases.console import ConsoleService
from hotline.usecases.console_tick import TimePassing
from hotline.usecases.console_view import ConsoleView
from hotline.usecases.dispatch import Dispatcher
from hotline.usecases.notices import Notices

__all__ = ["Adapters", "Hotline", "adapters_from_env", "bootstrap"]


class Hotline:
    """The use cases of one process (built lazily, once each)."""

    def __init__(self, adapters: Adapters) -> None:
        self.adapters = adapters
        self.ticker = None      # this process's offers/timeouts loop (a web process runs one)

    @property
    def settings(self) -> Settings:
        return self.adapters.settings

    def close(self) -> None:
        if self.ticker is not None:
            self.ticker.stop()
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
    # --- roster area (hotline/bootstrap/roster.py) ----------------------------------------------
    @cached_property
    def staffing(self) -> Staffing:
        """Who may answer which line, by the roster (also the on-call lookup and its snapshot)."""
        return roster.eligibility(self.adapters)

    @cached_property
    def on_duty(self) -> OnDuty:
        return roster.duty_board(self.adapters)

    @cached_property
    def coverage_alerts(self) -> roster.CoverageAlerts:
        return roster.coverage_alerts(self.adapters, self.alerts)

    @cached_property
    def roster_calendar(self) -> roster.RosterCalendar:
        return roster.calendar(self.adapters)

    @cached_property
    def roster_generation(self) -> roster.RosterGeneration:
        return roster.generation(self.adapters)

    @cached_property
    def roster_jobs(self) -> roster.GenerationJobs:
        return roster.generation_jobs(self.adapters)

    @cached_property
    def roster_coverage(self) -> roster.RosterCoverage:
        return roster.coverage(self.adapters)

    @cached_property
    def roster_setup(self) -> roster.RosterSetup:
        return roster.setup(self.adapters)

    @cached_property
    def roster_edits(self) -> roster.RosterEdits:
        return roster.edits(self.adapters)

    @cached_property
    def roster_swaps(self) -> roster.SwapRequests:
        return roster.swaps(self.adapters)

    @cached_property
    def roster_feeds(self) -> roster.CalendarFeeds:
        return roster.feeds(self.adapters)

    # --- console area: a counselor's working day, the offers (hotline/bootstrap/console.py) ---
    @cached_property
    def notices(self) -> Notices:
        return console_wiring.notices(self.adapters, self.offer_context)

    @cached_property
    def dispatcher(self) -> Dispatcher:
        return console_wiring.dispatcher(self.adapters, self.notices, self.staffing)

    @cached_property
    def console(self) -> ConsoleService:
        return console_wiring.console(self.adapters, self.notices, self.close_guard,
                                      self.dispatch_trigger)

    @cached_property
    def console_tick(self) -> TimePassing:
        return console_wiring.time_passing(self.adapters, self.console, self.dispatcher,
                                           self.lost_queues)

    @cached_property
    def console_view(self) -> ConsoleView:
        return console_wiring.console_view(self.adapters, self.notices)

    @property
    def hang_ups(self) -> HangUps:
        return self.console

    @property
    def dispatch_trigger(self) -> DispatchTrigger:
        return self.adapters.dispatch_wakeup

    # --- triage area (wiring: hotline/bootstrap/triage.py) ---------------------------------
    close_guard = cached_property(triage.close_guard)                 # hotline.ports.CloseGuard
    blocked_records = cached_property(triage.blocked_records)         # hotline.ports.BlockedRecordList
    flagged_callers = cached_property(triage.flagged_callers)         # hotline.ports.FlaggedCallers
    offer_context = cached_property(triage.offer_context)             # hotline.ports.OfferContext
    emergency_log = cached_property(triage.emergency_log)             # hotline.ports.EmergencyLog
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

    # --- a call's conference (wiring in conference.py) ----------------------------------------
    calls_conference = cached_property(conference_wiring.conference_callbacks)
    conference_actions = cached_property(conference_wiring.conference_actions)
    conference_board = cached_property(conference_wiring.conference_board)

    @cached_property
    def lost_queues(self) -> calls.QueueRecovery:
        """hotline.ports.LostQueues, for the console's tick."""
        return calls.queue_recovery(self)

    # --- dashboard, alerts, accounts and operations (ops area: hotline/bootstrap/ops.py) -------
    @cached_property
    def alerts(self):
        """Alerts: raise (the AlertRaiser of ports.py), acknowledge, list."""
        return ops.alerts(self.adapters)

    @cached_property
    def dashboard(self):
        return ops.dashboard(self.adapters, self.alerts, self.staffing, self.on_duty, self.blocked_records)

    @cached_property
    def holiday_table_notice(self):
        """The missing-holiday-table warning of the dashboard (the doctor's check, same core)."""
        return ops.holiday_table_notice(self.adapters)

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
        return ops.accounts(self.adapters, self.sign_in_limits)

    @cached_property
    def sign_in_limits(self):
        return ops.sign_in_limits(self.adapters)

    @cached_property
    def sign_in_gate(self):
        return ops.sign_in_gate(self.accounts, self.sign_in_limits)



def adapters_from_env(settings: Settings | None = None) -> Adapters:
    """The real adapters of a CLI command or an RQ worker process (no app context)."""
    settings = settings or from_env()
    configure_logging()
    return Adapters(settings)


def bootstrap(settings: Settings | None = None) -> Hotline:
    """The use cases of a CLI command or an RQ worker process (no app context)."""
    return Hotline(adapters_from_env(settings))
