"""Staffing figures from hotline.store.rosters, through the shifts core's coverage().

Per line, over the period's window:
- staffed hours: the sum of every rostered shift's overlap with the period (two
  counselors on an 8-hour shift staff 16 hours);
- open hours: hours in which any of the line's numbers is open (its schedules);
- coverage gaps, for hosted lines only (another organisation staffs the others):
  the stretches where fewer seats are staffed than the line's slots require (one
  seat while open where no slot says otherwise), as a count of stretches and as
  missing seat-hours, exactly as `coverage()` reports them on the roster page.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.reports.sources import Scope
from hotline.reports.tally import Tally
from hotline.shifts import Shift, ShiftSlot, coverage_between
from hotline.shifts._time import DEFAULT_TZ
from hotline.store.rosters import RosterSlot, ShiftRow


class LineHours:
    """A line's open intervals: the union of its numbers' schedules (coverage's HasIntervals)."""

    def __init__(self, line) -> None:
        self.line = line

    def intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        spans = sorted(span for number in self.line.numbers for span in number.schedule.intervals(start, end))
        merged: list[tuple[datetime, datetime]] = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        return merged


class StoreRosters:
    """The staffing source."""

    def tallies(self, session: Session, scope: Scope) -> dict[str | None, Tally]:
        tallies: dict[str | None, Tally] = {}
        for window in scope.windows:
            lines = [line for line in scope.directory if window.claims(line.id) and line.id in scope.lines]
            if lines:
                self._window(session, window, lines, tallies)
        return tallies

    def _window(self, session, window, lines, tallies) -> None:
        ids = [line.id for line in lines]
        shifts = _shifts(session, window.start, window.end, ids)
        for shift in shifts:
            overlap = min(shift.end, window.end) - max(shift.start, window.start)
            tallies.setdefault(shift.line_id, Tally()).sums["staffed_hours"] += overlap.total_seconds() / 3600
        hosted = [line for line in lines if line.hosted]
        schedules = {line.id: LineHours(line) for line in lines}
        report = coverage_between(shifts, _slots(session, [l.id for l in hosted]), schedules, window.start,
                                  window.end, lines=ids)
        for line_cov in report.lines:
            sums = tallies.setdefault(line_cov.line_id, Tally()).sums
            sums["open_hours"] += line_cov.open_hours
            if any(line.id == line_cov.line_id for line in hosted):
                sums["coverage_gaps"] += len(line_cov.gaps)
                sums["coverage_gap_hours"] += sum(run.seat_hours for run in line_cov.gaps)


def _shifts(session: Session, start: datetime, end: datetime, line_ids: list[str]) -> list[Shift]:
    statement = select(ShiftRow.counselor_id, ShiftRow.line_id, ShiftRow.slot_code, ShiftRow.starts_at,
                       ShiftRow.ends_at).where(ShiftRow.starts_at < end, ShiftRow.ends_at > start,
                                               ShiftRow.line_id.in_(line_ids))
    return [Shift(str(c), line, slot or "", s, e) for c, line, slot, s, e in session.execute(statement)]


def _slots(session: Session, line_ids: list[str]) -> list[ShiftSlot]:
    if not line_ids:
        return []
    rows = session.scalars(select(RosterSlot).where(RosterSlot.active.is_(True), RosterSlot.line_id.in_(line_ids)))
    return [ShiftSlot(r.code, r.line_id, r.start_time, r.end_time, r.seats, r.label_zh, r.label_en,
                      tz=r.tz or DEFAULT_TZ) for r in rows]
