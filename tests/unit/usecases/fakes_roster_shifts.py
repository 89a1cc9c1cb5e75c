"""In-memory roster shifts, leave and swap requests (the fakes of hotline/store/shifts_repo.py),
over the tables of FakeRosterStore (fakes_roster.py)."""
from __future__ import annotations

from dataclasses import replace

from hotline.ports import OPEN_SWAP_STATUSES, NewShift, StoredLeave, StoredShift, SwapRecord
from hotline.shifts import Shift


class SeatTaken(Exception):
    """The fake's unique constraint (uq_roster_shift_seat)."""


class OverTables:
    """A fake repository: reads and writes FakeRosterStore's tables."""

    def __init__(self, tables) -> None:
        self.t = tables


class FakeShifts(OverTables):
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


class FakeLeave(OverTables):
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


class FakeSwaps(OverTables):
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
