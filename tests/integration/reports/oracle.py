"""The test oracle: every report figure recomputed one call (one record) at a time.

Written from the definitions in hotline/reports/__init__.py, independently of the
SQL adapter: plain loops over the generated objects, no shared code but the
generator's data classes. If a figure disagrees, one of the two is wrong.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
FOLLOW_UP_HOURS = {"suggested": 24, "accepted": 48, "contacted": 72}
OPEN = ("suggested", "accepted", "contacted")
QUARTER = timedelta(minutes=15)


def window(period):
    start = datetime(period.first.year, period.first.month, period.first.day, tzinfo=TZ)
    last = period.last + timedelta(days=1)
    return start.astimezone(timezone.utc), datetime(last.year, last.month, last.day, tzinfo=TZ).astimezone(timezone.utc)


def line_of(call) -> str:
    return call.line_id or call.dialled_line


class Expected:
    """Per line: raw sums and series; `values(line)` turns them into the figures."""

    def __init__(self) -> None:
        self.sums: dict[str, Counter] = defaultdict(Counter)
        self.series: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
        self.repeat: dict[str, int] = {}
        self.repeat_all = 0

    def total(self, lines) -> tuple[Counter, dict[str, Counter]]:
        sums, series = Counter(), defaultdict(Counter)
        for line in lines:
            sums.update(self.sums.get(line, Counter()))
            for name, counts in self.series.get(line, {}).items():
                series[name].update(counts)
        return sums, series

    @staticmethod
    def figures(s: Counter) -> dict:
        def ratio(a, b):
            return a / b if b else None
        return {
            "offered": s["offered"], "answered": s["answered"], "abandoned": s["abandoned"],
            "abandoned_short": s["short"], "abandon_wait_avg": ratio(s["ab_wait"], s["ab_wait_n"]),
            "rolled_in": s["rolled_in"], "rolled_out": s["rolled_out"], "voicemail": s["voicemail"],
            "transferred": s["transferred"], "info_only": s["info_only"],
            "answer_rate": ratio(s["answered"], s["offered"]),
            "service_level_20": ratio(s["w20"], s["offered"] - s["short"]),
            "service_level_60": ratio(s["w60"], s["offered"] - s["short"]),
            "asa": ratio(s["wait"], s["wait_n"]), "talk_avg": ratio(s["talk"], s["talk_n"]),
            "wrap_up_avg": ratio(s["wrap"], s["wrap_n"]),
            "assessments": s["assessments"], "referrals_made": s["referrals_made"],
            "referrals_completed": s["referrals_completed"], "follow_ups_overdue": s["overdue"],
            "staffed_hours": s["staffed_hours"], "open_hours": s["open_hours"],
            "coverage_gap_hours": s["gap_hours"], "coverage_gaps": s["gaps"],
        }


def compute(period, calls, triage=None, slots=(), shifts=(), directory=None, now=None, only=None) -> Expected:
    start, end = window(period)
    ex = Expected()
    in_period = [c for c in calls if start <= c.received_at < end]
    by_sid = {c.call_sid: c for c in calls}
    for call in in_period:
        _call(ex, call)
    for call in in_period:
        _rollovers(ex, call)
    _repeat(ex, in_period, only)
    if triage is not None:
        _triage(ex, triage, by_sid, start, end, min(end, now))
    if directory is not None:
        _staffing(ex, directory, slots, shifts, start, end)
    return ex


def _call(ex: Expected, c) -> None:
    line = line_of(c)
    s = ex.sums[line]
    s["offered"] += 1
    wait = c.wait_seconds
    if c.outcome == "answered":
        s["answered"] += 1
        if wait is not None:
            s["wait"] += wait
            s["wait_n"] += 1
            s["w20"] += wait <= 20
            s["w60"] += wait <= 60
        if c.wrap_seconds is not None:
            s["wrap"] += c.wrap_seconds
            s["wrap_n"] += 1
    if c.talk_seconds is not None:
        s["talk"] += c.talk_seconds
        s["talk_n"] += 1
    if c.outcome == "abandoned":
        s["abandoned"] += 1
        w = wait or 0.0
        s["short"] += w < 5
        if wait is not None:
            s["ab_wait"] += wait
            s["ab_wait_n"] += 1
        bucket = "0-5" if w < 5 else "5-20" if w < 20 else "20-60" if w < 60 else "60-120" if w < 120 else "120+"
        ex.series[line]["abandon_wait"][bucket] += 1
    if c.outcome in ("voicemail", "transferred", "info_only"):
        s[c.outcome] += 1
    local = c.received_at.astimezone(TZ)
    day, hour, weekday = local.date().isoformat(), f"{local.hour:02d}", str(local.weekday())
    series = ex.series[line]
    for kind, counted in (("offered", True), ("answered", c.outcome == "answered"),
                          ("abandoned", c.outcome == "abandoned")):
        if counted:
            series[f"day_{kind}"][day] += 1
            series[f"hour_{kind}"][hour] += 1
    series["weekday_offered"][weekday] += 1
    series["heat"][f"{weekday}:{hour}"] += 1


def _rollovers(ex: Expected, c) -> None:
    steps = list(c.path) + ([c.transfer_to] if c.transfer_to and c.path else [])
    for before, after in zip(steps, steps[1:]):
        ex.sums[before]["rolled_out"] += 1
        ex.sums[after]["rolled_in"] += 1


def _repeat(ex: Expected, calls, only) -> None:
    per_line: dict[str, Counter] = defaultdict(Counter)
    overall = Counter()
    for c in calls:
        if c.caller_key in ("", "anonymous"):
            continue
        if only is not None and line_of(c) not in only:
            continue
        per_line[line_of(c)][c.caller_key] += 1
        overall[c.caller_key] += 1
    ex.repeat = {line: sum(1 for n in keys.values() if n >= 2) for line, keys in per_line.items()}
    ex.repeat_all = sum(1 for n in overall.values() if n >= 2)


def _triage(ex: Expected, triage, by_sid, start, end, as_of) -> None:
    for a in triage.assessments:
        call = by_sid[a.call_sid]
        if not start <= call.received_at < end:
            continue
        line = line_of(call)
        ex.sums[line]["assessments"] += 1
        ex.series[line]["risk_levels"][a.level] += 1
        for concern in a.concerns:
            ex.series[line]["concerns"][concern] += 1
        ex.series[line]["population_levels"][a.population_level] += 1
    for r in triage.referrals:
        line = line_of(by_sid[r.call_sid])
        if start <= r.created_at < end:
            ex.sums[line]["referrals_made"] += 1
        if any(status == "completed" and start <= at < end for status, at in r.history):
            ex.sums[line]["referrals_completed"] += 1
        known = [(status, at) for status, at in r.history if at <= as_of]
        if known and known[-1][0] in OPEN and known[-1][1] + timedelta(hours=FOLLOW_UP_HOURS[known[-1][0]]) <= as_of:
            ex.sums[line]["overdue"] += 1
    for f in triage.follow_ups:
        line = line_of(by_sid[f.call_sid])
        if f.due_at <= as_of and (f.done_at is None or f.done_at > as_of):
            ex.sums[line]["overdue"] += 1


def _staffing(ex: Expected, directory, slots, shifts, start, end) -> None:
    for shift in shifts:
        overlap = (min(shift.end, end) - max(shift.start, start)).total_seconds()
        if overlap > 0:
            ex.sums[shift.line_id]["staffed_hours"] += overlap / 3600
    for line in directory:
        _line_coverage(ex, line, [s for s in slots if s.line_id == line.id],
                       [s for s in shifts if s.line_id == line.id], start, end)


def _line_coverage(ex, line, slots, shifts, start, end) -> None:
    """Quarter by quarter: open (sampled at the quarter's start), required and staffed seats."""
    state, q = None, start
    while q < end:
        q_end = q + QUARTER
        is_open = line.is_open(q)
        if is_open:
            ex.sums[line.id]["open_hours"] += 0.25
        required = sum(slot.seats for slot in slots if _slot_overlaps(slot, q, q_end))
        need = (required or 1) if is_open else 0
        staffed = sum(1 for s in shifts if s.start <= q and s.end >= q_end)
        gap = line.hosted and staffed < need
        if gap:
            ex.sums[line.id]["gap_hours"] += 0.25 * (need - staffed)
        current = (need, staffed) if gap else None
        if current is not None and current != state:
            ex.sums[line.id]["gaps"] += 1
        state = current if gap else None
        q = q_end


def _slot_overlaps(slot, q, q_end) -> bool:
    local = q.astimezone(TZ)
    for offset in (-1, 0):
        day = local.date() + timedelta(days=offset)
        s_h, s_m = (int(x) for x in slot.start.split(":"))
        e_h, e_m = (int(x) for x in slot.end.split(":"))
        s = datetime(day.year, day.month, day.day, tzinfo=TZ) + timedelta(hours=s_h, minutes=s_m)
        e = datetime(day.year, day.month, day.day, tzinfo=TZ) + timedelta(hours=e_h, minutes=e_m)
        if e <= s:
            e += timedelta(days=1)
        if s < q_end and q < e:
            return True
    return False
