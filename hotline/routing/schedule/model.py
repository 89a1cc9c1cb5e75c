"""The one model every schedule format compiles to.

A *day plan* answers, for a date, the windows that start on that date as
``(start_minute, end_minute)`` pairs of local wall-clock minutes after midnight. An end
beyond 1440 spills into the next day ("17:00-次日9:00" is ``(1020, 1980)``), up to 2880.
Keeping only this small function per format means `is_open`, `next_change` and
`intervals` are written, tested and optimised once, in `schedule_runtime`.

Plans receive the line's calendar as an argument instead of holding it, so the same plan
can be probed with synthetic calendars (see `schedule_probe`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Protocol

__all__ = ["Window", "Windows", "DAY", "MAX_END", "CalendarLike", "DayPlan", "DaySel",
           "normalize", "parse_hhmm", "weekday_set", "window_from"]

Window = tuple[int, int]
Windows = tuple[Window, ...]
DAY = 1440
MAX_END = 2 * DAY


class CalendarLike(Protocol):
    """The part of HolidayCalendar a plan may ask about."""

    def is_public_holiday(self, d: date) -> bool: ...
    def is_working_day(self, d: date) -> bool: ...
    def is_rest_day(self, d: date) -> bool: ...


class DayPlan(Protocol):
    """A compiled schedule before time zones: date -> windows starting that date.

    `uses_calendar`: answers depend on holidays / working days (probe those variants).
    `date_specific`: answers depend on the date itself (months, years, listed dates), so
    no weekly proof of "always open" is possible.
    """

    uses_calendar: bool
    date_specific: bool

    def windows(self, d: date, cal: CalendarLike) -> Windows: ...


def normalize(windows: Iterable[Window]) -> Windows:
    """Sort, drop empty windows, clip to [0, 2880] and merge overlapping/touching ones."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(MAX_END, e)) for s, e in windows):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


@dataclass(frozen=True)
class DaySel:
    """A union of day kinds: calendar weekdays (0=Mon) and calendar categories.

    Used by the Chinese and structured formats ("周一至周五、法定节假日").
    """

    weekdays: frozenset[int] = frozenset()
    working: bool = False     # 工作日: official working days incl. make-up days
    rest: bool = False        # 节假日 / 休息日: weekends and holidays, make-up days excluded
    public: bool = False      # 法定节假日: public holidays only

    def __or__(self, other: "DaySel") -> "DaySel":
        return DaySel(self.weekdays | other.weekdays, self.working or other.working,
                      self.rest or other.rest, self.public or other.public)

    @property
    def uses_calendar(self) -> bool:
        return self.working or self.rest or self.public

    @property
    def is_empty(self) -> bool:
        return not (self.weekdays or self.uses_calendar)

    def matches(self, d: date, cal: CalendarLike) -> bool:
        return (d.weekday() in self.weekdays
                or (self.working and cal.is_working_day(d))
                or (self.rest and cal.is_rest_day(d))
                or (self.public and cal.is_public_holiday(d)))


def weekday_set(first: int, last: int) -> frozenset[int]:
    """Weekdays first..last inclusive, wrapping over the week's end (Sa-Mo)."""
    return frozenset((first + n) % 7 for n in range((last - first) % 7 + 1))


_HHMM = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def parse_hhmm(text: str, *, allow_24: bool = True) -> int | None:
    """'08:30' -> 510; '24:00' -> 1440 when allowed; None when malformed."""
    match = _HHMM.match(text) if isinstance(text, str) else None
    if not match:
        return None
    hours, minutes = int(match[1]), int(match[2])
    if minutes > 59 or hours > 24 or (hours == 24 and (minutes or not allow_24)):
        return None
    return hours * 60 + minutes


def window_from(start: int, end: int, *, next_day: bool = False) -> Window:
    """A window from wall-clock minutes; an end not after the start runs past midnight."""
    if next_day or end <= start:
        end += DAY
    return (start, end)
