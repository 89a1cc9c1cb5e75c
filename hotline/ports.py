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
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable, Mapping, Protocol, Sequence


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



# --- dashboard, alerts, accounts and operations (ops area) ----------------------------------
# Use cases in hotline/usecases/{alerts,dashboard*,accounts,sign_in_limits,readiness,
# service_metrics}.py; adapters in hotline/live/{alert_board,dashboard_*,sign_in_counter}.py and
# hotline/store/{users,today,ops_uow}.py; wiring in hotline/bootstrap/ops.py.

SUPERVISORS_ROOM = "supervisors"     # the rooms of hotline/live/events.py, for use cases
DASHBOARD_ROOM = "dashboard"         # dashboard pages only: coalesced snapshots, no raw events


def counselor_room(counselor_id: int | str) -> str:
    return f"counselor:{counselor_id}"


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
class QueuedCall:
    """One caller in a line's queue as the dashboard shows it (no number, no caller key)."""

    call_sid: str
    arrived_ms: int           # first arrival, epoch milliseconds (a rolled-over caller keeps it)
    priority: int


class FloorState(Protocol):
    """The live half of the dashboard (Redis), in a few round trips."""

    def queued(self, line_ids: Sequence[str]) -> dict[str, list[QueuedCall]]: ...   # in queue order

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

Rooms = Sequence[str]
Payload = Mapping[str, Any]
