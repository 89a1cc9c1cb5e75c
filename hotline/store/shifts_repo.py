"""Rostered shifts, leave and swap requests: the roster's repositories over one Session.

Rows go out as the plain records of hotline/ports.py (shift times in the line's zone,
so a shift's roster date is the local date it starts); no business rules here — they
are in the shifts core and the roster use cases. Bulk writes use one executemany per
chunk (SQLAlchemy's "insertmanyvalues" on PostgreSQL, executemany on SQLite), so a
year of roster (~13 000 shifts) is written in well under a second.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import delete, insert, or_, select
from sqlalchemy.orm import Session

from hotline.ports import OPEN_SWAP_STATUSES, NewShift, StoredLeave, StoredShift, SwapRecord
from hotline.shifts import Shift
from hotline.shifts._time import line_zone
from hotline.store.rosters import LeaveRow, ShiftRow, SwapRequest
from hotline.store.users import User

CHUNK = 2000


class SqlShifts:
    """ShiftRepository: roster_shifts, read in each line's zone (from the directory)."""

    def __init__(self, session: Session, directory=None) -> None:
        self.session = session
        self.directory = directory

    def _record(self, row: ShiftRow) -> StoredShift:
        zone = line_zone(self.directory, row.line_id)
        return StoredShift(row.counselor_id, row.line_id, row.slot_id, row.slot_code or "",
                           row.starts_at.astimezone(zone), row.ends_at.astimezone(zone), row.source,
                           row.pattern_id, row.original_counselor_id, id=row.id)

    def between(self, start: datetime, end: datetime, *, line_ids: Sequence[str] | None = None,
                counselor_ids: Sequence[int] | None = None) -> list[StoredShift]:
        query = select(ShiftRow).where(ShiftRow.starts_at < end, ShiftRow.ends_at > start)
        if line_ids is not None:
            query = query.where(ShiftRow.line_id.in_(list(line_ids)))
        if counselor_ids is not None:
            query = query.where(ShiftRow.counselor_id.in_(list(counselor_ids)))
        rows = self.session.scalars(query.order_by(ShiftRow.starts_at, ShiftRow.line_id, ShiftRow.id))
        return [self._record(row) for row in rows]

    def starting_between(self, start: datetime, end: datetime, *, source: str | None = None) -> list[StoredShift]:
        """Shifts whose start lies in [start, end) (a date range's shifts)."""
        rows = self.session.scalars(select(ShiftRow).where(*_starting_between(start, end, source)))
        return [self._record(row) for row in rows]

    def ids_starting_between(self, start: datetime, end: datetime, *, source: str | None = None) -> list[int]:
        """Only the ids (a year is ~13 000 rows: no need to build objects for them)."""
        return list(self.session.scalars(select(ShiftRow.id).where(*_starting_between(start, end, source))))

    def delete_starting_between(self, start: datetime, end: datetime, *, source: str | None = None) -> int:
        """One DELETE for a date range's shifts (of one source)."""
        return self.session.execute(delete(ShiftRow).where(*_starting_between(start, end, source))).rowcount

    def insert_many(self, shifts: Sequence[NewShift], progress: Callable[[int, int], None] | None = None) -> int:
        """Bulk insert in chunks; progress(done, total) after each chunk."""
        rows = [_values(s) for s in shifts]
        for i in range(0, len(rows), CHUNK):
            self.session.execute(insert(ShiftRow), rows[i:i + CHUNK])
            if progress is not None:
                progress(min(i + CHUNK, len(rows)), len(rows))
        return len(rows)

    def get(self, shift_id: int) -> StoredShift | None:
        row = self.session.get(ShiftRow, shift_id) if shift_id else None
        return None if row is None else self._record(row)

    def add(self, shift: NewShift) -> StoredShift:
        row = ShiftRow(**_values(shift))
        self.session.add(row)
        self.session.flush()
        return self._record(row)

    def remove(self, shift_id: int) -> None:
        self.session.delete(self.session.get(ShiftRow, shift_id))

    def hand_over(self, shift_id: int, counselor_id: int, source: str) -> StoredShift:
        row = self.session.get(ShiftRow, shift_id)
        row.counselor_id, row.source = counselor_id, source
        self.session.flush()
        return self._record(row)

    def on_call_between(self, start: datetime, end: datetime) -> tuple[list[Shift], dict[str, str]]:
        """Core shifts overlapping [start, end) with the counselors' names; light rows for the snapshot."""
        query = (select(ShiftRow.counselor_id, ShiftRow.line_id, ShiftRow.slot_code, ShiftRow.starts_at,
                        ShiftRow.ends_at, User.display_name)
                 .join(User, User.id == ShiftRow.counselor_id)
                 .where(ShiftRow.starts_at < end, ShiftRow.ends_at > start))
        shifts, names = [], {}
        for cid, line_id, slot, begins, ends, name in self.session.execute(query):
            zone = line_zone(self.directory, line_id)
            shifts.append(Shift(str(cid), line_id, slot or "", begins.astimezone(zone), ends.astimezone(zone)))
            names[str(cid)] = name
        return shifts, names


def _starting_between(start: datetime, end: datetime, source: str | None):
    clause = [ShiftRow.starts_at >= start, ShiftRow.starts_at < end]
    return clause + ([ShiftRow.source == source] if source is not None else [])


def _values(shift: NewShift) -> dict:
    return {"counselor_id": shift.counselor_id, "line_id": shift.line_id, "slot_id": shift.slot_id,
            "slot_code": shift.slot_code, "starts_at": shift.starts_at, "ends_at": shift.ends_at,
            "source": shift.source, "pattern_id": shift.pattern_id,
            "original_counselor_id": shift.original_counselor_id}


class SqlLeave:
    """LeaveRepository: roster_leave."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def between(self, start: datetime, end: datetime,
                counselor_ids: Sequence[int] | None = None) -> list[StoredLeave]:
        query = select(LeaveRow).where(LeaveRow.starts_at < end, LeaveRow.ends_at > start)
        if counselor_ids is not None:
            query = query.where(LeaveRow.counselor_id.in_(list(counselor_ids)))
        return [_leave(row) for row in self.session.scalars(query.order_by(LeaveRow.starts_at))]

    def get(self, leave_id: int) -> StoredLeave | None:
        row = self.session.get(LeaveRow, leave_id)
        return None if row is None else _leave(row)

    def add(self, *, counselor_id: int, starts_at: datetime, ends_at: datetime, reason: str,
            created_by: int | None, created_at: datetime) -> StoredLeave:
        row = LeaveRow(counselor_id=counselor_id, starts_at=starts_at, ends_at=ends_at, reason=reason,
                       created_by=created_by, created_at=created_at)
        self.session.add(row)
        self.session.flush()
        return _leave(row)

    def remove(self, leave_id: int) -> None:
        self.session.delete(self.session.get(LeaveRow, leave_id))


def _leave(row: LeaveRow) -> StoredLeave:
    return StoredLeave(row.id, row.counselor_id, row.starts_at, row.ends_at, row.reason or "", row.created_by,
                       row.created_at)


class SqlSwaps:
    """SwapRepository: roster_swaps."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def open_touching(self, shift_ids: Sequence[int]) -> list[SwapRecord]:
        ids = list(shift_ids)
        found: list[SwapRequest] = []
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i:i + CHUNK]
            found += self.session.scalars(select(SwapRequest).where(
                SwapRequest.status.in_(OPEN_SWAP_STATUSES),
                or_(SwapRequest.shift_id.in_(chunk), SwapRequest.other_shift_id.in_(chunk))))
        return [_swap(row) for row in {s.id: s for s in found}.values()]

    def recent(self, *, user_id: int | None = None, statuses: Sequence[str] | None = None,
               limit: int = 200) -> list[SwapRecord]:
        query = select(SwapRequest).order_by(SwapRequest.created_at.desc(), SwapRequest.id.desc()).limit(limit)
        if user_id is not None:
            query = query.where(or_(SwapRequest.requester_id == user_id, SwapRequest.target_id == user_id))
        if statuses is not None:
            query = query.where(SwapRequest.status.in_(list(statuses)))
        return [_swap(row) for row in self.session.scalars(query)]

    def get(self, swap_id: int) -> SwapRecord | None:
        row = self.session.get(SwapRequest, swap_id)
        return None if row is None else _swap(row)

    def add(self, **values) -> SwapRecord:
        row = SwapRequest(**values)
        self.session.add(row)
        self.session.flush()
        return _swap(row)

    def update(self, swap_id: int, **values) -> SwapRecord:
        row = self.session.get(SwapRequest, swap_id)
        for name, value in values.items():
            setattr(row, name, value)
        self.session.flush()
        return _swap(row)


def _swap(row: SwapRequest) -> SwapRecord:
    return SwapRecord(row.id, row.kind, row.status, row.requester_id, row.target_id, row.shift_id,
                      row.other_shift_id, row.reason or "", row.detail or {}, row.decided_by,
                      row.decision_note or "", bool(row.override), list(row.violations or []), row.created_at,
                      row.accepted_at, row.decided_at)
