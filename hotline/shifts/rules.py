"""Roster rules: minimum rest, maximum hours per ISO week, no double booking, leave.

Each rule looks at one counselor's shifts (sorted by start) and returns
Violations naming the counselor, the shifts involved and a bilingual message,
so the roster editor can show exactly what a change breaks.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from hotline.shifts._time import elapsed, fmt_hours, hours, hours_between
from hotline.shifts.labels import Labels
from hotline.shifts.shift import Shift, Unavailability, by_time

REST, WEEKLY_HOURS, OVERLAP, LEAVE = "min_rest", "max_weekly_hours", "overlap", "leave"


@dataclass(frozen=True)
class RuleSet:
    """Limits and labels used by every check; defaults follow common labour practice."""

    min_rest: timedelta = timedelta(hours=11)
    max_weekly_hours: float = 40.0
    labels: Labels = field(default_factory=Labels)


@dataclass(frozen=True)
class Violation:
    """One broken rule: which, who, which shifts, the measured value and the limit."""

    rule: str
    counselor_id: str
    shifts: tuple[Shift, ...]
    message: str
    value: float = 0.0
    limit: float = 0.0


def rest_violations(shifts: list[Shift], rules: RuleSet) -> list[Violation]:
    """Consecutive shifts separated by less than the minimum rest (overlaps excluded)."""
    found, prev = [], None
    for cur in shifts:
        if prev is not None and timedelta(0) <= elapsed(prev.end, cur.start) < rules.min_rest:
            found.append(_rest(prev, cur, rules))
        if prev is None or cur.end > prev.end:
            prev = cur
    return found


def _rest(a: Shift, b: Shift, rules: RuleSet) -> Violation:
    lb, gap, limit = rules.labels, hours_between(a.end, b.start), hours(rules.min_rest)
    (za, ea), (zb, eb), who = lb.shift(a), lb.shift(b), lb.person(a.counselor_id)
    g, m = fmt_hours(gap), fmt_hours(limit)
    message = (f"{who} {za}与 {zb}间隔仅 {g} 小时，少于 {m} 小时 / "
               f"{who}: rest between {ea} and {eb} is {g} h < {m} h")
    return Violation(REST, a.counselor_id, (a, b), message, gap, limit)


def weekly_hours_violations(shifts: list[Shift], rules: RuleSet) -> list[Violation]:
    """ISO weeks (local Monday 00:00 to Monday 00:00) with more than the maximum hours."""
    totals: dict[tuple[int, int], float] = defaultdict(float)
    members: dict[tuple[int, int], list[Shift]] = defaultdict(list)
    for shift in shifts:
        for week, worked in _week_pieces(shift):
            totals[week] += worked
            members[week].append(shift)
    return [_weekly(week, totals[week], members[week], rules)
            for week in sorted(totals) if totals[week] > rules.max_weekly_hours + 1e-9]


def _week_pieces(shift: Shift):
    """Split a shift at local Monday midnights: ((iso_year, iso_week), hours) pieces."""
    cursor = shift.start
    while cursor < shift.end:
        monday = date.fromordinal(cursor.date().toordinal() + 7 - cursor.weekday())
        boundary = datetime.combine(monday, time(), tzinfo=cursor.tzinfo)
        piece_end = min(boundary, shift.end)
        yield cursor.isocalendar()[:2], hours_between(cursor, piece_end)
        cursor = piece_end


def _weekly(week: tuple[int, int], total: float, shifts: list[Shift], rules: RuleSet) -> Violation:
    who = rules.labels.person(shifts[0].counselor_id)
    first = date.fromisocalendar(week[0], week[1], 1)
    span = f"{first.isoformat()} – {(first + timedelta(days=6)).isoformat()}"
    name, t, m = f"{week[0]}-W{week[1]:02d}", fmt_hours(total), fmt_hours(rules.max_weekly_hours)
    message = (f"{who} {name}（{span}）工作 {t} 小时，超过每周上限 {m} 小时 / "
               f"{who}: {t} h in week {name} ({span}) > {m} h weekly maximum")
    return Violation(WEEKLY_HOURS, shifts[0].counselor_id, tuple(shifts), message, total, rules.max_weekly_hours)


def overlap_violations(shifts: list[Shift], rules: RuleSet) -> list[Violation]:
    """Pairs of shifts of the same counselor that share time (any lines)."""
    found, active = [], []
    for cur in shifts:
        active = [s for s in active if s.end > cur.start]
        found.extend(_overlap(s, cur, rules) for s in active)
        active.append(cur)
    return found


def _overlap(a: Shift, b: Shift, rules: RuleSet) -> Violation:
    lb, who = rules.labels, rules.labels.person(a.counselor_id)
    (za, ea), (zb, eb) = lb.shift_on_line(a), lb.shift_on_line(b)
    message = f"{who} {za}与 {zb}时间重叠，不能同时在两处 / {who}: {ea} overlaps {eb} (two places at once)"
    return Violation(OVERLAP, a.counselor_id, (a, b), message)


def leave_violations(shifts: list[Shift], leave: Iterable[Unavailability], rules: RuleSet) -> list[Violation]:
    """Shifts that fall (even partly) in the counselor's leave or unavailability."""
    return [_on_leave(s, u, rules) for u in leave for s in shifts
            if s.counselor_id == u.counselor_id and u.overlaps(s.start, s.end)]


def _on_leave(shift: Shift, leave: Unavailability, rules: RuleSet) -> Violation:
    who, (zh, en) = rules.labels.person(shift.counselor_id), rules.labels.shift(shift)
    span = f"{leave.start:%Y-%m-%d %H:%M} – {leave.end:%Y-%m-%d %H:%M}"
    zh_why, en_why = (f"{leave.reason}，", f"{leave.reason}, ") if leave.reason else ("", "")
    message = f"{who} {zh}与请假（{zh_why}{span}）冲突 / {who}: {en} falls in leave ({en_why}{span})"
    return Violation(LEAVE, shift.counselor_id, (shift,), message)


def check_counselor(shifts: Iterable[Shift], leave: Iterable[Unavailability], rules: RuleSet) -> list[Violation]:
    """All rules for one counselor's shifts."""
    ordered = sorted(shifts, key=by_time)
    return (overlap_violations(ordered, rules) + rest_violations(ordered, rules)
            + weekly_hours_violations(ordered, rules) + leave_violations(ordered, leave, rules))


def check(shifts: Iterable[Shift], leave: Iterable[Unavailability] = (), rules: RuleSet | None = None) -> list[Violation]:
    """All rules for every counselor, grouped by counselor in id order."""
    rules = rules or RuleSet()
    mine, away = group_by_counselor(shifts), defaultdict(list)
    for u in leave:
        away[u.counselor_id].append(u)
    return [v for cid in sorted(mine) for v in check_counselor(mine[cid], away[cid], rules)]


def group_by_counselor(shifts: Iterable[Shift]) -> dict[str, list[Shift]]:
    """Shifts per counselor (unsorted)."""
    grouped: dict[str, list[Shift]] = defaultdict(list)
    for shift in shifts:
        grouped[shift.counselor_id].append(shift)
    return grouped
