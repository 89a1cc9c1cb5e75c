"""The ports: what the use cases need from the outside world, as Protocols.

A use case (`hotline/usecases/`) takes exactly the ports it needs in its constructor
(or as arguments) and never imports an adapter, Flask, SQLAlchemy, Redis, Twilio or RQ.
The adapters in `hotline/store`, `hotline/live` and `hotline/telephony` satisfy these
Protocols structurally and import this module only for the plain data types that cross
a port (RecordOp, Waiting, Presence, ...); the composition root
(`hotline/bootstrap.py`) wires one to the other; the unit tests pass in-memory fakes
(`tests/unit/usecases/fakes.py`).

Values that cross a port are plain data: the dataclasses below, the core's types
(`hotline.routing`, `hotline.triage`, `hotline.shifts`), dicts of strings.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Protocol, Sequence

if TYPE_CHECKING:   # the core's plain data in the reports ports' signatures (no import at run time)
    from hotline.reports.schedule import NightlySchedule
    from hotline.reports.stored import FigureRow, StoredRun
    from hotline.reports.tally import BucketRow
    from hotline.reports.windows import Window
    from hotline.shifts import Shift, ShiftSlot


# --- time -------------------------------------------------------------------------------

class Clock(Protocol):
    """The one clock (hotline.clock.Clock): real, fixed or offset for drills and tests."""

    def now(self) -> datetime: ...


# --- the call record --------------------------------------------------------------------

@dataclass(frozen=True)
class RecordOp:
    """One change to a call record, safe to apply more than once (the dedup key)."""

    call_sid: str
    kind: str
    dedup_key: str
    at: datetime
    dialled_number: str = ""
    caller_key: str = ""
    fields: dict = field(default_factory=dict)
    detail: dict = field(default_factory=dict)


class RecordSink(Protocol):
    """Where call-record changes go; a webhook never waits for the database."""

    def submit(self, op: RecordOp) -> None: ...


# --- live state (Redis) -------------------------------------------------------------------

PRESENCE_STATES = ("available", "offered", "on_call", "wrap_up", "break", "offline")
WORKING = frozenset({"available", "offered", "on_call", "wrap_up"})   # staffing a line


@dataclass(frozen=True)
class Presence:
    """A counselor's live state, shared by every process."""

    counselor_id: int
    state: str
    since: datetime
    lines: tuple[str, ...]
    name: str = ""
    call: str | None = None                 # the call offered to / handled by this counselor
    until: datetime | None = None           # end of wrap-up


@dataclass(frozen=True)
class Waiting:
    """A caller's place in a line's queue."""

    call_sid: str
    line_id: str
    position: int          # 1-based
    length: int
    priority: int
    arrived_at: datetime
    enqueued_at: datetime


class CallQueues(Protocol):
    """The order of waiting callers (priority, then arrival) and each call's live hash."""

    def enqueue(self, call_sid: str, line_id: str, priority: int, at: datetime, **fields) -> Waiting: ...

    def position(self, call_sid: str) -> Waiting | None: ...

    def remove(self, call_sid: str) -> str | None: ...

    def call_state(self, call_sid: str) -> dict[str, str]: ...

    def annotate(self, call_sid: str, **fields) -> None: ...

    def lengths(self, line_ids: Iterable[str]) -> dict[str, int]: ...


class Presences(Protocol):
    """Counselor presence shared by every process."""

    def get(self, counselor_id: int) -> Presence | None: ...

    def set(self, presence: Presence) -> None: ...

    def all(self) -> list[Presence]: ...

    def update_profile(self, counselor_id: int, name: str, lines: tuple[str, ...]) -> None: ...


class Events(Protocol):
    """State changes pushed to browsers' rooms (line:<id>, counselor:<id>, supervisors)."""

    def publish(self, event: str, payload: dict[str, Any], rooms: Iterable[str]) -> None: ...


# --- privacy ------------------------------------------------------------------------------

class Keyring(Protocol):
    """Pseudonymous caller keys and encryption at rest, with key rotation."""

    def caller_key(self, e164: str) -> str: ...

    def caller_key_candidates(self, e164: str) -> list[str]: ...

    def encrypt(self, text: str) -> str: ...

    def decrypt(self, token: str) -> str: ...

    def rotate(self, token: str) -> str: ...

    def is_current(self, token: str) -> bool: ...


# --- telephony ----------------------------------------------------------------------------

class CallControl(Protocol):
    """Moving live calls through the provider's REST API (Twilio, or the simulator)."""

    def bridge(self, call_sid: str, queue_sid: str | None, counselor_id: int) -> None: ...

    def hang_up(self, call_sid: str) -> None: ...

    def redirect(self, call_sid: str, path: str) -> None: ...


# --- background jobs ----------------------------------------------------------------------

class Jobs(Protocol):
    """Background work (RQ): enqueue now or later, ask how it is going."""

    def enqueue(self, function: str, *args, queue: str = "default", job_id: str | None = None,
                **kwargs) -> str: ...

    def enqueue_in(self, delay: timedelta, function: str, *args, queue: str = "default",
                   job_id: str | None = None, **kwargs) -> str: ...

    def status(self, job_id: str) -> dict | None: ...


# --- the database -------------------------------------------------------------------------

class UnitOfWork(AbstractContextManager, Protocol):
    """One database transaction: `with uow:` … `uow.commit()`; leaving without a commit
    rolls back, so nothing half-written stays. Repositories hang off it as attributes
    (each area adds its own below) and return plain data or the rows they own."""

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """A fresh unit of work per use-case call (`with uow_factory() as uow:`)."""

    def __call__(self) -> UnitOfWork: ...


# --- cross-area collaborators ---------------------------------------------------------------
# A use case of one area reaches another area only through these (the composition root
# hands it the other area's use case), so the areas never import each other and no
# import cycle can form. The Hotline attribute that provides each is named beside it.

class DispatchTrigger(Protocol):
    """Ask for a dispatch soon: the ticker thread wakes up (at once in tests).
    Provided by the console area (Hotline.dispatch_trigger)."""

    def poke(self) -> None: ...


class Staffing(Protocol):
    """Which lines a counselor may answer at an instant (the roster where there is one,
    else their assigned lines), and per line how many working counselors may answer it.
    Provided by the roster area (Hotline.staffing)."""

    def lines_for(self, presence: Presence, at: datetime) -> set[str]: ...

    def staffed_counts(self, at: datetime) -> dict[str, int]: ...


class OnDuty(Protocol):
    """Current and next shift of a line ({"current": [...], "next": {...}} as today).
    Provided by the roster area (Hotline.on_duty)."""

    def on_duty(self, line_id: str, at: datetime) -> dict: ...


class CloseGuard(Protocol):
    """Why a counselor may not take the next call yet ("zh / en" each; [] = they may):
    a high-risk call still needs its referral, an imminent one its emergency checklist.
    Provided by the triage area (Hotline.close_guard)."""

    def ready_blockers(self, counselor_id: int) -> list[str]: ...


class FlaggedCallers(Protocol):
    """Whether any of a caller's keys (current and older data keys) is flagged high risk.
    Provided by the triage area (Hotline.flagged_callers)."""

    def is_flagged(self, caller_keys: Sequence[str]) -> bool: ...


class OfferContext(Protocol):
    """What a counselor sees of a caller's file on an offer: {"flagged", "warning",
    "history"} as in today's offer payload. Provided by the triage area
    (Hotline.offer_context)."""

    def offer_context(self, caller_key: str, call_sid: str) -> dict: ...


class HangUps(Protocol):
    """What the call use cases tell the console: the provider says the call ended; the
    caller asks to leave the queue (voicemail, rollover) — False once a counselor has
    accepted. Provided by the console area (Hotline.hang_ups)."""

    def caller_hung_up(self, call_sid: str) -> None: ...

    def caller_leaves_queue(self, call_sid: str, reason: str) -> bool: ...


class AlertRaiser(Protocol):
    """Alerts supervisors must see and acknowledge (risk, coverage).
    Provided by the dashboard area (Hotline.alerts)."""

    def raise_alert(self, kind: str, level: str, at: datetime, **fields) -> Any: ...


Rooms = Sequence[str]
Payload = Mapping[str, Any]


# --- reports (the reports area) -------------------------------------------------------------
# What the reports use cases (hotline.usecases.reports) read and keep. The call record, the
# triage records and the rosters are summed inside the database and come back as plain rows
# of sums and counts, keyed by line — never a caller key, number, note or answer text, except
# the encrypted triage answers, which the use case decrypts in memory and only counts. A
# call's line (docs: hotline/reports/__init__.py) is its last queue, else the line owning the
# dialled number: `number_lines` (E.164 → line id) is passed so the adapter can tell.
# Plain data: hotline.reports.windows.Window, tally.BucketRow, stored.FigureRow / StoredRun,
# schedule.NightlySchedule, hotline.shifts.Shift / ShiftSlot.

class ReportCallSums(Protocol):
    """Sums over the call record for a report's windows."""

    def call_buckets(self, window: Window, number_lines: Mapping[str, str]) -> list[BucketRow]: ...

    def repeat_callers_by_line(self, windows: Sequence[Window],
                               number_lines: Mapping[str, str]) -> dict[str | None, int]: ...

    def repeat_callers_overall(self, windows: Sequence[Window], number_lines: Mapping[str, str]) -> int: ...

    def rollover_events(self, windows: Sequence[Window],
                        number_lines: Mapping[str, str]) -> Iterable[tuple[int, str, str]]:
        """(call id, kind, dedup key) of the routing steps of calls that rolled over, by call, in order."""

    def wrap_up_sums(self, windows: Sequence[Window],
                     number_lines: Mapping[str, str]) -> dict[str | None, dict[str, float]]: ...


class ReportTriageRows(Protocol):
    """The triage records of a report's calls, grouped by the call's line (None: no line)."""

    def risk_levels(self, windows: Sequence[Window],
                    number_lines: Mapping[str, str]) -> Iterable[tuple[str | None, str, int]]:
        """(line, current level, assessments) of the windows' calls."""

    def answer_tokens(self, windows: Sequence[Window],
                      number_lines: Mapping[str, str]) -> Iterable[tuple[str | None, str]]:
        """(line, encrypted answers) of each assessment of the windows' calls (streamed)."""

    def referrals_made(self, windows: Sequence[Window],
                       number_lines: Mapping[str, str]) -> Iterable[tuple[str | None, int]]:
        """(line, referrals created in the windows)."""

    def completed_referrals(self, window: Window,
                            number_lines: Mapping[str, str]) -> Iterable[tuple[str | None, list[dict]]]:
        """(line, status history) of completed referrals updated since the window's start."""

    def overdue_follow_ups(self, window: Window, number_lines: Mapping[str, str],
                           as_of: datetime) -> Iterable[tuple[str | None, int]]:
        """(line, follow-up tasks due by `as_of` and not done by then) of the window's lines."""

    def referrals_open_at(self, window: Window, number_lines: Mapping[str, str],
                          as_of: datetime) -> Iterable[tuple[str | None, list[dict], datetime | None]]:
        """(line, status history, stored reminder) of referrals that may have been open at `as_of`."""


class ReportRosterRows(Protocol):
    """The rosters, as the shifts core's values."""

    def shifts(self, start: datetime, end: datetime, line_ids: Sequence[str]) -> list[Shift]: ...

    def slots(self, line_ids: Sequence[str]) -> list[ShiftSlot]:
        """The active slots of those lines ([] for no lines)."""


class ReportRuns(Protocol):
    """Stored reports: aggregate rows only."""

    def replace(self, *, period: str, first: date, last: date, scope: str, computed_at: datetime, source: str,
                notes: dict, figures: Sequence[FigureRow]) -> int:
        """Store a run, replacing the earlier run of the same period and scope; its id."""

    def find(self, period: str, first: date, last: date, line: str | None) -> StoredRun | None:
        """The newest run covering the period for `line` (a one-line run or an all-lines run)."""

    def figures(self, run_id: int, lines: Sequence[str] | None = None) -> list[FigureRow]: ...

    def recent(self, limit: int = 20) -> list[StoredRun]: ...


class ReportScheduleStore(Protocol):
    """The nightly run's settings (one row, created with its defaults when absent)."""

    def get(self) -> NightlySchedule: ...

    def update(self, *, enabled: bool, run_at: str, by: int | None, now: datetime) -> NightlySchedule: ...

    def record_result(self, *, at: datetime, status: str, message: str = "") -> None: ...


class ReportsUnitOfWork(UnitOfWork, Protocol):
    """One transaction over the reports' sources and store. A source whose records are not
    available is None (its figures are null with a note, never 0)."""

    calls: ReportCallSums
    triage: ReportTriageRows | None
    rosters: ReportRosterRows | None
    runs: ReportRuns
    schedule: ReportScheduleStore


class ReportsUnitOfWorkFactory(Protocol):
    def __call__(self) -> ReportsUnitOfWork: ...


class ScheduledJobs(Jobs, Protocol):
    """Jobs (RQ) with what the nightly chain needs: a run at an instant, the scheduled runs,
    cancelling one, and which function a job runs. Keyword options of enqueue/enqueue_at:
    timeout, result_ttl, failure_ttl (seconds), description, retries."""

    def enqueue_at(self, at: datetime, function: str, *args, queue: str = "default", job_id: str | None = None,
                   **options) -> str: ...

    def scheduled(self, queue: str, prefix: str) -> list[tuple[str, datetime]]:
        """(job id, when) of the scheduled jobs of `queue` whose id starts with prefix, soonest first."""

    def cancel(self, job_id: str, queue: str) -> None:
        """Remove a scheduled job (and the job itself)."""

    def function_of(self, job_id: str) -> str | None:
        """The dotted path of the function a job runs; None for no such job."""
