"""One report computed from the record: the sources' rows, folded into tallies, finished into figures.

What the page, the jobs and the command line all end up calling. It reads every
source in one unit of work (a handful of grouped queries, never one per call) and
reports progress through a callback after each of its seven steps (a progress bar on
the command line, job.meta in a worker).
"""
from __future__ import annotations

from typing import Callable

from hotline.ports import Clock, ReportsUnitOfWorkFactory
from hotline.reports.figures import UNAVAILABLE
from hotline.reports.periods import Period
from hotline.reports.report import Report, arrange, assemble, number_lines, only
from hotline.reports.rollovers import count_rollovers
from hotline.reports.tally import ReportTally, add_sums, fold_buckets, line_key
from hotline.reports.windows import line_zones, windows_for
from hotline.usecases.reports.sources import staffing_tallies, triage_tallies

Progress = Callable[[int, int, str], None]
STEPS = ("来电汇总 / call sums", "重复来电者 / repeat callers", "溢出转接 / rollovers", "整理时长 / wrap-up",
         "分诊与转介 / triage and referrals", "排班与覆盖 / staffing and coverage", "指标 / figures")


class ReportCalculator:
    """Figures of a period for every line, or for one line, as of the clock's now.

    decrypt: the keyring's decrypt (hotline.ports.Keyring), to count the encrypted triage
    answers in memory — concerns and population levels (None: those breakdowns stay empty)."""

    def __init__(self, uow: ReportsUnitOfWorkFactory, directory, clock: Clock,
                 decrypt: Callable[[str], str] | None = None) -> None:
        self.uow = uow
        self.directory = directory
        self.clock = clock
        self.decrypt = decrypt

    def compute(self, period: Period, line: str | None = None, progress: Progress | None = None) -> Report:
        now = self.clock.now()
        step = _stepper(progress)
        zones = line_zones(self.directory)
        windows = windows_for(period, zones, only=(line,) if line else None)
        every_window = windows_for(period, zones)
        numbers = number_lines(self.directory)
        wanted = (line,) if line else tuple(zones)
        tallies: dict[str, ReportTally] = {}
        unavailable: dict[str, str] = {}
        with self.uow() as uow:
            for window in windows:
                fold_buckets(uow.calls.call_buckets(window, numbers), window.tz, tallies)
            step(0)
            repeat = {line_key(k): v for k, v in uow.calls.repeat_callers_by_line(windows, numbers).items()}
            repeat_all = uow.calls.repeat_callers_overall(windows, numbers)
            step(1)
            add_sums(tallies, only(count_rollovers(uow.calls.rollover_events(every_window, numbers)), line))
            step(2)
            add_sums(tallies, uow.calls.wrap_up_sums(windows, numbers))
            step(3)
            if uow.triage is None:
                unavailable["triage"] = UNAVAILABLE["triage"]
            else:
                _merge(tallies, triage_tallies(uow.triage, windows, numbers, now, self.decrypt), line)
            step(4)
            if uow.rosters is None:
                unavailable["staffing"] = UNAVAILABLE["staffing"]
            else:
                _merge(tallies, staffing_tallies(uow.rosters, windows, self.directory, wanted), line)
            step(5)
        report = assemble(period, line, tallies, repeat, repeat_all, wanted, unavailable, now)
        step(6)
        return arrange(report, self.directory)


def _stepper(progress: Progress | None) -> Callable[[int], None]:
    def step(index: int) -> None:
        if progress is not None:
            progress(index + 1, len(STEPS), STEPS[index])
    return step


def _merge(tallies: dict[str, ReportTally], per_line: dict[str | None, ReportTally], line: str | None) -> None:
    """Add a source's per-line tallies (for a one-line report, that line's only)."""
    for line_id, tally in only(per_line, line).items():
        tallies.setdefault(line_key(line_id), ReportTally()).add(tally)
