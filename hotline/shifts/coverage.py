"""Coverage: staffed seats versus required seats, per line and 15-minute quarter.

Required seats come from the line's slots, but only where the line's schedule
is open (so a public holiday with special hours counts right); a line open
when no slot covers it needs 1 seat. Staffed seats are shifts covering the
whole quarter. Everything works on difference arrays over the quarters and
on schedule.intervals() — never is_open() per quarter — so a year is quick.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Protocol

from hotline.shifts._time import DEFAULT_TZ, QUARTER, dates, require_aware, local_midnight, quarter_ceil, quarter_floor, quarter_start, zone
from hotline.shifts.coverage_report import GAP, OVER, CoverageReport, CoverageRun, LineCoverage
from hotline.shifts.shift import Shift, as_shifts
from hotline.shifts.slots import ShiftSlot, slots_by_line


class HasIntervals(Protocol):
    """The part of a compiled schedule coverage needs."""

    def intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]: ...


class LineHours:
    """A line's opening hours as coverage needs them (HasIntervals): the merged intervals of all
    its numbers' schedules, so a line with a 24-hour number and a daytime number is open around
    the clock."""

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


def coverage(shifts: Iterable[Shift], slots: Iterable[ShiftSlot], schedules: Mapping[str, HasIntervals],
             first: date, last: date, *, lines: Iterable[str] | None = None) -> CoverageReport:
    """Coverage for local dates first..last (both included), each line in its own zone."""
    if last < first:
        raise ValueError(f"结束日期 {last} 早于开始日期 {first} / last date {last} is before first date {first}")
    shifts, slots = as_shifts(shifts), tuple(slots)
    ids = _line_ids(slots, schedules, lines)
    zones = {line: _line_tz(line, slots) for line in ids}
    spans = {line: (local_midnight(first, zones[line]), local_midnight(last + timedelta(days=1), zones[line]))
             for line in ids}
    return _report(shifts, slots, schedules, ids, spans)


def coverage_between(shifts: Iterable[Shift], slots: Iterable[ShiftSlot], schedules: Mapping[str, HasIntervals],
                     start: datetime, end: datetime, *, lines: Iterable[str] | None = None) -> CoverageReport:
    """Coverage for the instants [start, end) (aware), the same range for every line."""
    require_aware(start, "开始 / start")
    require_aware(end, "结束 / end")
    shifts, slots = as_shifts(shifts), tuple(slots)
    ids = _line_ids(slots, schedules, lines)
    return _report(shifts, slots, schedules, ids, dict.fromkeys(ids, (start, end)))


def _report(shifts, slots, schedules, ids, spans) -> CoverageReport:
    per_slot, per_shift = slots_by_line(slots), _shifts_by_line(shifts)
    return CoverageReport(tuple(
        line_coverage(line, per_slot.get(line, []), per_shift.get(line, []), schedules.get(line), *spans[line])
        for line in ids))


def line_coverage(line_id: str, slots: list[ShiftSlot], shifts: list[Shift],
                  schedule: HasIntervals | None, start: datetime, end: datetime) -> LineCoverage:
    """Coverage of one line; without a schedule the slots alone say when seats are needed."""
    q0 = quarter_floor(start)
    n = max(quarter_ceil(end) - q0, 0)
    required = _required(slots, start, end, q0, n)
    staffed = _staffed(shifts, start, end, q0, n)
    is_open = _open(schedule, start, end, q0, n) if schedule is not None else [r > 0 for r in required]
    tz = zone(_line_tz(line_id, slots))
    runs = _runs(line_id, q0, required, staffed, is_open, tz)
    return LineCoverage(line_id, start, end, runs, sum(is_open) * QUARTER.total_seconds() / 3600)


def _required(slots: list[ShiftSlot], start: datetime, end: datetime, q0: int, n: int) -> list[int]:
    """Seats required per quarter by the line's slots (any overlap with the quarter counts)."""
    diff = [0] * (n + 1)
    tz = zone(slots[0].tz) if slots else start.tzinfo
    first, last = start.astimezone(tz).date() - timedelta(days=1), end.astimezone(tz).date()
    for day in dates(first, last):
        for slot in slots:
            s, e = slot.bounds(day)
            _mark(diff, quarter_floor(max(s, start)) - q0, quarter_ceil(min(e, end)) - q0, slot.seats)
    return list(accumulate(diff[:n]))


def _staffed(shifts: list[Shift], start: datetime, end: datetime, q0: int, n: int) -> list[int]:
    """Shifts covering each whole quarter (a partly covered quarter is not staffed)."""
    diff = [0] * (n + 1)
    for shift in shifts:
        _mark(diff, quarter_ceil(max(shift.start, start)) - q0, quarter_floor(min(shift.end, end)) - q0, 1)
    return list(accumulate(diff[:n]))


def _open(schedule: HasIntervals, start: datetime, end: datetime, q0: int, n: int) -> list[bool]:
    """Quarters in which the line is open at any moment."""
    diff = [0] * (n + 1)
    for s, e in schedule.intervals(start, end):
        _mark(diff, quarter_floor(max(s, start)) - q0, quarter_ceil(min(e, end)) - q0, 1)
    return [v > 0 for v in accumulate(diff[:n])]


def _mark(diff: list[int], lo: int, hi: int, amount: int) -> None:
    """Add `amount` to quarters [lo, hi) of a difference array, clipped to its length."""
    lo, hi = max(lo, 0), min(hi, len(diff) - 1)
    if lo < hi:
        diff[lo] += amount
        diff[hi] -= amount


def _runs(line_id, q0, required, staffed, is_open, tz) -> tuple[CoverageRun, ...]:
    """Merge quarters with the same state into runs; only gaps and over-staffing are kept."""
    runs, current, run_start = [], None, 0
    for i, (req, got, op) in enumerate(zip(required, staffed, is_open)):
        need = (req or 1) if op else 0
        state = (GAP if got < need else OVER, need, got, op) if got != need else None
        if state != current:
            _close(runs, line_id, current, q0 + run_start, q0 + i, tz)
            current, run_start = state, i
    _close(runs, line_id, current, q0 + run_start, q0 + len(required), tz)
    return tuple(runs)


def _close(runs, line_id, state, lo, hi, tz) -> None:
    if state is not None and lo < hi:
        kind, need, got, op = state
        runs.append(CoverageRun(line_id, kind, quarter_start(lo).astimezone(tz),
                                quarter_start(hi).astimezone(tz), need, got, op))


def _line_ids(slots, schedules, lines) -> tuple[str, ...]:
    if lines is not None:
        return tuple(lines)
    return tuple(sorted({s.line_id for s in slots} | set(schedules)))


def _line_tz(line_id: str, slots) -> str:
    """A line's zone, taken from its slots (all slots of a line share it)."""
    return next((s.tz for s in slots if s.line_id == line_id), DEFAULT_TZ)


def _shifts_by_line(shifts: Iterable[Shift]) -> dict[str, list[Shift]]:
    grouped: dict[str, list[Shift]] = {}
    for shift in shifts:
        grouped.setdefault(shift.line_id, []).append(shift)
    return grouped
