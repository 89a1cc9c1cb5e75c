"""A Report as stored aggregate rows, and back (the store keeps only these rows).

A scalar figure is a row with key ""; a breakdown is one row per non-zero key (an
hour, a date, a concern…), so a quiet month stores little and a missing key simply
reads back as absent (zero). Nothing here can name a caller: only counts, rates,
means and hours, keyed by line, metric and breakdown key.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Iterable

from hotline.reports.figures import Figures
from hotline.reports.metrics import BREAKDOWNS, METRICS
from hotline.reports.periods import Period
from hotline.reports.report import OVERALL, Report

KEY_LENGTH = 64     # the store's key column


@dataclass(frozen=True)
class FigureRow:
    """One aggregate figure of a run: (line, metric, key) → value (None: not available)."""

    line_id: str
    metric: str
    key: str
    value: float | None


@dataclass(frozen=True)
class StoredRun:
    """One stored computation of a period, for all lines (scope "*") or one line."""

    id: int
    period: str
    first_day: date
    last_day: date
    scope: str
    computed_at: datetime
    source: str                                    # nightly | on_demand | cli | view
    notes: dict = field(default_factory=dict)      # {line: {metric: why it is missing}}


def figure_rows(line_id: str, figures: Figures) -> list[FigureRow]:
    rows = [FigureRow(line_id, m.id, "", figures.values.get(m.id)) for m in METRICS]
    for name, values in figures.series.items():
        rows += [FigureRow(line_id, name, str(key)[:KEY_LENGTH], float(value)) for key, value in values.items()
                 if value]
    return rows


def report_rows(report: Report) -> tuple[list[FigureRow], dict[str, dict[str, str]]]:
    """The rows and the notes ({line: {metric: note}}, lines without notes left out) of a report."""
    scopes = [(OVERALL, report.overall), *report.lines.items()]
    rows = [row for line_id, figures in scopes for row in figure_rows(line_id, figures)]
    notes = {line_id: figures.notes for line_id, figures in scopes if figures.notes}
    return rows, notes


def wanted_lines(run: StoredRun, line: str | None) -> list[str] | None:
    """The line ids to read from a run: one line out of an all-lines run, else everything."""
    return [line] if line and run.scope == OVERALL else None


def report_from_rows(period: Period, line: str | None, run: StoredRun, rows: Iterable[FigureRow]) -> Report:
    """The Report of `period` for `line` (None: all lines) from a run's rows."""
    figures: dict[str, Figures] = defaultdict(Figures)
    for row in rows:
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
