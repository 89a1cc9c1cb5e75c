"""Ports of the roster area: rotations, rosters, swaps, coverage, who is on shift."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable, Iterable, Protocol, Sequence

from hotline.shifts import Assignee, OnCall, RotationPattern, Shift, ShiftSlot, Unavailability
from hotline.ports.common import UnitOfWork

__all__ = [
    "SWAP_KINDS",
    "SWAP_STATUSES",
    "OPEN_SWAP_STATUSES",
    "SHIFT_SOURCES",
    "StoredSlot",
    "StoredPattern",
    "NewShift",
    "StoredShift",
    "StoredLeave",
    "SwapRecord",
    "AuditEntry",
    "StaffMember",
    "FeedTokenRecord",
    "SlotRepository",
    "PatternRepository",
    "StaffDirectory",
    "ShiftRepository",
    "LeaveRepository",
    "SwapRepository",
    "RosterAuditLog",
    "FeedTokens",
    "RosterUnitOfWork",
    "RosterUnitOfWorkFactory",
    "RosterVersion",
    "CoverageAlertGate",
    "JobWorkers",
    "OnCallLookup",
]

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


