"""Date selectors of opening_hours rules, as small predicates over (date, calendar).

A rule's selectors form groups by type (years, holidays, months, month days, weekdays):
a date matches a rule when it matches at least one selector of every group — the same
AND-of-ORs evaluation as opening_hours.js.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hotline.routing.schedule.model import CalendarLike

__all__ = ["WeekdayPred", "HolidayPred", "YearPred", "MonthPred", "MonthdayPred", "Group", "matches_all"]


@dataclass(frozen=True)
class WeekdayPred:
    days: frozenset[int]
    kind = "weekday"

    def matches(self, d: date, cal: CalendarLike) -> bool:
        return d.weekday() in self.days


@dataclass(frozen=True)
class HolidayPred:
    """PH: a public holiday of the line's calendar."""

    kind = "holiday"

    def matches(self, d: date, cal: CalendarLike) -> bool:
        return cal.is_public_holiday(d)


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
