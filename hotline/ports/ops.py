"""Ports of the dashboard, alerts, accounts and operations (the ops area)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Protocol, Sequence
from hotline.ports.common import UnitOfWork

__all__ = [
    "DASHBOARD_ROOM",
    "LEVELS_THAT_SOUND",
    "Alert",
    "AlertBoard",
    "OpenAlerts",
    "QueuedCaller",
    "FloorState",
    "DayCall",
    "QueueEntry",
    "TodayRecords",
    "ROLES",
    "MAX_USERNAME_LENGTH",
    "ROLE_LABELS",
    "IMPLIED_ROLES",
    "role_grants",
    "AccountError",
    "Account",
    "SignIn",
    "Users",
    "AccountEvent",
    "AccountAudit",
    "OpsUnitOfWork",
    "DashboardLeadership",
    "ChangeSource",
    "SnapshotSink",
    "RateWindow",
    "FailureStreaks",
    "Schema",
    "Probe",
]

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
    withheld: bool = False    # 号码未显示: the caller's number was withheld


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
    session_id: str            # "<id>:<session version>": bumping the version ends every old session
    locked_at: datetime | None = None   # reached the failed sign-in ceiling; a supervisor unlocks

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
    locked: bool = False       # the account is locked: the password was not even tried


class Users(Protocol):
    """The staff accounts (users table); passwords are hashed inside (argon2)."""

    def by_username(self, username: str) -> Account | None: ...

    def by_id(self, user_id: int) -> Account | None: ...

    def all(self) -> list[Account]: ...

    def display_names(self, user_ids: Iterable[int]) -> dict[int, str]: ...

    def add(self, username: str, role: str, password: str, *, display_name: str,
            lines: Sequence[str], now: datetime) -> Account: ...       # AccountError if taken

    def set_password(self, username: str, password: str) -> bool: ...

    def set_active(self, username: str, active: bool) -> bool: ...     # also ends its sessions

    def revoke_sessions(self, username: str) -> bool: ...   # a new session version; False: no such user

    def set_locked(self, username: str, locked_at: datetime | None) -> bool: ...  # False: unchanged

    def sign_in(self, username: str, password: str, now: datetime) -> SignIn: ...


@dataclass(frozen=True)
class AccountEvent:
    """One line of the account audit log: who did what to which account, when."""

    at: datetime
    username: str
    action: str        # lock, unlock, sign-out-everywhere, sign-out, password, disable, enable
    actor: str         # a username, "cli" (a shell command) or "system" (the sign-in ceiling)
    detail: str = ""


class AccountAudit(Protocol):
    """The account audit log (account_audit table): appended, never changed."""

    def record(self, event: AccountEvent) -> None: ...

    def recent(self, limit: int) -> list[AccountEvent]: ...


class OpsUnitOfWork(UnitOfWork, Protocol):
    """The ops area's transaction: staff accounts and the day's call record."""

    users: Users
    account_audit: AccountAudit
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


class RateWindow(Protocol):
    """At most N hits per key in a moving window (the `limits` library on Redis or memory)."""

    def hit(self, key: str) -> int: ...      # counts one; the hits still left (0: limit reached)

    def wait(self, key: str) -> int: ...     # seconds until a hit is allowed again (0: now)

    def clear(self, key: str) -> None: ...


class FailureStreaks(Protocol):
    """Failures in a row per key, with the time of the last one (forgotten after a day)."""

    def get(self, key: str) -> tuple[int, float]: ...   # (failures, epoch seconds of the last)

    def add(self, key: str, at: float) -> int: ...      # the failures in the streak now

    def clear(self, key: str) -> None: ...


class Schema(Protocol):
    """The database schema: the migrations not yet applied (oldest first)."""

    def pending(self) -> list[str]: ...


Probe = Callable[[], object]     # a readiness probe: truthy when usable; raises when not


