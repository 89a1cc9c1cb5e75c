"""Date selectors of opening_hours rules, as small predicates over (date, calendar).

A rule's selectors form groups by type (years, holidays, months, month days, weekdays):
a date matches a rule when it matches at least one selector of every group — the same
AND-of-ORs evaluation as opening_hours.js.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date, timedelta

from hotline.routing.schedule.model import CalendarLike

__all__ = ["WeekdayPred", "NthWeekdayPred", "HolidayPred", "YearPred", "MonthPred", "MonthdayPred", "Group",
           "matches_all"]


@dataclass(frozen=True)
class WeekdayPred:
    days: frozenset[int]
    kind = "weekday"

    def matches(self, d: date, cal: CalendarLike) -> bool:
        return d.weekday() in self.days


@dataclass(frozen=True)
class NthWeekdayPred:
    """Sa[1], Su[-1], Mo[1,3], Mo[2] +1 day: the date `offset` days after the nth such weekday
    of its month (negative n counts from the month's end)."""

    weekday: int
    numbers: frozenset[int]
    offset: int = 0
    kind = "date"

    def matches(self, d: date, cal: CalendarLike) -> bool:
        base = d - timedelta(days=self.offset) if self.offset else d
        if base.weekday() != self.weekday:
            return False
        last = _calendar.monthrange(base.year, base.month)[1]
        return (base.day - 1) // 7 + 1 in self.numbers or -((last - base.day) // 7 + 1) in self.numbers


@dataclass(frozen=True)
class HolidayPred:
    """PH: a public holiday of the line's calendar; PH +1 day / PH -1 day: the day after / before one."""

    offset: int = 0
    kind = "holiday"

    def matches(self, d: date, cal: CalendarLike) -> bool:
        return cal.is_public_holiday(d - timedelta(days=self.offset) if self.offset else d)


@dataclass(frozen=True)
class YearPred:
    first: int
    last: int
    kind = "date"

    def matches(self, d: date, cal: CalendarLike) -> bool:
        return self.first <= d.year <= self.last


@dataclass(frozen=True)
class MonthPred:
    """Jan-Mar; wraps over the year's end (Nov-Feb)."""

    first: int
    last: int
    kind = "date"

    def matches(self, d: date, cal: CalendarLike) -> bool:
        if self.first <= self.last:
            return self.first <= d.month <= self.last
        return d.month >= self.first or d.month <= self.last


@dataclass(frozen=True)
class MonthdayPred:
    """Dec 24-26 every year, Dec 24-Jan 02 (wrapping), or 2026 Oct 01-07 (absolute)."""

    start: tuple[int | None, int, int]   # (year or None, month, day)
    end: tuple[int | None, int, int]
    kind = "date"

    def matches(self, d: date, cal: CalendarLike) -> bool:
        if self.start[0] is not None:
            return date(*self.start) <= d <= date(*self.end)   # type: ignore[arg-type]
        key, lo, hi = (d.month, d.day), self.start[1:], self.end[1:]
        return lo <= key <= hi if lo <= hi else key >= lo or key <= hi


Group = tuple  # tuple of predicates, any of which may match


def matches_all(groups: tuple[Group, ...], d: date, cal: CalendarLike, shift: int = 0) -> bool:
    """True when every group has a matching predicate; `shift` days back for wrapped rules."""
    if shift:
        d = d - timedelta(days=shift)
    return all(any(p.matches(d, cal) for p in group) for group in groups)
