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
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Protocol, Sequence

if TYPE_CHECKING:   # the core's plain data in the reports ports' signatures (no import at run time)
    from hotline.reports.schedule import NightlySchedule
    from hotline.reports.stored import FigureRow, StoredRun
    from hotline.reports.tally import BucketRow
    from hotline.reports.windows import Window

from enum import Enum
from functools import cached_property

from hotline.routing.decision import Decision
from hotline.routing.directory import Directory
from hotline.shifts import Assignee, OnCall, RotationPattern, Shift, ShiftSlot, Unavailability
from hotline.routing.regions import region_of


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
    """Ask for a dispatch soon: the ticker thread of this process wakes up (without a ticker —
    tests, the CLI — nobody does: they tick by hand). Provided by the console area
    (Hotline.dispatch_trigger)."""

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


# --- dashboard, alerts, accounts and operations (ops area) ----------------------------------
# Use cases in hotline/usecases/{alerts,dashboard*,accounts,sign_in_limits,readiness,
# service_metrics}.py; adapters in hotline/live/{alert_board,dashboard_*,sign_in_counter}.py and
# hotline/store/{users,today,ops_uow}.py; wiring in hotline/bootstrap/ops.py.

DASHBOARD_ROOM = "dashboard"         # dashboard pages only: coalesced snapshots, no raw events
# (the other rooms, SUPERVISORS, line_room and counselor_room, are in the console section)


LEVELS_THAT_SOUND = frozenset({"imminent"})


@dataclass(frozen=True)
class Alert:
    """An alert supervisors must see and acknowledge (risk, follow-up, coverage)."""

    id: str
    kind: str                 # risk | follow_up | coverage
    level: str                # high | imminent (risk), due (follow-up), gap (coverage)
    raised_at: str            # ISO 8601
    call_sid: str | None = None
    counselor_id: int | None = None
    line_id: str | None = None
    message: str = ""

    @property
    def sounding(self) -> bool:
        return self.level in LEVELS_THAT_SOUND


class AlertBoard(Protocol):
    """The live list of open alerts, shared by every process (Redis)."""

    def put(self, alert: Alert) -> None: ...

    def remove(self, alert_id: str) -> bool: ...     # True if it was there

    def all(self) -> list[Alert]: ...


class OpenAlerts(Protocol):
    """What the dashboard shows of the alerts (the Alerts use case, Hotline.alerts)."""

    def open_alerts(self) -> list[Alert]: ...


@dataclass(frozen=True)
class QueuedCaller:
    """One caller in a line's queue as the dashboard shows it (no number, no caller key)."""

    call_sid: str
    arrived_ms: int           # first arrival, epoch milliseconds (a rolled-over caller keeps it)
    priority: int


class FloorState(Protocol):
    """The live half of the dashboard (Redis), in a few round trips."""

    def queued(self, line_ids: Sequence[str]) -> dict[str, list[QueuedCaller]]: ...   # in queue order

    def lines_of_calls(self, call_sids: Sequence[str]) -> dict[str, str]: ...       # CallSid → line id


@dataclass(frozen=True)
class DayCall:
    """A call that arrived on the day being counted (the call record, no caller data)."""

    id: int
    line_id: str | None
    received_at: datetime
    answered_at: datetime | None
    status: str
    outcome: str | None
    wait_seconds: float | None
    talk_seconds: float | None


@dataclass(frozen=True)
class QueueEntry:
    """A call entering a line's queue ("queued") or leaving it for another ("rolled_over");
    the line is the part of dedup_key after the colon."""

    call_id: int
    kind: str
    dedup_key: str
    at: datetime


class TodayRecords(Protocol):
    """The call record of one day, for today's counters."""

    def calls(self, start: datetime, end: datetime) -> list[DayCall]: ...

    def queue_entries(self, start: datetime, end: datetime) -> list[QueueEntry]: ...


ROLES = ("counselor", "supervisor", "admin")
MAX_USERNAME_LENGTH = 64             # the users table's column and the accounts rule
ROLE_LABELS = {"counselor": "咨询师 / Counselor", "supervisor": "督导 / Supervisor",
               "admin": "管理员 / Admin"}
# What each role may do beyond its own name: an admin has every supervisor right.
IMPLIED_ROLES = {"counselor": {"counselor"}, "supervisor": {"supervisor"},
                 "admin": {"admin", "supervisor"}}


def role_grants(role: str | None, *roles: str) -> bool:
    """Whether a user with `role` has one of `roles` (an admin has supervisor rights)."""
    return bool(IMPLIED_ROLES.get(role or "", set()) & set(roles))


class AccountError(ValueError):
    """A staff account could not be created or changed; the message says why (zh / en)."""


@dataclass(frozen=True)
class Account:
    """A staff member as the web and the commands see them: never the password or its hash.
    Answers Flask-Login's questions (is_active, get_id) without importing Flask."""

    id: int
    username: str
    display_name: str
    role: str
    lines: tuple[str, ...]
    active: bool
    created_at: datetime
    last_login_at: datetime | None
    session_id: str            # "<id>:<fingerprint of the hash>": a new password ends old sessions

    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def line_ids(self) -> tuple[str, ...]:
        return self.lines

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def get_id(self) -> str:
        return self.session_id

    def has_role(self, *roles: str) -> bool:
        return role_grants(self.role, *roles)


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in: the account, or None with the id of the user whose
    password did not match (None when the name is unknown), for the log."""

    account: Account | None
    refused_user_id: int | None = None


class Users(Protocol):
    """The staff accounts (users table); passwords are hashed inside (argon2)."""

    def by_username(self, username: str) -> Account | None: ...

    def by_id(self, user_id: int) -> Account | None: ...

    def all(self) -> list[Account]: ...

    def display_names(self, user_ids: Iterable[int]) -> dict[int, str]: ...

    def add(self, username: str, role: str, password: str, *, display_name: str,
            lines: Sequence[str], now: datetime) -> Account: ...       # AccountError if taken

    def set_password(self, username: str, password: str) -> bool: ...

    def set_active(self, username: str, active: bool) -> bool: ...

    def sign_in(self, username: str, password: str, now: datetime) -> SignIn: ...


class OpsUnitOfWork(UnitOfWork, Protocol):
    """The ops area's transaction: staff accounts and the day's call record."""

    users: Users
    today: TodayRecords


class DashboardLeadership(Protocol):
    """Which process pushes the dashboard (one leader, a key renewed every second) and
    whether anyone watches it (a key kept alive by processes with dashboard sockets)."""

    def renew(self, token: str, ttl_ms: int) -> bool: ...     # True: this token leads

    def release(self, token: str) -> None: ...

    def mark_watched(self, ttl_s: int) -> None: ...

    def watched(self) -> bool: ...


class ChangeSource(Protocol):
    """Where the dashboard feed hears that something changed: event names, as they happen
    (every process's events through the Redis channel, or this process's event bus)."""

    def start(self, on_event: Callable[[str | None], None], listening: Callable[[], bool]) -> None: ...

    def stop(self) -> None: ...


class SnapshotSink(Protocol):
    """Where dashboard snapshots go: the dashboard room of every browser."""

    def ready(self) -> bool: ...       # False outside a web process (nothing to emit through)

    def emit(self, snapshot: dict) -> None: ...


class FailureCounter(Protocol):
    """Failed sign-ins per key in a fixed window: (count, seconds left) — Redis or memory."""

    def peek(self, key: str) -> tuple[int, int]: ...

    def bump(self, key: str) -> None: ...

    def clear(self, key: str) -> None: ...


class Schema(Protocol):
    """The database schema: the migrations not yet applied (oldest first)."""

    def pending(self) -> list[str]: ...


Probe = Callable[[], object]     # a readiness probe: truthy when usable; raises when not


# --- roster area: rotations, rosters, swaps, coverage, who is on shift -------------------------
# The roster as the store keeps it, in plain records (ids, sources, the audit trail); `.core`
# is the shifts core's value the rules, generation and coverage work on. Shifts come in their
# line's zone, so the "roster date" (the local date a shift starts) is the one people read.

SWAP_KINDS = ("swap", "cover")
SWAP_STATUSES = ("proposed", "accepted", "approved", "rejected", "cancelled")
OPEN_SWAP_STATUSES = ("proposed", "accepted")
SHIFT_SOURCES = ("generated", "manual", "swap", "cover")

@dataclass(frozen=True)
class StoredSlot:
    """A recurring seat of a line (wall-clock times in the line's zone)."""

    id: int
    code: str
    line_id: str
    start_time: str
    end_time: str
    seats: int
    label_zh: str
    label_en: str
    tz: str
    active: bool

    @property
    def core(self) -> ShiftSlot:
        return ShiftSlot(self.code, self.line_id, self.start_time, self.end_time, self.seats, self.label_zh,
                         self.label_en, tz=self.tz)


@dataclass(frozen=True)
class StoredPattern:
    """A rotation pattern: a cycle of slot codes (None = day off); assignees hold user ids."""

    id: int
    code: str
    name: str
    cycle: list
    assignees: list            # [{"id", "members": [user ids], "offset"}]
    start_date: date
    end_date: date | None
    days: str
    on_holiday: str
    advance_on: str
    active: bool
    created_at: datetime

    @property
    def core(self) -> RotationPattern:
        people = tuple(Assignee(str(a.get("id") or i), tuple(str(m) for m in a.get("members", ())),
                                int(a.get("offset", 0))) for i, a in enumerate(self.assignees or ()))
        return RotationPattern(self.code, tuple(self.cycle or ()), people, self.start_date, days=self.days,
                               on_holiday=self.on_holiday, advance_on=self.advance_on, end=self.end_date)


@dataclass(frozen=True)
class NewShift:
    """A shift to store: generated from a pattern, or added by hand (source "manual")."""

    counselor_id: int
    line_id: str
    slot_id: int | None
    slot_code: str
    starts_at: datetime
    ends_at: datetime
    source: str = "generated"
    pattern_id: int | None = None
    original_counselor_id: int | None = None


@dataclass(frozen=True)
class StoredShift(NewShift):
    """A rostered shift; the pattern and first counselor let a regeneration respect swaps."""

    id: int = field(kw_only=True)

    @property
    def core(self) -> Shift:
        """The core shift (counselor id as a string, slot id = the slot's code, "" for ad-hoc)."""
        return Shift(str(self.counselor_id), self.line_id, self.slot_code or "", self.starts_at, self.ends_at)


@dataclass(frozen=True)
class StoredLeave:
    """Leave or other unavailability: generation skips it, rule checks report clashes."""

    id: int
    counselor_id: int
    starts_at: datetime
    ends_at: datetime
    reason: str
    created_by: int | None
    created_at: datetime

    @property
    def core(self) -> Unavailability:
        return Unavailability(str(self.counselor_id), self.starts_at, self.ends_at, self.reason or "")


@dataclass(frozen=True)
class SwapRecord:
    """A swap (two shifts change hands) or a cover (one shift goes to a colleague);
    `detail` keeps a readable copy of the shifts as proposed."""

    id: int
    kind: str
    status: str
    requester_id: int
    target_id: int
    shift_id: int | None
    other_shift_id: int | None
    reason: str
    detail: dict
    decided_by: int | None
    decision_note: str
    override: bool
    violations: list
    created_at: datetime
    accepted_at: datetime | None
    decided_at: datetime | None


@dataclass(frozen=True)
class AuditEntry:
    """Who changed what in the roster, when, with the state before and after."""

    id: int
    at: datetime
    actor_id: int | None         # None: the CLI or a job without a user
    action: str
    target: str
    before: dict | None
    after: dict | None
    note: str


@dataclass(frozen=True)
class StaffMember:
    """Someone who can be rostered (what the roster needs of an account)."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool
    line_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeedTokenRecord:
    """A counselor's calendar-feed token (only its hash is kept)."""

    id: int
    counselor_id: int
    created_at: datetime
    last_used_at: datetime | None


class SlotRepository(Protocol):
    def all(self, active_only: bool = True) -> list[StoredSlot]: ...

    def get(self, slot_id: int) -> StoredSlot | None: ...

    def add(self, *, code: str, line_id: str, start_time: str, end_time: str, seats: int, label_zh: str,
            label_en: str, tz: str) -> StoredSlot: ...

    def set_active(self, slot_id: int, active: bool) -> StoredSlot: ...


class PatternRepository(Protocol):
    def all(self, first: date | None = None, last: date | None = None,
            active_only: bool = True) -> list[StoredPattern]:
        """Patterns (optionally only those that can run between first and last)."""

    def get(self, pattern_id: int) -> StoredPattern | None: ...

    def add(self, *, created_at: datetime, **values) -> StoredPattern: ...

    def set_active(self, pattern_id: int, active: bool) -> StoredPattern: ...


class StaffDirectory(Protocol):
    """The accounts the roster refers to."""

    def get(self, user_id: int) -> StaffMember | None: ...

    def find(self, username: str) -> StaffMember | None: ...

    def by_usernames(self, usernames: Iterable[str]) -> dict[str, StaffMember]: ...

    def names(self, ids: Iterable[int] | None = None) -> dict[int, str]: ...

    def usernames(self, ids: Iterable[int]) -> dict[int, str]: ...

    def existing_ids(self, ids: Iterable[int]) -> set[int]: ...

    def counselors(self, active_only: bool = True) -> list[StaffMember]:
        """Everyone who can be rostered: counselors, and staff who answer lines."""


class ShiftRepository(Protocol):
    def between(self, start: datetime, end: datetime, *, line_ids: Sequence[str] | None = None,
                counselor_ids: Sequence[int] | None = None) -> list[StoredShift]:
        """Shifts overlapping [start, end), in time order."""

    def starting_between(self, start: datetime, end: datetime, *, source: str | None = None) -> list[StoredShift]: ...

    def ids_starting_between(self, start: datetime, end: datetime, *, source: str | None = None) -> list[int]: ...

    def delete_starting_between(self, start: datetime, end: datetime, *, source: str | None = None) -> int: ...

    def insert_many(self, shifts: Sequence[NewShift], progress: Callable[[int, int], None] | None = None) -> int: ...

    def get(self, shift_id: int) -> StoredShift | None: ...

    def add(self, shift: NewShift) -> StoredShift: ...

    def remove(self, shift_id: int) -> None: ...

    def hand_over(self, shift_id: int, counselor_id: int, source: str) -> StoredShift: ...

    def on_call_between(self, start: datetime, end: datetime) -> tuple[list[Shift], dict[str, str]]:
        """Core shifts overlapping [start, end) and their counselors' names (light, for the snapshot)."""


class LeaveRepository(Protocol):
    def between(self, start: datetime, end: datetime,
                counselor_ids: Sequence[int] | None = None) -> list[StoredLeave]: ...

    def get(self, leave_id: int) -> StoredLeave | None: ...

    def add(self, *, counselor_id: int, starts_at: datetime, ends_at: datetime, reason: str,
            created_by: int | None, created_at: datetime) -> StoredLeave: ...

    def remove(self, leave_id: int) -> None: ...


class SwapRepository(Protocol):
    def open_touching(self, shift_ids: Sequence[int]) -> list[SwapRecord]: ...

    def recent(self, *, user_id: int | None = None, statuses: Sequence[str] | None = None,
               limit: int = 200) -> list[SwapRecord]: ...

    def get(self, swap_id: int) -> SwapRecord | None: ...

    def add(self, **values) -> SwapRecord: ...

    def update(self, swap_id: int, **values) -> SwapRecord: ...


class RosterAuditLog(Protocol):
    def record(self, at: datetime, actor_id: int | None, action: str, target: str = "",
               before: dict | None = None, after: dict | None = None, note: str = "") -> None:
        """Append one entry, in the change's own transaction."""

    def latest(self, limit: int = 200) -> list[AuditEntry]: ...


class FeedTokens(Protocol):
    def of(self, counselor_id: int) -> FeedTokenRecord | None: ...

    def by_hash(self, token_hash: str) -> FeedTokenRecord | None: ...

    def save(self, counselor_id: int, token_hash: str, at: datetime) -> None:
        """The counselor's one token (a new one replaces the old, never used yet)."""

    def remove(self, counselor_id: int) -> bool: ...

    def touch(self, token_id: int, at: datetime) -> None: ...


class RosterUnitOfWork(UnitOfWork, Protocol):
    slots: SlotRepository
    patterns: PatternRepository
    staff: StaffDirectory
    shifts: ShiftRepository
    leave: LeaveRepository
    swaps: SwapRepository
    audit: RosterAuditLog
    feeds: FeedTokens

    def __enter__(self) -> RosterUnitOfWork: ...


class RosterUnitOfWorkFactory(Protocol):
    def __call__(self) -> RosterUnitOfWork: ...


class RosterVersion(Protocol):
    """A counter every process reads: bumped after every committed roster change."""

    def current(self) -> int: ...

    def bump(self) -> None: ...


class CoverageAlertGate(Protocol):
    """At most one coverage alert per line per `seconds`, across every process."""

    def claim(self, line_id: str, at: datetime, seconds: int) -> bool: ...


class JobWorkers(Protocol):
    """How many workers serve a queue (0: a queued job would wait forever)."""

    def listening(self, queue: str = "default") -> int: ...


class OnCallLookup(Protocol):
    """The shifts on and next for a rostered line, with names by counselor id; None when the
    line has no roster around `at` (or the roster is unreadable and nothing is cached)."""

    def on_call(self, line_id: str, at: datetime) -> tuple[OnCall, dict[str, str]] | None: ...


# --- console and dispatch (console area) ------------------------------------------------------
# A counselor's working day and the offers that connect callers to counselors. Providers:
# hotline/live/offers.py (OfferSteps), hotline/live/floor_memory.py (Continuity, HandleTimes),
# hotline/store/console.py (ConsoleUnitOfWork); wired in hotline/bootstrap/console.py.

SUPERVISORS = "supervisors"   # the Socket.IO room of supervisors and admins


def line_room(line_id: str) -> str:
    """The room of everyone who answers a line."""
    return f"line:{line_id}"


def counselor_room(counselor_id: int | str) -> str:
    """A counselor's own room (their console, in every tab)."""
    return f"counselor:{counselor_id}"


@dataclass(frozen=True)
class RingingOffer:
    """An offer ringing on a counselor's console, until it expires."""

    counselor_id: int
    expires_at: datetime | None


@dataclass(frozen=True)
class QueuedCall:
    """One call at the head of a line's queue, with its live hash (strings) as it was read."""

    line_id: str
    call_sid: str
    state: Mapping[str, str]


class OfferSteps(Protocol):
    """The steps of an offer's life, each one atomic in the live state: every step re-checks
    the call and the counselor it starts from, so two processes or two clicks can never give
    one call to two counselors, or one counselor two calls."""

    def make_offer(self, call_sid: str, line_id: str, counselor_id: int, at: datetime, expires: datetime,
                   seen: Sequence[str]) -> int:
        """1 made; 0 refused (taken, gone, counselor not available); -1 a caller not in `seen`
        (the dispatcher's snapshot of this line) has since joined ahead: decide again."""

    def accept(self, call_sid: str, counselor_id: int, at: datetime) -> bool: ...

    def withdraw(self, call_sid: str, counselor_id: int, at: datetime, next_state: str,
                 declined: bool) -> bool: ...

    def leave(self, call_sid: str, at: datetime, reason: str) -> tuple[bool, int | None]:
        """The caller leaves the queue (voicemail, rollover), withdrawing any ringing offer:
        (left, counselor whose offer was withdrawn); left is False once a counselor accepted."""

    def transition(self, counselor_id: int, from_state: str, to_state: str, at: datetime,
                   until: datetime | None = None) -> bool:
        """Move a counselor from an expected state ("*": any but offered/on call) to another."""

    def ringing(self, call_sid: str) -> RingingOffer | None: ...

    def queue_heads(self, line_ids: Sequence[str], depth: int) -> list[QueuedCall]:
        """The first `depth` calls of each line's queue, line by line, in queue order."""

    def dispatch_lock(self) -> AbstractContextManager[bool]:
        """`with steps.dispatch_lock() as held:` — held by one dispatcher of all processes at a time."""


class Continuity(Protocol):
    """The counselor who last spoke with each caller (by caller key)."""

    def last_counselors(self, caller_keys: Sequence[str]) -> dict[str, int]: ...

    def remember(self, caller_key: str, counselor_id: int) -> None: ...


class HandleTimes(Protocol):
    """Each line's learned handling time (talk + wrap-up, seconds), read by the expected wait."""

    def handle_time(self, line_id: str) -> float | None: ...

    def set_handle_time(self, line_id: str, seconds: float) -> None: ...


@dataclass(frozen=True)
class HandledCall:
    """A call a counselor answered, as the record has it."""

    call_sid: str
    line_id: str | None
    answered_at: datetime | None
    wait_seconds: float | None
    ended_at: datetime | None


class HandledCalls(Protocol):
    """Read-only: the calls a counselor answered, and who handled a call."""

    def last_answered(self, counselor_id: int) -> HandledCall | None: ...

    def handled_by(self, user_id: int, call_sid: str) -> bool:
        """The counselor of record of the call, or someone who wrote a note on it."""


class ConsoleUnitOfWork(UnitOfWork, Protocol):
    handled: HandledCalls


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

# --- triage (assessments, referrals, caller files, notes, keys) ------------------------------
# What the triage use cases (hotline/usecases/triage/) need: the records below, held by the
# repositories of one TriageUnitOfWork (hotline/store/triage_uow.py), and a few Redis steps
# (hotline/live/triage.py). Everything free-text arrives here already encrypted (a Keyring
# token); levels, statuses, item ids and pseudonymous caller keys are kept in clear.

class DataKeyError(ValueError):
    """A missing or unusable HOTLINE_DATA_KEY, or a token no configured key can open.

    Messages never contain key material, numbers or plaintext."""


class StoreConflict(Exception):
    """Two writers created the same row at once (a unique key); trying again sees the other's."""


@dataclass(frozen=True)
class AssessmentRecord:
    """The current assessment of one call; `peak_level` is the most severe level the call
    ever reached and `actions_done` the one-time actions already set off (never repeated)."""

    call_sid: str
    caller_key: str
    counselor_id: int
    form_id: str
    form_version: int
    answers_encrypted: str
    level: str
    rule_level: str
    peak_level: str
    reasons: list
    created_at: datetime
    updated_at: datetime
    override_reason_encrypted: str | None = None
    needs_review: bool = False
    reviewed_by: int | None = None
    reviewed_at: datetime | None = None
    actions_done: list = field(default_factory=list)
    id: int | None = None


@dataclass(frozen=True)
class ChecklistRecord:
    """The emergency checklist of one call: steps done (clear) and the values (encrypted)."""

    call_sid: str
    done: dict
    values_encrypted: str
    updated_by: int
    updated_at: datetime


@dataclass(frozen=True)
class FollowUpRecord:
    """The 24-hour follow-up of a high or imminent call (scheduled → due → done)."""

    call_sid: str
    caller_key: str
    level: str
    due_at: datetime
    created_at: datetime
    status: str = "scheduled"
    job_id: str | None = None
    done_by: int | None = None
    done_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class CallerFileRecord:
    """一人一档: one pseudonymous file per caller key; the number only encrypted, on consent."""

    caller_key: str
    created_at: datetime
    updated_at: datetime
    flagged_level: str | None = None
    flagged_at: datetime | None = None
    flagged_call_sid: str | None = None
    callback_number_encrypted: str | None = None
    callback_consent_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class ReferralRecord:
    """A hand-over of a caller to an institution; `history` holds [{status, at, by}] only."""

    call_sid: str
    caller_key: str
    institution_id: str
    status: str
    history: list
    created_by: int
    created_at: datetime
    updated_at: datetime
    next_follow_up_at: datetime | None = None
    note_encrypted: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class NoteRecord:
    """A counselor's note on a call (`body_encrypted` is a Keyring token)."""

    id: int
    call_sid: str
    counselor_id: int
    created_at: datetime
    body_encrypted: str


@dataclass(frozen=True)
class AccessEntry:
    """One line of an access log (a caller file's, or a call's notes')."""

    user_id: int
    action: str
    at: datetime


@dataclass(frozen=True)
class RecordedCall:
    """What triage reads of the call record (never the number: it is not there)."""

    call_sid: str
    caller_key: str
    line_id: str | None = None
    caller_region: str | None = None
    status: str = "received"
    counselor_id: int | None = None
    received_at: datetime | None = None
    answered_at: datetime | None = None
    talk_seconds: float | None = None


class AssessmentRepository(Protocol):
    def get(self, call_sid: str, for_update: bool = False) -> AssessmentRecord | None: ...

    def save(self, record: AssessmentRecord) -> AssessmentRecord: ...   # by call_sid; StoreConflict

    def add_actions(self, assessment_id: int, actions: Iterable[str]) -> list[str]: ...

    def latest_by(self, counselor_id: int) -> tuple[str, datetime] | None: ...

    def for_caller(self, caller_key: str) -> list[AssessmentRecord]: ...            # newest first

    def last_level(self, caller_key: str, exclude_sid: str) -> str | None: ...

    def needing_review(self) -> list[AssessmentRecord]: ...                          # oldest first

    def mark_reviewed(self, assessment_id: int, by: int, at: datetime) -> AssessmentRecord | None: ...


class ChecklistRepository(Protocol):
    def get(self, call_sid: str) -> ChecklistRecord | None: ...

    def save(self, record: ChecklistRecord) -> None: ...                              # by call_sid


class FollowUpRepository(Protocol):
    def get(self, call_sid: str) -> FollowUpRecord | None: ...

    def save(self, record: FollowUpRecord) -> None: ...                               # by call_sid

    def due(self, now: datetime) -> list[FollowUpRecord]: ...             # not done, due, by due time

    def mark_done(self, follow_up_id: int, by: int, at: datetime) -> FollowUpRecord | None: ...

    def for_caller(self, caller_key: str) -> list[FollowUpRecord]: ...                # latest due first


class CallerFileRepository(Protocol):
    def get(self, caller_key: str) -> CallerFileRecord | None: ...

    def save(self, record: CallerFileRecord) -> CallerFileRecord: ...   # by id (new: inserted)

    def delete(self, file_id: int) -> None: ...

    def flagged_keys(self) -> list[str]: ...

    def numbers_on_file(self) -> list[tuple[str, str | None]]: ...    # (caller key, number token)


class ReferralRepository(Protocol):
    def get(self, referral_id: int, for_update: bool = False) -> ReferralRecord | None: ...

    def save(self, record: ReferralRecord) -> ReferralRecord: ...       # by id (new: inserted)

    def for_call(self, call_sid: str) -> list[ReferralRecord]: ...                     # oldest first

    def for_caller(self, caller_key: str) -> list[ReferralRecord]: ...                 # newest first

    def due(self, statuses: Iterable[str], now: datetime) -> list[ReferralRecord]: ...

    def count(self, caller_key: str, statuses: Iterable[str]) -> int: ...


class AccessLog(Protocol):
    """Append-only: who opened which caller file (by key) or which call's notes (by call)."""

    def record(self, user_id: int, subject: str, action: str, at: datetime) -> None: ...

    def entries(self, subject: str) -> list[AccessEntry]: ...


class NoteRepository(Protocol):
    def add(self, call_sid: str, counselor_id: int, body_encrypted: str, at: datetime) -> NoteRecord: ...

    def for_call(self, call_sid: str) -> list[NoteRecord]: ...                         # oldest first


class CallRecordReader(Protocol):
    """The call record (the calls area writes it), read by triage."""

    def find(self, call_sid: str) -> RecordedCall | None: ...

    def latest_answered_by(self, counselor_id: int) -> tuple[str, datetime] | None: ...

    def for_caller(self, caller_key: str, limit: int = 200) -> list[RecordedCall]: ...  # newest first

    def history(self, caller_key: str, exclude_sid: str) -> dict: ...  # previous_contacts, last_contact_at


class EncryptedColumns(Protocol):
    """Every stored token and every caller-keyed row, for key rotation."""

    def columns(self) -> list[tuple[str, str]]: ...        # (table, column) of tokens, tables present

    def tokens(self, table: str, column: str) -> list[tuple[int, str]]: ...   # (row id, token)

    def replace_token(self, table: str, column: str, row_id: int, token: str) -> None: ...

    def move_caller_key(self, old: str, new: str) -> None: ...     # every keyed row but the files'


class TriageUnitOfWork(UnitOfWork, Protocol):
    assessments: AssessmentRepository
    checklists: ChecklistRepository
    follow_ups: FollowUpRepository
    caller_files: CallerFileRepository
    file_access: AccessLog
    referrals: ReferralRepository
    notes: NoteRepository
    note_access: AccessLog
    calls: CallRecordReader
    encrypted: EncryptedColumns


class FlaggedSet(Protocol):
    """The live set of flagged caller keys the router reads, and the sentinel that says it
    was built (its absence after a Redis restart triggers a rebuild from the caller files)."""

    def add(self, caller_key: str) -> None: ...

    def remove(self, caller_key: str) -> None: ...

    def any_flagged(self, caller_keys: Sequence[str]) -> bool: ...

    def is_built(self) -> bool: ...

    def rebuild(self, caller_keys: Sequence[str]) -> None: ...   # add them all, mark built


class OnceClaims(Protocol):
    """One process only sets off a (call, action): claim it atomically, release on failure."""

    def claim(self, call_sid: str, action: str) -> bool: ...

    def release(self, call_sid: str, action: str) -> None: ...


class LiveCallerKeys(Protocol):
    """What Redis keeps under a caller key (flag, last counselor), moved on a re-key."""

    def move(self, old: str, new: str) -> None: ...


# --- calls area: the caller's path through /voice/* -------------------------------------
# The use cases in hotline/usecases/calls/ take an InboundCall (parsed by
# telephony/inbound.py) and return one of the answers below; telephony/answers.py renders
# it as TwiML. The Redis reads they need are small Protocols implemented by
# live/queues.py (QueueStore); the record they read back for recovery is CallRecords.

@dataclass(frozen=True)
class InboundCall:
    """What a provider's webhook tells us about a call, normalised once."""

    call_sid: str
    dialled: str      # E.164 of our number
    caller: str       # E.164 of the caller — never logged, never stored in clear
    status: str       # the provider's call status ("ringing", "completed", ...)

    @cached_property
    def region(self) -> str | None:
        """Geocoded once per request, and only when asked (routing and the record both ask)."""
        return region_of(self.caller)


class Prompt(Enum):
    """Fixed words said before a route or a hang-up; telephony/prompts.py holds the text."""

    WELCOME = "welcome"                    # "this is <line name>"
    TRANSFERRING = "transferring"          # a counselor hands the caller to another line
    TRANSFER_FAILED = "transfer_failed"    # the external line did not answer: trying another
    GOODBYE = "goodbye"                    # the counselor's call ended normally
    COUNSELOR_UNREACHED = "counselor_unreached"   # the counselor's leg failed
    VOICEMAIL_THANKS = "voicemail_thanks"  # after the message was recorded


@dataclass(frozen=True)
class RouteAnswer:
    """Carry out a routing decision: a menu, a place in a queue, a transfer, or the hours."""

    decision: Decision
    directory: Directory
    at: datetime
    opening: Prompt | None = None
    line_name: str = ""                    # for Prompt.WELCOME


@dataclass(frozen=True)
class WaitRound:
    """One round of the waiting caller's loop: place, expected wait, the voicemail key."""

    line_id: str
    position: int
    expected_wait_s: float
    breathing: bool                        # the breathing exercise, every other round
    pause_s: int


@dataclass(frozen=True)
class HoldOn:
    """Silence for a moment (a counselor is being connected): Twilio asks again after it."""

    seconds: int


@dataclass(frozen=True)
class LeaveQueue:
    """Leave the provider's queue; its queue-result callback says what happens next."""


@dataclass(frozen=True)
class RecordVoicemail:
    """Record a message for the line (a call-back request)."""

    line_id: str | None


@dataclass(frozen=True)
class HangUp:
    prompt: Prompt | None = None


@dataclass(frozen=True)
class Continue:
    """Nothing to add: the call goes on as it is (an empty TwiML response)."""


@dataclass(frozen=True)
class RingCounselor:
    """Ring a counselor's browser and bridge the caller to it."""

    counselor_id: int
    call_sid: str


@dataclass(frozen=True)
class FailSafeAnswer:
    """Route as if nobody were on shift anywhere: an external line open now, or the
    last-resort words. Needs no Redis and no database."""

    directory: Directory
    dialled: str
    at: datetime
    line_id: str | None = None             # the line the caller came from (not tried again)


VoiceAnswer = (RouteAnswer | WaitRound | HoldOn | LeaveQueue | RecordVoicemail | HangUp | Continue
               | RingCounselor | FailSafeAnswer)


class CallEvents(Protocol):
    """Events about a call, to the supervisors and to the rooms of the lines named."""

    def publish(self, event: str, payload: dict[str, Any], *line_ids: str | None) -> None: ...


class WaitRounds(Protocol):
    """How many wait rounds a caller has heard (the breathing exercise alternates)."""

    def count_round(self, call_sid: str) -> int: ...


class LineStats(Protocol):
    """The handling time (talk + wrap-up, seconds) learned per line; None until known."""

    def handle_time(self, line_id: str) -> float | None: ...


class LiveEpoch(Protocol):
    """Tells a fresh (emptied) live state from a running one."""

    def start(self, at: datetime) -> bool:
        """Mark the live state as seen; True only the first time after it was lost."""
        ...


@dataclass(frozen=True)
class RecordedWait:
    """A call the record still shows as waiting (to put back after Redis lost its queue)."""

    call_sid: str
    line_id: str
    priority: int
    queued_at: datetime            # when it joined a queue (else when it was received)
    caller_key: str
    dialled: str


class CallRecords(Protocol):
    """The call record, read back (the writes go through the RecordSink)."""

    def still_waiting(self, since: datetime) -> list[RecordedWait]:
        """Calls received since then, waiting on a line and not ended, in queue order."""
        ...


class CallsUnitOfWork(UnitOfWork, Protocol):
    calls: CallRecords


class FlaggedSetRepair(Protocol):
    """Put the flagged callers back into the live set if Redis lost it (throttled; True
    when it rebuilt). Provided by the triage area (Hotline.flagged_callers)."""

    def ensure(self, force: bool = False) -> bool: ...


class LostQueues(Protocol):
    """Rebuild the queues from the record once per Redis lifetime; how many calls were
    put back. Provided by the calls area (Hotline.lost_queues); the console's tick calls it."""

    def rebuild_if_needed(self) -> int: ...
