"""Reports as the surfaces use them: computed live, stored, or read back from the store.

The page, the jobs and the command line share these, so "the week ending 2026-10-31"
is the same figures wherever it is asked for. A stored report is used only if it was
computed after its period had ended in every zone of the lines (otherwise it is
incomplete); a live computation of a finished period is kept, so the next view or
download is instant.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from hotline.ports import Clock, ReportsUnitOfWork, ReportsUnitOfWorkFactory
from hotline.reports.labels import Forms, all_labels
from hotline.reports.periods import Period, PeriodError, parse_end, parse_kind, period_ending
from hotline.reports.report import OVERALL, Report, arrange
from hotline.reports.stored import report_from_rows, report_rows, wanted_lines
from hotline.reports.tally import UNASSIGNED
from hotline.reports.windows import bounds, default_zone, line_zones, zone
from hotline.usecases.reports.compute import Progress, ReportCalculator

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReportView:
    """What a page or a download of one period shows: the report, the period before, labels."""

    report: Report
    previous: Report
    stored: bool                      # the report was read from the store (not computed now)
    labels: dict[str, dict[str, str]]
    zone: str                         # the home zone: "computed at" and "printed at" are local to it
    now: datetime


class Reports:
    """The figures of a period, from the store when complete, else computed.

    forms: loads the triage forms (form id → version → definition) for the labels of
    concerns and population levels; store_errors: what the store raises when the
    database fails or refuses a write (keeping a viewer's report is best effort)."""

    def __init__(self, calculator: ReportCalculator, uow: ReportsUnitOfWorkFactory, directory, clock: Clock,
                 forms: Callable[[], Forms] | None = None,
                 store_errors: tuple[type[Exception], ...] = ()) -> None:
        self.calculator = calculator
        self.uow = uow
        self.directory = directory
        self.clock = clock
        self.forms = forms
        self.store_errors = store_errors

    # --- what a request asks for ---------------------------------------------------------
    def home_zone(self) -> str:
        """The zone most lines are in: it decides "yesterday" and the nightly run."""
        return default_zone(line_zones(self.directory))

    def today(self) -> date:
        """Today's date in the home zone, by the clock (HOTLINE_NOW applies)."""
        return self.clock.now().astimezone(zone(self.home_zone())).date()

    def check_line(self, line: str | None) -> str | None:
        """None for all lines; the id if it is a known line, else a bilingual PeriodError."""
        if not line or line == OVERALL:
            return None
        if line != UNASSIGNED and self.directory.get(line) is None:
            raise PeriodError(f"未知线路 {line!r} / unknown line {line!r}")
        return line

    def filters(self, kind: str | None, end: str | None, line: str | None) -> tuple[str, date, str | None]:
        """Period kind (default week), last date (default yesterday) and line, or a PeriodError."""
        return parse_kind(kind), parse_end(end, self.today()), self.check_line(line)

    def lines(self) -> list[tuple[str, str]]:
        """(id, name) of the directory's lines, for the line filter."""
        return [(line.id, line.name) for line in self.directory]

    # --- figures -----------------------------------------------------------------------------
    def compute(self, period: Period, line: str | None = None, progress: Progress | None = None) -> Report:
        return self.calculator.compute(period, line, progress)

    def compute_and_store(self, period: Period, line: str | None = None, source: str = "on_demand",
                          progress: Progress | None = None) -> tuple[Report, int]:
        report = self.compute(period, line, progress)
        return report, self.store(report, source)

    def store(self, report: Report, source: str) -> int:
        """Keep a report (replacing an earlier run of the same period and scope); the run id."""
        with self.uow() as uow:
            run_id = _save(uow, report, source)
            uow.commit()
        return run_id

    def load(self, period: Period, line: str | None = None, fresh_after: datetime | None = None) -> Report | None:
        """The stored report of `period` for `line` (None: all lines), if one was computed after
        `fresh_after` (pass the period's end: a report computed before it was over is stale)."""
        with self.uow() as uow:
            run = uow.runs.find(period.kind, period.first, period.last, line)
            if run is None or (fresh_after is not None and run.computed_at < fresh_after):
                return None
            rows = uow.runs.figures(run.id, wanted_lines(run, line))
        return report_from_rows(period, line, run, rows)

    def period_over_at(self, period: Period) -> datetime:
        """When the period has ended in every zone of the lines."""
        zones = set(line_zones(self.directory).values()) or {self.home_zone()}
        return max(bounds(period, tz)[1] for tz in zones)

    def stored_or_live(self, period: Period, line: str | None = None) -> tuple[Report, bool]:
        """(report, stored?): the stored run when complete and fresh, else computed now —
        and kept, when the period is over, so the next view or download is instant."""
        over_at = self.period_over_at(period)
        report = self.load(period, line, fresh_after=over_at)
        if report is not None:
            return arrange(report, self.directory), True
        report = self.compute(period, line)
        if report.computed_at >= over_at:
            self._keep(report)
        return report, False

    def _keep(self, report: Report) -> None:
        """Store a live computation; a concurrent viewer storing the same run first is fine."""
        try:
            self.store(report, "view")
        except self.store_errors as exc:
            log.info("报告未缓存 / report not kept (%s): %s", type(exc).__name__, report.period.label)

    def with_previous(self, period: Period, line: str | None = None) -> tuple[Report, Report, bool]:
        report, stored = self.stored_or_live(period, line)
        previous, _ = self.stored_or_live(period.previous(), line)
        return report, previous, stored

    # --- what the page and the downloads show --------------------------------------------
    def labels(self) -> dict[str, dict[str, str]]:
        """Readable names of the breakdowns' keys; the stored values where a form cannot be read."""
        forms = None
        if self.forms is not None:
            try:
                forms = self.forms()
            except Exception as exc:   # labels are cosmetic: fall back to the stored values
                log.warning("报告：无法读取分诊表标签 / reports: cannot read triage form labels: %s", exc)
        return all_labels(forms)

    def view(self, kind: str, end: date, line: str | None, labels: bool = True) -> ReportView:
        """The period of `kind` ending `end` with the one before, and (unless not needed, as for
        JSON) the labels to show them."""
        report, previous, stored = self.with_previous(period_ending(kind, end), line)
        return ReportView(report, previous, stored, self.labels() if labels else {}, self.home_zone(),
                          self.clock.now())


def _save(uow: ReportsUnitOfWork, report: Report, source: str) -> int:
    rows, notes = report_rows(report)
    period = report.period
    return uow.runs.replace(period=period.kind, first=period.first, last=period.last, scope=report.line or OVERALL,
                            computed_at=report.computed_at, source=source, notes=notes, figures=rows)
