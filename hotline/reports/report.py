"""One report: the figures per line and overall of one period, and how they are put together.

The reports use case (hotline.usecases.reports) folds what the sources return into
per-line tallies; `assemble` finishes those into a Report, and `arrange` names the lines
and puts them in directory order — the same for a report computed now and one read back
from the store, so the page, the downloads and the terminal never differ.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Mapping

from hotline.reports.figures import Figures, finish
from hotline.reports.periods import Period
from hotline.reports.tally import UNASSIGNED, ReportTally, total

OVERALL = "*"


@dataclass
class Report:
    """Figures per line and overall for one period (optionally for one line only)."""

    period: Period
    line: str | None
    lines: dict[str, Figures]
    overall: Figures
    computed_at: datetime
    names: dict[str, tuple[str, str]] = field(default_factory=dict)

    def name(self, line_id: str) -> str:
        if line_id == OVERALL:
            return "全部热线 / all lines"
        zh, en = self.names.get(line_id, (line_id, line_id))
        return f"{zh} / {en}" if zh != en else zh

    def to_dict(self) -> dict:
        return {"period": self.period.to_dict(), "line": self.line, "computed_at": self.computed_at.isoformat(),
                "overall": self.overall.to_dict(),
                "lines": {line_id: {"name": self.name(line_id), **figures.to_dict()}
                          for line_id, figures in self.lines.items()}}


def number_lines(directory) -> dict[str, str]:
    """E.164 number → the line that owns it (for calls that never joined a queue)."""
    return {number.e164: number.line_id for number in directory.numbers()}


def line_names(directory) -> dict[str, tuple[str, str]]:
    names = {line.id: (line.name, line.name_en or line.name) for line in directory}
    names[UNASSIGNED] = ("未归属线路", "unassigned")
    return names


def only(per_line: Mapping[str, object], line: str | None) -> dict:
    """All of per_line (line None), or that one line's entry."""
    return dict(per_line) if line is None else {k: v for k, v in per_line.items() if k == line}


def assemble(period: Period, line: str | None, tallies: Mapping[str, ReportTally], repeat: Mapping[str, int],
             repeat_all: int, wanted: Iterable[str], unavailable: Mapping[str, str], now: datetime) -> Report:
    """Finish the tallies: the wanted lines in order, then (for all lines) any other key such as
    "unassigned"; overall is the sum of those lines' tallies, with its own repeat-caller count."""
    wanted = list(wanted)
    ids = wanted + sorted(k for k in tallies if k not in wanted and line is None)
    per_line = {line_id: finish(tallies.get(line_id, ReportTally()), repeat.get(line_id, 0), unavailable)
                for line_id in ids}
    overall = finish(total(tallies[k] for k in ids if k in tallies), repeat_all, unavailable)
    return Report(period, line, per_line, overall, now)


def arrange(report: Report, directory) -> Report:
    """Names from the directory; lines in directory order, extra keys (unassigned) last."""
    report.names = line_names(directory)
    order = {line.id: n for n, line in enumerate(directory)}
    report.lines = dict(sorted(report.lines.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
    return report
