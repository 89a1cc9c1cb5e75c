"""In-memory fakes of the reports ports (hotline/ports.py, "reports"), for the reports use cases.

The sources keep plain records (a call, an assessment, a referral, a follow-up task, a
shift) and answer the port's questions with the definitions of hotline/reports/__init__.py,
the way the SQL adapters do in the database: a call's line is its last queue, else the
line owning the dialled number; a window claims the calls received in it on its lines.
The store keeps runs and rows in memory, and writes only on commit. Proven against real
SQLite and PostgreSQL: tests/integration/reports.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime

from hotline.reports.schedule import NightlySchedule
from hotline.reports.stored import FigureRow, StoredRun
from hotline.reports.tally import CALL_SUMS, UNASSIGNED, BucketRow
from hotline.reports.windows import Window
from tests.unit.usecases.fakes import FakeJobs


@dataclass(frozen=True)
class FakeCall:
    received_at: datetime
    outcome: str = "answered"          # answered | abandoned | voicemail | transferred | info_only
    line_id: str | None = None         # the last queue joined
    dialled: str = ""
    caller_key: str = ""
    wait: float | None = None
    talk: float | None = None
    wrap: float | None = None          # wrap-up end − talk end, when recorded
    steps: tuple[tuple[str, str], ...] = ()   # (kind, dedup key) of routing events, in order
    sid: str = ""

    def line(self, number_lines) -> str | None:
        return self.line_id or number_lines.get(self.dialled)


def on_lines(window: Window, line: str | None) -> bool:
    """The SQL adapter's rule: a named window takes its lines (and line-less calls if it names
    "unassigned"); the default window takes everything not excluded, line-less calls too."""
    if window.lines is not None:
        return line in window.lines or (line is None and UNASSIGNED in window.lines)
    return line is None or line not in window.exclude


def in_window(window: Window, at: datetime) -> bool:
    return window.start <= at < window.end


class FakeReportCalls:
    """ReportCallSums over FakeCalls."""

    def __init__(self, calls: list[FakeCall] | None = None) -> None:
        self.calls = list(calls or [])

    def _claimed(self, windows, number_lines):
        return [c for c in self.calls if any(in_window(w, c.received_at) and on_lines(w, c.line(number_lines))
                                             for w in windows)]

    def call_buckets(self, window, number_lines) -> list[BucketRow]:
        seconds = window.bucket_seconds
        sums: dict[tuple, Counter] = {}
        for call in self._claimed([window], number_lines):
            key = (call.line(number_lines), int(call.received_at.timestamp()) // seconds)
            sums.setdefault(key, Counter()).update(_sums(call))
        return [BucketRow(line, bucket, seconds, {name: float(s[name]) for name in CALL_SUMS})
                for (line, bucket), s in sums.items()]

    def repeat_callers_by_line(self, windows, number_lines) -> dict[str | None, int]:
        counts = Counter((c.line(number_lines), c.caller_key) for c in self._claimed(windows, number_lines)
                         if c.caller_key not in ("", "anonymous"))
        return dict(Counter(line for (line, _), n in counts.items() if n >= 2))

    def repeat_callers_overall(self, windows, number_lines) -> int:
        counts = Counter(c.caller_key for c in self._claimed(windows, number_lines)
                         if c.caller_key not in ("", "anonymous"))
        return sum(1 for n in counts.values() if n >= 2)

    def rollover_events(self, windows, number_lines):
        for index, call in enumerate(self.calls):
            if any(in_window(w, call.received_at) for w in windows) and any(k == "rolled_over" for k, _ in call.steps):
                for kind, key in call.steps:
                    if kind in ("rolled_over", "queued", "transferred"):
                        yield index, kind, key

    def wrap_up_sums(self, windows, number_lines) -> dict[str | None, dict[str, float]]:
        result: dict[str | None, Counter] = {}
        for call in self._claimed(windows, number_lines):
            if call.outcome == "answered" and call.wrap is not None:
                result.setdefault(call.line(number_lines), Counter()).update(wrap_sum=call.wrap, wrap_n=1)
        return {line: dict(c) for line, c in result.items()}


def _sums(call: FakeCall) -> Counter:
    answered, abandoned = call.outcome == "answered", call.outcome == "abandoned"
    wait = call.wait or 0.0
    s = Counter(offered=1, answered=int(answered), abandoned=int(abandoned),
                abandoned_short=int(abandoned and wait < 5), voicemail=int(call.outcome == "voicemail"),
                transferred=int(call.outcome == "transferred"), info_only=int(call.outcome == "info_only"))
    if abandoned:
        bucket = "ab_0_5" if wait < 5 else "ab_5_20" if wait < 20 else "ab_20_60" if wait < 60 else \
            "ab_60_120" if wait < 120 else "ab_120"
        s[bucket] += 1
        if call.wait is not None:
            s.update(abandon_wait_sum=call.wait, abandon_wait_n=1)
    if answered and call.wait is not None:
        s.update(wait_sum=call.wait, wait_n=1, within_20=int(call.wait <= 20), within_60=int(call.wait <= 60))
    if call.talk is not None:
        s.update(talk_sum=call.talk, talk_n=1)
    return s


@dataclass(frozen=True)
class FakeAssessment:
    call: FakeCall
    level: str
    answers_token: str


@dataclass(frozen=True)
class FakeReferral:
    call: FakeCall
    created_at: datetime
    history: tuple[dict, ...]          # {"status", "at"} entries, as the triage store keeps them
    next_follow_up_at: datetime | None = None

    @property
    def status(self) -> str:
        return self.history[-1]["status"]

    @property
    def updated_at(self) -> datetime:
        return datetime.fromisoformat(self.history[-1]["at"])


@dataclass(frozen=True)
class FakeFollowUp:
    call: FakeCall
    due_at: datetime
    done_at: datetime | None = None


@dataclass
class FakeReportTriage:
    """ReportTriageRows over fake assessments, referrals and follow-up tasks."""

    assessments: list[FakeAssessment] = field(default_factory=list)
    referrals: list[FakeReferral] = field(default_factory=list)
    follow_ups: list[FakeFollowUp] = field(default_factory=list)
    open_statuses: tuple[str, ...] = ("suggested", "accepted", "contacted")

    def risk_levels(self, windows, numbers):
        counts = Counter((a.call.line(numbers), a.level) for a in self.assessments if _claims(windows, a.call, numbers))
        return [(line, level, n) for (line, level), n in counts.items()]

    def answer_tokens(self, windows, numbers):
        return [(a.call.line(numbers), a.answers_token) for a in self.assessments if _claims(windows, a.call, numbers)]

    def referrals_made(self, windows, numbers):
        counts = Counter(r.call.line(numbers) for r in self.referrals
                         if any(in_window(w, r.created_at) and on_lines(w, r.call.line(numbers)) for w in windows))
        return list(counts.items())

    def completed_referrals(self, window, numbers):
        return [(r.call.line(numbers), list(r.history)) for r in self.referrals
                if r.status == "completed" and r.updated_at >= window.start and on_lines(window, r.call.line(numbers))]

    def overdue_follow_ups(self, window, numbers, as_of):
        counts = Counter(f.call.line(numbers) for f in self.follow_ups
                         if f.due_at <= as_of and not (f.done_at and f.done_at <= as_of)
                         and on_lines(window, f.call.line(numbers)))
        return list(counts.items())

    def referrals_open_at(self, window, numbers, as_of):
        return [(r.call.line(numbers), list(r.history), r.next_follow_up_at) for r in self.referrals
                if r.created_at <= as_of and on_lines(window, r.call.line(numbers))
                and (r.status in self.open_statuses or r.updated_at > as_of)]


def _claims(windows, call: FakeCall, numbers) -> bool:
    return any(in_window(w, call.received_at) and on_lines(w, call.line(numbers)) for w in windows)


@dataclass
class FakeReportRosters:
    """ReportRosterRows over the shifts core's values."""

    shift_list: list = field(default_factory=list)
    slot_list: list = field(default_factory=list)

    def shifts(self, start, end, line_ids):
        return [s for s in self.shift_list if s.start < end and s.end > start and s.line_id in line_ids]

    def slots(self, line_ids):
        return [s for s in self.slot_list if s.line_id in line_ids]


class FakeStoreError(Exception):
    """What the fake store raises when told to fail (the SQL store's SQLAlchemyError)."""


class FakeReportRuns:
    """ReportRuns: runs and rows in memory; `replace` is staged until the unit of work commits."""

    def __init__(self) -> None:
        self.runs: dict[int, StoredRun] = {}
        self.rows: dict[int, list[FigureRow]] = {}
        self.next_id = 1
        self.pending: list[tuple[StoredRun, list[FigureRow]]] = []

    def replace(self, *, period, first, last, scope, computed_at, source, notes, figures) -> int:
        run = StoredRun(self.next_id, period, first, last, scope, computed_at, source, dict(notes))
        self.next_id += 1
        self.pending.append((run, list(figures)))
        return run.id

    def apply(self) -> None:
        for run, rows in self.pending:
            for old in [r for r in self.runs.values() if (r.period, r.first_day, r.last_day, r.scope) ==
                        (run.period, run.first_day, run.last_day, run.scope)]:
                del self.runs[old.id], self.rows[old.id]
            self.runs[run.id], self.rows[run.id] = run, rows
        self.pending.clear()

    def find(self, period, first, last, line):
        scopes = ["*"] if not line or line == "*" else [line, "*"]
        found = [r for r in self.runs.values() if (r.period, r.first_day, r.last_day) == (period, first, last)
                 and r.scope in scopes]
        return max(found, key=lambda r: r.computed_at, default=None)

    def figures(self, run_id, lines=None):
        return [row for row in self.rows[run_id] if lines is None or row.line_id in lines]

    def recent(self, limit=20):
        return sorted(self.runs.values(), key=lambda r: r.computed_at, reverse=True)[:limit]


class FakeReportSchedule:
    """ReportScheduleStore: the settings in memory (created with the defaults)."""

    def __init__(self, schedule: NightlySchedule | None = None) -> None:
        self.current = schedule or NightlySchedule()

    def get(self) -> NightlySchedule:
        return self.current

    def update(self, *, enabled, run_at, by, now) -> NightlySchedule:
        self.current = replace(self.current, enabled=enabled, run_at=run_at, updated_by=by, updated_at=now)
        return self.current

    def record_result(self, *, at, status, message="") -> None:
        self.current = replace(self.current, last_run_at=at, last_status=status, last_message=message[:2000])


class FakeReports:
    """ReportsUnitOfWorkFactory: every unit of work shares these sources and this store.

    fail_commit: the next commits raise FakeStoreError (nothing is written); opened and
    commits count what the use case did."""

    def __init__(self, calls=(), triage: FakeReportTriage | None = None, rosters: FakeReportRosters | None = None,
                 with_triage: bool = True, with_rosters: bool = True) -> None:
        self.calls = FakeReportCalls(list(calls))
        self.triage = (triage or FakeReportTriage()) if with_triage else None
        self.rosters = (rosters or FakeReportRosters()) if with_rosters else None
        self.runs = FakeReportRuns()
        self.schedule = FakeReportSchedule()
        self.fail_commit = False
        self.opened = self.commits = 0

    def __call__(self) -> "FakeReportsUnitOfWork":
        self.opened += 1
        return FakeReportsUnitOfWork(self)


class FakeReportsUnitOfWork:
    def __init__(self, store: FakeReports) -> None:
        self.store = store
        self.calls, self.triage, self.rosters = store.calls, store.triage, store.rosters
        self.runs, self.schedule = store.runs, store.schedule

    def __enter__(self) -> "FakeReportsUnitOfWork":
        return self

    def __exit__(self, *exc) -> None:
        self.rollback()

    def commit(self) -> None:
        if self.store.fail_commit:
            self.rollback()
            raise FakeStoreError("unique constraint failed")
        self.runs.apply()
        self.store.commits += 1

    def rollback(self) -> None:
        self.runs.pending.clear()


@dataclass
class FakeScheduledJobs(FakeJobs):
    """ScheduledJobs: FakeJobs plus the scheduled registry; `down` makes every call fail."""

    at: dict[str, tuple[datetime, dict]] = field(default_factory=dict)
    functions: dict[str, str] = field(default_factory=dict)
    down: bool = False

    def _check(self) -> None:
        if self.down:
            raise ConnectionError("Redis is down")

    def enqueue(self, function, *args, queue="default", job_id=None, **kwargs) -> str:
        self._check()
        job_id = super().enqueue(function, *args, queue=queue, job_id=job_id, **kwargs)
        self.functions[job_id] = function
        return job_id

    def enqueue_at(self, at, function, *args, queue="default", job_id=None, **options) -> str:
        job_id = self.enqueue(function, *args, queue=queue, job_id=job_id, **options)
        self.at[job_id] = (at, self.queued[-1])
        return job_id

    def scheduled(self, queue, prefix):
        self._check()
        return sorted(((job_id, at) for job_id, (at, job) in self.at.items()
                       if job["queue"] == queue and job_id.startswith(prefix)), key=lambda item: item[1])

    def cancel(self, job_id, queue) -> None:
        self._check()
        self.at.pop(job_id, None)
        self.functions.pop(job_id, None)

    def function_of(self, job_id):
        self._check()
        return self.functions.get(job_id)

