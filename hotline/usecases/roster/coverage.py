"""Coverage of the stored roster against the directory's opening hours.

A line is open when any of its numbers is (the union of their schedules: the core's
LineHours), so a line with a 24-hour number and a daytime number needs seats around the
clock. By default the lines with slots are checked: those are the ones under a roster.
"""
from __future__ import annotations

from datetime import date, timedelta

from hotline.ports import RosterUnitOfWorkFactory
from hotline.shifts import CoverageReport, LineHours, coverage
from hotline.usecases.roster.context import RosterProblem, check_range, day_bounds


class RosterCoverage:
    """Gaps and over-staffing of the stored roster (the coverage page, `hotline roster coverage`)."""

    def __init__(self, uow: RosterUnitOfWorkFactory, directory) -> None:
        self.uow = uow
        self.directory = directory

    def report(self, first: date, last: date, line_ids: list[str] | None = None) -> CoverageReport:
        """Local dates first..last of the chosen (or all rostered) lines."""
        check_range(first, last)
        start, end = day_bounds(self.directory, first - timedelta(days=1), last + timedelta(days=1))
        with self.uow() as uow:
            slots = uow.slots.all()
            lines = line_ids or sorted({s.line_id for s in slots})
            shifts = uow.shifts.between(start, end, line_ids=lines)
        unknown = [line for line in lines if self.directory.get(line) is None]
        if unknown:
            raise RosterProblem(f"未知线路：{', '.join(unknown)} / unknown lines: {', '.join(unknown)}")
        schedules = {line: LineHours(self.directory.get(line)) for line in lines}
        return coverage([s.core for s in shifts], [s.core for s in slots], schedules, first, last, lines=lines)


def runs_json(report: CoverageReport) -> list[dict]:
    """One object per gap / over-staffing run: line, kind, start, end, required, staffed (CLI --json)."""
    return [{"line": r.line_id, "kind": r.kind, "start": r.start.isoformat(), "end": r.end.isoformat(),
             "required": r.required, "staffed": r.staffed, "open": r.open}
            for line in report.lines for r in line.runs]
