"""In-memory fakes of the roster area's ports (hotline/ports.py, roster section).

FakeRosterStore holds the roster's tables the way the database does — shared by every
unit of work, committed state only: a unit of work left without commit() rolls back,
and the unique seat (counselor, start, line) is enforced like the real constraint. The
SQL repositories themselves are proven in tests/integration/roster.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hotline.ports import (OPEN_SWAP_STATUSES, AuditEntry, FeedTokenRecord, NewShift, StaffMember, StoredLeave,
                           StoredPattern, StoredShift, StoredSlot, SwapRecord)
from hotline.shifts import Shift
from tests.unit.usecases.fakes import FakeJobs

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


class SeatTaken(Exception):
    """The fake's unique constraint (uq_roster_shift_seat)."""


@dataclass
class Tables:
    slots: dict[int, StoredSlot] = field(default_factory=dict)
    patterns: dict[int, StoredPattern] = field(default_factory=dict)
    staff: dict[int, StaffMember] = field(default_factory=dict)
    shifts: dict[int, StoredShift] = field(default_factory=dict)
    leave: dict[int, StoredLeave] = field(default_factory=dict)
    swaps: dict[int, SwapRecord] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    feeds: dict[int, tuple[str, FeedTokenRecord]] = field(default_factory=dict)   # counselor → (hash, record)
    next_id: int = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


class FakeRosterStore:
    """The roster database: call it for a unit of work (RosterUnitOfWorkFactory)."""

    def __init__(self) -> None:
        self.tables = Tables()
        self.fail: Exception | None = None       # set to make every unit of work fail (database down)
        self.units = 0

    def __call__(self) -> FakeRosterUnitOfWork:
        if self.fail is not None:
            raise self.fail
        self.units += 1
        return FakeRosterUnitOfWork(self)

    def person(self, user_id: int, username: str, display_name: str = "", role: str = "counselor",
               active: bool = True) -> StaffMember:
        member = StaffMember(user_id, username, display_name or f"{username}老师", role, active)
        self.tables.staff[user_id] = member
        return member

    def actions(self) -> list[str]:
        return [entry.action for entry in self.tables.audit]

    def shifts(self) -> list[StoredShift]:
        return sorted(self.tables.shifts.values(), key=lambda s: (s.starts_at, s.slot_code, s.id))


class FakeRosterUnitOfWork:
    def __init__(self, store: FakeRosterStore) -> None:
        self.store = store
        self.committed = False

    def __enter__(self) -> FakeRosterUnitOfWork:
        self._saved = copy.deepcopy(self.store.tables)
        t = self.store.tables
        self.slots, self.patterns, self.staff = FakeSlots(t), FakePatterns(t), FakeStaff(t)
        self.shifts, self.leave, self.swaps = FakeShifts(t), FakeLeave(t), FakeSwaps(t)
        self.audit, self.feeds = FakeAudit(t), FakeFeeds(t)
        return self

    def __exit__(self, *exc) -> None:
        self.rollback()

    def commit(self) -> None:
        self.committed = True
        self._saved = copy.deepcopy(self.store.tables)

    def rollback(self) -> None:
        self.store.tables.__dict__.update(copy.deepcopy(self._saved).__dict__)


class _Repo:
    def __init__(self, tables: Tables) -> None:
        self.t = tables


class FakeSlots(_Repo):
    def all(self, active_only: bool = True) -> list[StoredSlot]:
        found = [s for s in self.t.slots.values() if s.active or not active_only]
        return sorted(found, key=lambda s: (s.line_id, s.start_time, s.code))

    def get(self, slot_id: int) -> StoredSlot | None:
        return self.t.slots.get(slot_id)

    def add(self, **values) -> StoredSlot:
        slot = StoredSlot(id=self.t.new_id(), active=True, **values)
        self.t.slots[slot.id] = slot
        return slot

    def set_active(self, slot_id: int, active: bool) -> StoredSlot:
        slot = self.t.slots[slot_id] = replace(self.t.slots[slot_id], active=active)
        return slot


class FakePatterns(_Repo):
    def all(self, first: date | None = None, last: date | None = None, active_only: bool = True):
        found = [p for p in self.t.patterns.values() if (p.active or not active_only)
                 and (last is None or p.start_date <= last) and (first is None or p.end_date is None
                                                                  or p.end_date >= first)]
        return sorted(found, key=lambda p: p.code)

    def get(self, pattern_id: int) -> StoredPattern | None:
        return self.t.patterns.get(pattern_id)

    def add(self, *, created_at: datetime, **values) -> StoredPattern:
        pattern = StoredPattern(id=self.t.new_id(), active=True, created_at=created_at, **values)
        self.t.patterns[pattern.id] = pattern
        return pattern

    def set_active(self, pattern_id: int, active: bool) -> StoredPattern:
        pattern = self.t.patterns[pattern_id] = replace(self.t.patterns[pattern_id], active=active)
        return pattern


class FakeStaff(_Repo):
    def get(self, user_id: int) -> StaffMember | None:
        return self.t.staff.get(user_id)

    def find(self, username: str) -> StaffMember | None:
        return next((m for m in self.t.staff.values() if m.username == username), None)

    def by_usernames(self, usernames) -> dict[str, StaffMember]:
        wanted = set(usernames)
        return {m.username: m for m in self.t.staff.values() if m.username in wanted}

    def names(self, ids=None) -> dict[int, str]:
        wanted = None if ids is None else set(ids)
        return {m.id: m.display_name for m in self.t.staff.values() if wanted is None or m.id in wanted}

    def usernames(self, ids) -> dict[int, str]:
        wanted = set(ids)
        return {m.id: m.username for m in self.t.staff.values() if m.id in wanted}

    def existing_ids(self, ids) -> set[int]:
        return set(ids) & set(self.t.staff)

    def counselors(self, active_only: bool = True) -> list[StaffMember]:
        found = [m for m in self.t.staff.values() if (m.active or not active_only)
                 and (m.role == "counselor" or m.line_ids)]
        return sorted(found, key=lambda m: (m.display_name, m.id))


class FakeShifts(_Repo):
    def _check_seat(self, shift: NewShift, ignore: int | None = None) -> None:
        for other in self.t.shifts.values():
            if other.id != ignore and (other.counselor_id, other.starts_at, other.line_id) == \
                    (shift.counselor_id, shift.starts_at, shift.line_id):
                raise SeatTaken(f"{shift.counselor_id} already holds {shift.line_id} at {shift.starts_at}")

    def between(self, start, end, *, line_ids=None, counselor_ids=None) -> list[StoredShift]:
        found = [s for s in self.t.shifts.values() if s.starts_at < end and s.ends_at > start
                 and (line_ids is None or s.line_id in line_ids)
                 and (counselor_ids is None or s.counselor_id in counselor_ids)]
        return sorted(found, key=lambda s: (s.starts_at, s.line_id, s.id))

    def starting_between(self, start, end, *, source=None) -> list[StoredShift]:
        return [s for s in self.t.shifts.values() if start <= s.starts_at < end and source in (None, s.source)]

    def ids_starting_between(self, start, end, *, source=None) -> list[int]:
        return [s.id for s in self.starting_between(start, end, source=source)]

    def delete_starting_between(self, start, end, *, source=None) -> int:
        gone = self.ids_starting_between(start, end, source=source)
        for shift_id in gone:
            self.remove(shift_id)
        return len(gone)

    def insert_many(self, shifts, progress=None) -> int:
        for i, shift in enumerate(shifts, 1):
            self.add(shift)
            if progress is not None and (i % 10 == 0 or i == len(shifts)):
                progress(i, len(shifts))
        return len(shifts)

    def get(self, shift_id: int) -> StoredShift | None:
        return self.t.shifts.get(shift_id) if shift_id else None

    def add(self, shift: NewShift) -> StoredShift:
        self._check_seat(shift)
        stored = StoredShift(**shift.__dict__, id=self.t.new_id())
        self.t.shifts[stored.id] = stored
        return stored

    def remove(self, shift_id: int) -> None:
        del self.t.shifts[shift_id]
        for swap in list(self.t.swaps.values()):      # ON DELETE SET NULL
            if shift_id in (swap.shift_id, swap.other_shift_id):
                self.t.swaps[swap.id] = replace(swap, shift_id=None if swap.shift_id == shift_id else swap.shift_id,
                                                other_shift_id=None if swap.other_shift_id == shift_id
                                                else swap.other_shift_id)

    def hand_over(self, shift_id: int, counselor_id: int, source: str) -> StoredShift:
        moved = replace(self.t.shifts[shift_id], counselor_id=counselor_id, source=source)
        self._check_seat(moved, ignore=shift_id)
        self.t.shifts[shift_id] = moved
        return moved

    def on_call_between(self, start, end) -> tuple[list[Shift], dict[str, str]]:
        found = [s for s in self.t.shifts.values() if s.starts_at < end and s.ends_at > start]
        names = {str(s.counselor_id): self.t.staff[s.counselor_id].display_name for s in found}
        return [s.core for s in found], names


class FakeLeave(_Repo):
    def between(self, start, end, counselor_ids=None) -> list[StoredLeave]:
        found = [e for e in self.t.leave.values() if e.starts_at < end and e.ends_at > start
                 and (counselor_ids is None or e.counselor_id in counselor_ids)]
        return sorted(found, key=lambda e: e.starts_at)

    def get(self, leave_id: int) -> StoredLeave | None:
        return self.t.leave.get(leave_id)

    def add(self, **values) -> StoredLeave:
        entry = StoredLeave(id=self.t.new_id(), **values)
        self.t.leave[entry.id] = entry
        return entry

    def remove(self, leave_id: int) -> None:
        del self.t.leave[leave_id]


class FakeSwaps(_Repo):
    def open_touching(self, shift_ids) -> list[SwapRecord]:
        ids = set(shift_ids)
        return [s for s in self.t.swaps.values() if s.status in OPEN_SWAP_STATUSES
                and (s.shift_id in ids or s.other_shift_id in ids)]

    def recent(self, *, user_id=None, statuses=None, limit=200) -> list[SwapRecord]:
        found = [s for s in self.t.swaps.values() if (user_id is None or user_id in (s.requester_id, s.target_id))
                 and (statuses is None or s.status in statuses)]
        return sorted(found, key=lambda s: (s.created_at, s.id), reverse=True)[:limit]

    def get(self, swap_id: int) -> SwapRecord | None:
        return self.t.swaps.get(swap_id)

    def add(self, **values) -> SwapRecord:
        values = {"decided_by": None, "accepted_at": None, "decided_at": None} | values
        swap = SwapRecord(id=self.t.new_id(), **values)
        self.t.swaps[swap.id] = swap
        return swap

    def update(self, swap_id: int, **values) -> SwapRecord:
        swap = self.t.swaps[swap_id] = replace(self.t.swaps[swap_id], **values)
        return swap


class FakeAudit(_Repo):
    def record(self, at, actor_id, action, target="", before=None, after=None, note="") -> None:
        self.t.audit.append(AuditEntry(len(self.t.audit) + 1, at, actor_id, action, target[:128], before, after,
                                       note or ""))

    def latest(self, limit: int = 200) -> list[AuditEntry]:
        return list(reversed(self.t.audit))[:limit]


class FakeFeeds(_Repo):
    def of(self, counselor_id: int) -> FeedTokenRecord | None:
        found = self.t.feeds.get(counselor_id)
        return found[1] if found else None

    def by_hash(self, token_hash: str) -> FeedTokenRecord | None:
        return next((record for h, record in self.t.feeds.values() if h == token_hash), None)

    def save(self, counselor_id: int, token_hash: str, at: datetime) -> None:
        old = self.t.feeds.get(counselor_id)
        record = FeedTokenRecord(old[1].id if old else self.t.new_id(), counselor_id, at, None)
        self.t.feeds[counselor_id] = (token_hash, record)

    def remove(self, counselor_id: int) -> bool:
        return self.t.feeds.pop(counselor_id, None) is not None

    def touch(self, token_id: int, at: datetime) -> None:
        for cid, (h, record) in list(self.t.feeds.items()):
            if record.id == token_id:
                self.t.feeds[cid] = (h, replace(record, last_used_at=at))


# --- the other ports --------------------------------------------------------------------------------
@dataclass
class FakeRosterVersion:
    """RosterVersion: a counter; `fail` makes it behave like Redis gone away."""

    value: int = 0
    reads: int = 0
    fail: bool = False

    def current(self) -> int:
        self.reads += 1
        if self.fail:
            raise ConnectionError("redis unavailable")
        return self.value

    def bump(self) -> None:
        if self.fail:
            raise ConnectionError("redis unavailable")
        self.value += 1


@dataclass
class FakeLocalSnapshot:
    invalidations: int = 0

    def invalidate(self) -> None:
        self.invalidations += 1


@dataclass
class FakeGate:
    """CoverageAlertGate: one claim per line until it expires."""

    until: dict[str, datetime] = field(default_factory=dict)

    def claim(self, line_id: str, at: datetime, seconds: int) -> bool:
        if line_id in self.until and at < self.until[line_id]:
            return False
        self.until[line_id] = at + timedelta(seconds=seconds)
        return True


@dataclass
class FakeAlerts:
    """AlertRaiser: what was raised."""

    raised: list[dict] = field(default_factory=list)

    def raise_alert(self, kind: str, level: str, at: datetime, **fields):
        self.raised.append({"kind": kind, "level": level, "at": at, **fields})
        return self.raised[-1]


@dataclass
class FakeRosterJobs(FakeJobs):
    """Jobs and JobWorkers."""

    workers: int = 1
    broken: bool = False

    def listening(self, queue: str = "default") -> int:
        if self.broken:
            raise ConnectionError("redis unavailable")
        return self.workers


@dataclass
class FakeTicks:
    """A monotonic clock in seconds that moves only when told."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


# --- a small line directory ----------------------------------------------------------------------------
@dataclass(frozen=True)
class FakeSchedule:
    """Open daily [opens, closes) local hours, or always (opens=None)."""

    opens: int | None = None
    closes: int = 24

    def intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        if self.opens is None:
            return [(start, end)]
        spans, day = [], start.astimezone(SHANGHAI).date() - timedelta(days=1)
        while datetime.combine(day, time(), SHANGHAI) < end:
            s = datetime.combine(day, time(self.opens), SHANGHAI)
            e = datetime.combine(day, time(), SHANGHAI) + timedelta(hours=self.closes)
            if e > start and s < end:
                spans.append((max(s, start), min(e, end)))
            day += timedelta(days=1)
        return spans

    def is_open(self, at: datetime) -> bool:
        return bool(self.intervals(at, at + timedelta(seconds=1)))


@dataclass(frozen=True)
class FakeNumber:
    schedule: FakeSchedule


@dataclass(frozen=True)
class FakeLine:
    id: str
    name: str
    numbers: tuple[FakeNumber, ...]
    hosted: bool = True
    timezone: str = "Asia/Shanghai"

    def is_open(self, at: datetime) -> bool:
        return any(n.schedule.is_open(at) for n in self.numbers)


class FakeDirectory:
    """The part of hotline.routing.Directory the roster uses: iteration, get, hosted."""

    def __init__(self, *lines: FakeLine) -> None:
        self.lines = {line.id: line for line in lines}

    def __iter__(self):
        return iter(self.lines.values())

    def get(self, line_id: str):
        return self.lines.get(line_id)

    def hosted(self) -> list:
        return [line for line in self if line.hosted]


GAOXIN = "gx"
DIRECTORY = FakeDirectory(
    FakeLine(GAOXIN, "高新区热线", (FakeNumber(FakeSchedule(9, 21)),)),
    FakeLine("allday", "全天热线", (FakeNumber(FakeSchedule()), FakeNumber(FakeSchedule(9, 21)))),
    FakeLine("elsewhere", "外部热线", (FakeNumber(FakeSchedule()),), hosted=False))
