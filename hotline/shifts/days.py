"""The holiday calendar the shifts core depends on, and which days a pattern runs.

The calendar is injected (anything with is_public_holiday / is_working_day /
is_rest_day) so tests and other countries can swap it; the application passes the
lines' calendar (Adapters.holiday_calendar, with the holidays directory's tables), and
without one we use the built-in mainland China calendar of hotline.routing.calendar.
"""
from __future__ import annotations

from datetime import date
from typing import Literal, Protocol

DayFilter = Literal["all", "weekdays", "weekends", "working_days", "rest_days", "holidays"]
HolidayBehaviour = Literal["work", "off"]
DAY_FILTERS: tuple[str, ...] = ("all", "weekdays", "weekends", "working_days", "rest_days", "holidays")
NEEDS_CALENDAR = frozenset({"working_days", "rest_days", "holidays"})


class HolidayCalendar(Protocol):
    """What the shifts core asks of a holiday calendar."""

    def is_public_holiday(self, d: date) -> bool: ...
    def is_working_day(self, d: date) -> bool: ...
    def is_rest_day(self, d: date) -> bool: ...


def default_calendar() -> HolidayCalendar:
    """The built-in mainland China calendar (make-up working days, provisional years).

    Imported lazily so patterns and rules that need no calendar never load it.
    """
    # Lazy: the holiday tables load only when a day filter needs them.
    from hotline.routing.calendar.holidays import china_calendar

    return china_calendar()


def day_matches(days: str, d: date, calendar: HolidayCalendar | None) -> bool:
    """Whether date `d` passes a pattern's day filter."""
    if days == "all":
        return True
    if days == "weekdays":
        return d.weekday() < 5
    if days == "weekends":
        return d.weekday() >= 5
    if calendar is None:
        raise ValueError(f"日期筛选 {days} 需要节假日日历 / day filter {days!r} needs a holiday calendar")
    if days == "working_days":
        return calendar.is_working_day(d)
    if days == "rest_days":
        return calendar.is_rest_day(d)
    return calendar.is_public_holiday(d)
