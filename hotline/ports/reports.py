"""Ports of the reports: what the report use cases read and keep."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Iterable, Mapping, Protocol, Sequence

if TYPE_CHECKING:   # the core's plain data in the reports ports' signatures (no import at run time)
    from hotline.reports.schedule import NightlySchedule
    from hotline.reports.stored import FigureRow, StoredRun
    from hotline.reports.tally import BucketRow
    from hotline.reports.windows import Window

from hotline.shifts import Shift, ShiftSlot
from hotline.ports.common import Jobs, UnitOfWork

__all__ = [
    "ReportCallSums",
    "ReportTriageRows",
    "ReportRosterRows",
    "ReportRuns",
    "ReportScheduleStore",
    "ReportsUnitOfWork",
    "ReportsUnitOfWorkFactory",
    "ScheduledJobs",
]

# --- reports (the reports area) -------------------------------------------------------------
# What the reports use cases (hotline.usecases.reports) read and keep. The call record, the
# triage records and the rosters are summed inside the database and come back as plain rows
# of sums and counts, keyed by line — never a caller key, number, note or answer text, except
# the encrypted triage answers, which the use case decrypts in memory and only counts. A
# call's line (docs: hotline/reports/__init__.py) is its last queue, else the line owning the
# dialled number: `number_lines` (E.164 → line id) is passed so the adapter can tell.
# Plain data: hotline.reports.windows.Window, tally.BucketRow, stored.FigureRow / StoredRun,
# schedule.NightlySchedule, hotline.shifts.Shift / ShiftSlot.

class ReportCallSums(Protocol):
    """Sums over the call record for a report's windows."""

    def call_buckets(self, window: Window, number_lines: Mapping[str, str]) -> list[BucketRow]: ...

    def repeat_callers_by_line(self, windows: Sequence[Window],
                               number_lines: Mapping[str, str]) -> dict[str | None, int]: ...

    def repeat_callers_overall(self, windows: Sequence[Window], number_lines: Mapping[str, str]) -> int: ...

    def rollover_events(self, windows: Sequence[Window],
                        number_lines: Mapping[str, str]) -> Iterable[tuple[int, str, str]]:
        """(call id, kind, dedup key) of the routing steps of calls that rolled over, by call, in order."""

    def wrap_up_sums(self, windows: Sequence[Window],
                     number_lines: Mapping[str, str]) -> dict[str | None, dict[str, float]]: ...


class ReportTriageRows(Protocol):
    """The triage records of a report's calls, grouped by the call's line (None: no line)."""

    def risk_levels(self, windows: Sequence[Window],
                    number_lines: Mapping[str, str]) -> Iterable[tuple[str | None, str, int]]:
        """(line, current level, assessments) of the windows' calls."""

    def answer_tokens(self, windows: Sequence[Window],
                      number_lines: Mapping[str, str]) -> Iterable[tuple[str | None, str]]:
        """(line, encrypted answers) of each assessment of the windows' calls (streamed)."""

    def referrals_made(self, windows: Sequence[Window],
                       number_lines: Mapping[str, str]) -> Iterable[tuple[str | None, int]]:
        """(line, referrals created in the windows)."""

    def completed_referrals(self, window: Window,
                            number_lines: Mapping[str, str]) -> Iterable[tuple[str | None, list[dict]]]:
        """(line, status history) of completed referrals updated since the window's start."""

    def overdue_follow_ups(self, window: Window, number_lines: Mapping[str, str],
                           as_of: datetime) -> Iterable[tuple[str | None, int]]:
        """(line, follow-up tasks due by `as_of` and not done by then) of the window's lines."""

    def referrals_open_at(self, window: Window, number_lines: Mapping[str, str],
                          as_of: datetime) -> Iterable[tuple[str | None, list[dict], datetime | None]]:
        """(line, status history, stored reminder) of referrals that may have been open at `as_of`."""


class ReportRosterRows(Protocol):
    """The rosters, as the shifts core's values."""

    def shifts(self, start: datetime, end: datetime, line_ids: Sequence[str]) -> list[Shift]: ...

    def slots(self, line_ids: Sequence[str]) -> list[ShiftSlot]:
        """The active slots of those lines ([] for no lines)."""


class ReportRuns(Protocol):
    """Stored reports: aggregate rows only."""

    def replace(self, *, period: str, first: date, last: date, scope: str, computed_at: datetime, source: str,
                notes: dict, figures: Sequence[FigureRow]) -> int:
        """Store a run, replacing the earlier run of the same period and scope; its id."""

    def find(self, period: str, first: date, last: date, line: str | None) -> StoredRun | None:
        """The newest run covering the period for `line` (a one-line run or an all-lines run)."""

    def figures(self, run_id: int, lines: Sequence[str] | None = None) -> list[FigureRow]: ...

    def recent(self, limit: int = 20) -> list[StoredRun]: ...


class ReportScheduleStore(Protocol):
    """The nightly run's settings (one row, created with its defaults when absent)."""

    def get(self) -> NightlySchedule: ...

    def update(self, *, enabled: bool, run_at: str, by: int | None, now: datetime) -> NightlySchedule: ...

    def record_result(self, *, at: datetime, status: str, message: str = "") -> None: ...


class ReportsUnitOfWork(UnitOfWork, Protocol):
    """One transaction over the reports' sources and store. A source whose records are not
    available is None (its figures are null with a note, never 0)."""

    calls: ReportCallSums
    triage: ReportTriageRows | None
    rosters: ReportRosterRows | None
    runs: ReportRuns
    schedule: ReportScheduleStore


class ReportsUnitOfWorkFactory(Protocol):
    def __call__(self) -> ReportsUnitOfWork: ...


class ScheduledJobs(Jobs, Protocol):
    """Jobs (RQ) with what the nightly chain needs: a run at an instant, the scheduled runs,
    cancelling one, and which function a job runs. Keyword options of enqueue/enqueue_at:
    timeout, result_ttl, failure_ttl (seconds), description, retries."""

    def enqueue_at(self, at: datetime, function: str, *args, queue: str = "default", job_id: str | None = None,
                   **options) -> str: ...

    def scheduled(self, queue: str, prefix: str) -> list[tuple[str, datetime]]:
        """(job id, when) of the scheduled jobs of `queue` whose id starts with prefix, soonest first."""

    def cancel(self, job_id: str, queue: str) -> None:
        """Remove a scheduled job (and the job itself)."""

    def function_of(self, job_id: str) -> str | None:
        """The dotted path of the function a job runs; None for no such job."""

