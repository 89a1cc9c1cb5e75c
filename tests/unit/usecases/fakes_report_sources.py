"""In-memory fakes of the reports' sources (hotline/ports.py, "reports"): the call record,
the triage records and the rosters.

They keep plain records (a call, an assessment, a referral, a follow-up task, a shift)
and answer the ports' questions with the definitions of hotline/reports/__init__.py, the
way the SQL adapters do in the database: a call's line is its last queue, else the line
owning the dialled number; a window claims the calls received in it on its lines.
Proven against real SQLite and PostgreSQL: tests/integration/reports.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from hotline.reports.tally import CALL_SUMS, UNASSIGNED, BucketRow
from hotline.reports.windows import Window


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
