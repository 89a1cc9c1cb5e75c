"""Staffing figures of one window, from its rostered shifts, through the shifts core's coverage().

Per line, over the window:
- staffed hours: the sum of every rostered shift's overlap with the window (two
  counselors on an 8-hour shift staff 16 hours);
- open hours: hours in which any of the line's numbers is open (its schedules);
- coverage gaps, for hosted lines only (another organisation staffs the others):
  the stretches where fewer seats are staffed than the line's slots require (one
  seat while open where no slot says otherwise), as a count of stretches and as
  missing seat-hours, exactly as `coverage()` reports them on the roster page.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from hotline.reports.tally import ReportTally
from hotline.reports.windows import Window
from hotline.shifts import LineHours, Shift, ShiftSlot, coverage_between


def lines_in(window: Window, directory, wanted: Iterable[str]) -> list:
    """The directory's lines that the window reads and the report wants, in directory order."""
    wanted = set(wanted)
    return [line for line in directory if window.claims(line.id) and line.id in wanted]


def add_staffing(tallies: dict[str, ReportTally], window: Window, lines: Sequence, shifts: Sequence[Shift],
                 slots: Sequence[ShiftSlot]) -> dict[str, ReportTally]:
    """Add one window's staffed hours, open hours and (hosted lines) coverage gaps.

    shifts: the rostered shifts of `lines` overlapping the window; slots: the active
    slots of the hosted ones among them."""
    for shift in shifts:
        overlap = min(shift.end, window.end) - max(shift.start, window.start)
        tallies.setdefault(shift.line_id, ReportTally()).sums["staffed_hours"] += overlap.total_seconds() / 3600
    hosted = {line.id for line in lines if line.hosted}
    schedules = {line.id: LineHours(line) for line in lines}
    report = coverage_between(list(shifts), list(slots), schedules, window.start, window.end,
                              lines=[line.id for line in lines])
    for line_cov in report.lines:
        sums = tallies.setdefault(line_cov.line_id, ReportTally()).sums
        sums["open_hours"] += line_cov.open_hours
        if line_cov.line_id in hosted:
            sums["coverage_gaps"] += len(line_cov.gaps)
            sums["coverage_gap_hours"] += sum(run.seat_hours for run in line_cov.gaps)
    return tallies
