"""Coverage of the stored roster against the directory's opening hours.

A line is open when any of its numbers is (the union of their schedules), so a
line with a 24-hour number and a daytime number needs seats around the clock.
By default the lines with slots are checked: those are the ones under a roster.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from hotline.shifts import CoverageReport, coverage
from hotline.usecases.roster import convert
from hotline.usecases.roster.context import RosterProblem, check_range, day_bounds
from hotline.store import rosters_repo as repo


class LineHours:
    """A line's opening hours: the merged intervals of all its numbers."""

    def __init__(self, line) -> None:
        self.line = line

    def intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        spans = sorted(i for number in self.line.numbers for i in number.schedule.intervals(start, end))
        merged: list[tuple[datetime, datetime]] = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        return merged


def coverage_report(services, first: date, last: date, line_ids: list[str] | None = None) -> CoverageReport:
    """Gaps and over-staffing for local dates first..last of the chosen (or all rostered) lines."""
    check_range(first, last)
    start, end = day_bounds(services, first - timedelta(days=1), last + timedelta(days=1))
    with services.db.session() as session:
        slot_rows = repo.slots(session)
        lines = line_ids or sorted({s.line_id for s in slot_rows})
        rows = repo.shifts_between(session, start, end, line_ids=lines)
    unknown = [l for l in lines if services.directory.get(l) is None]
    if unknown:
        raise RosterProblem(f"未知线路：{', '.join(unknown)} / unknown lines: {', '.join(unknown)}")
    shifts = list(convert.shifts_of(rows, services.directory))
    schedules = {l: LineHours(services.directory.get(l)) for l in lines}
    return coverage(shifts, [convert.slot_of(s) for s in slot_rows], schedules, first, last, lines=lines)


def runs_json(report: CoverageReport) -> list[dict]:
    """One object per gap / over-staffing run: line, kind, start, end, required, staffed (CLI --json)."""
    return [{"line": r.line_id, "kind": r.kind, "start": r.start.isoformat(), "end": r.end.isoformat(),
             "required": r.required, "staffed": r.staffed, "open": r.open}
            for line in report.lines for r in line.runs]
