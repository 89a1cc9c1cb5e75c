"""A Report as stored aggregate rows and back (hotline.store.reports holds the tables).

Breakdown rows are kept only where non-zero, so a quiet month stores little; a
missing breakdown key simply reads back as absent (zero).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy.orm import Session

from hotline.reports.compute import OVERALL, Report
from hotline.reports.figures import Figures
from hotline.reports.metrics import BREAKDOWNS, METRICS
from hotline.reports.periods import Period
from hotline.store import reports as store


def figure_rows(line_id: str, figures: Figures) -> list[dict]:
    rows = [dict(line_id=line_id, metric=m.id, key="", value=figures.values.get(m.id)) for m in METRICS]
    for name, values in figures.series.items():
        rows += [dict(line_id=line_id, metric=name, key=str(key)[:64], value=float(value))
                 for key, value in values.items() if value]
    return rows


def save_report(session: Session, report: Report, source: str) -> int:
    """Store report (replacing an earlier run of the same period and scope); returns the run id."""
    rows = figure_rows(OVERALL, report.overall)
    for line_id, figures in report.lines.items():
        rows += figure_rows(line_id, figures)
    notes = {line_id: figures.notes for line_id, figures in [(OVERALL, report.overall), *report.lines.items()]
             if figures.notes}
    return store.replace_run(session, period=report.period.kind, first=report.period.first, last=report.period.last,
                             scope=report.line or OVERALL, computed_at=report.computed_at, source=source,
                             notes=notes, figures=rows)


def load_report(session: Session, period: Period, line: str | None = None,
                fresh_after: datetime | None = None) -> Report | None:
    """The stored report of `period` for `line` (None: all lines), if one was computed after
    `fresh_after` (pass the period's end: a report computed before the period was over is stale)."""
    run = store.find_run(session, period.kind, period.first, period.last, line)
    if run is None or (fresh_after is not None and run.computed_at < fresh_after):
        return None
    wanted = None if not line else [line]
    figures: dict[str, Figures] = defaultdict(Figures)
    for row in store.run_figures(session, run.id, wanted if run.scope == OVERALL and line else None):
        target = figures[row.line_id]
        if row.key == "" and row.metric not in BREAKDOWNS:
            target.values[row.metric] = row.value
        else:
            target.series.setdefault(row.metric, {})[row.key] = row.value or 0.0
    for line_id, notes in (run.notes or {}).items():
        figures[line_id].notes.update(notes)
    for target in figures.values():
        for name in BREAKDOWNS:
            target.series.setdefault(name, {})
        for metric in METRICS:
            target.values.setdefault(metric.id, None)
    if line:
        overall = figures.get(line, Figures())
        return Report(period, line, {line: overall}, overall, run.computed_at)
    overall = figures.pop(OVERALL, Figures())
    return Report(period, None, dict(figures), overall, run.computed_at)
