"""One report: the queries, folded into tallies, finished into figures.

`compute_report` is what the nightly job, the on-demand job, the page and the
command line all call; it reports progress through a callback (a rich progress
bar on the command line, job.meta in a worker) after each step.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Mapping

from sqlalchemy.orm import Session

from hotline.reports import queries
from hotline.reports.figures import Figures, finish
from hotline.reports.periods import Period
from hotline.reports.rollovers import count_rollovers
from hotline.reports.sources import Scope, Sources, default_sources
from hotline.reports.tally import UNASSIGNED, Tally, add_sums, fold_buckets, line_key, total
from hotline.reports.windows import line_zones, windows_for

Progress = Callable[[int, int, str], None]
STEPS = ("来电汇总 / call sums", "重复来电者 / repeat callers", "溢出转接 / rollovers", "整理时长 / wrap-up",
         "分诊与转介 / triage and referrals", "排班与覆盖 / staffing and coverage", "指标 / figures")
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

    def figures(self, line: str | None = None) -> Figures:
        return self.overall if line in (None, "", OVERALL) else self.lines[line]

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


def compute_report(session: Session, directory, period: Period, *, now: datetime, line: str | None = None,
                   sources: Sources | None = None, progress: Progress | None = None) -> Report:
    """Figures of `period` for every line (line=None) or one line."""
    sources = default_sources() if sources is None else sources
    step = _stepper(progress)
    zones = line_zones(directory)
    windows = windows_for(period, zones, only=(line,) if line else None)
    every_window = windows_for(period, zones)
    key = queries.line_key(number_lines(directory))
    tallies: dict[str, Tally] = {}
    for window in windows:
        fold_buckets(queries.call_buckets(session, window, key), window.tz, tallies)
    step(0)
    repeat = {line_key(k): v for k, v in queries.repeat_callers_by_line(session, windows, key).items()}
    repeat_all = queries.repeat_callers_overall(session, windows, key)
    step(1)
    rollovers = count_rollovers(queries.rollover_events(session, every_window, key))
    add_sums(tallies, _only(rollovers, line))
    step(2)
    add_sums(tallies, queries.wrap_up_sums(session, windows, key))
    step(3)
    wanted = (line,) if line else tuple(zones)
    scope = Scope(windows, key, directory, wanted, now)
    _merge_source(tallies, sources.triage, session, scope, line)
    step(4)
    _merge_source(tallies, sources.staffing, session, scope, line)
    step(5)
    report = _finish(period, line, tallies, repeat, repeat_all, wanted, sources.unavailable(), now)
    report.names = line_names(directory)
    step(6)
    return report


def _stepper(progress: Progress | None) -> Callable[[int], None]:
    def step(index: int) -> None:
        if progress is not None:
            progress(index + 1, len(STEPS), STEPS[index])
    return step


def _only(per_line: Mapping[str, object], line: str | None) -> dict:
    return dict(per_line) if line is None else {k: v for k, v in per_line.items() if k == line}


def _merge_source(tallies: dict[str, Tally], source, session: Session, scope: Scope, line: str | None) -> None:
    """Add a source's per-line tallies (for a one-line report, that line's only)."""
    if source is None:
        return
    for line_id, tally in _only(source.tallies(session, scope), line).items():
        tallies.setdefault(line_key(line_id), Tally()).add(tally)


def _finish(period, line, tallies, repeat, repeat_all, wanted, unavailable, now) -> Report:
    ids = list(wanted) + sorted(k for k in tallies if k not in wanted and line is None)
    per_line = {line_id: finish(tallies.get(line_id, Tally()), repeat.get(line_id, 0), unavailable)
                for line_id in ids}
    overall = finish(total(tallies[k] for k in ids if k in tallies), repeat_all, unavailable)
    return Report(period, line, per_line, overall, now)
