"""In-memory fakes of the roster area's unit of work (hotline/ports.py, roster section); its
shifts, leave and swaps are in fakes_roster_shifts.py, the small ports in fakes_roster_ports.py.

FakeRosterStore holds the roster's tables the way the database does — shared by every
unit of work, committed state only: a unit of work left without commit() rolls back,
and the unique seat (counselor, start, line) is enforced like the real constraint. The
SQL repositories themselves are proven in tests/integration/roster.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from hotline.ports import (AuditEntry, FeedTokenRecord, StaffMember, StoredLeave, StoredPattern, StoredShift,
                           StoredSlot, SwapRecord)
from tests.unit.usecases.fakes_roster_shifts import FakeLeave, FakeShifts, FakeSwaps, OverTables


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


class FakeSlots(OverTables):
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


class FakePatterns(OverTables):
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


class FakeStaff(OverTables):
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


class FakeAudit(OverTables):
    def record(self, at, actor_id, action, target="", before=None, after=None, note="") -> None:
        self.t.audit.append(AuditEntry(len(self.t.audit) + 1, at, actor_id, action, target[:128], before, after,
                                       note or ""))

    def latest(self, limit: int = 200) -> list[AuditEntry]:
        return list(reversed(self.t.audit))[:limit]


class FakeFeeds(OverTables):
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
