"""Shared builders for the shifts unit tests: slots, fake schedule and calendar."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hotline.shifts import ShiftSlot, Shift

TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def three_slots(line: str = "A", day: int = 1, evening: int = 1, night: int = 1) -> list[ShiftSlot]:
    """The usual 08-16 / 16-24 / 00-08 slots of a 24/7 line."""
    return [ShiftSlot(f"{line}-day", line, "08:00", "16:00", day, "白班", "day"),
            ShiftSlot(f"{line}-evening", line, "16:00", "24:00", evening, "中班", "evening"),
            ShiftSlot(f"{line}-night", line, "00:00", "08:00", night, "夜班", "night")]


def shift(who: str, slot: ShiftSlot, day: date) -> Shift:
    start, end = slot.bounds(day)
    return Shift(who, slot.line_id, slot.id, start, end)


class FakeSchedule:
    """Open on the given (start, end) pairs, clipped like the real intervals()."""

    def __init__(self, *spans: tuple[datetime, datetime]) -> None:
        self.spans = spans

    def intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        return [(max(s, start), min(e, end)) for s, e in self.spans if s < end and start < e]


class AlwaysOpen:
    def intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        return [(start, end)]


class FakeCalendar:
    """Weekends are rest days; `holidays` are public holidays; `workdays` are make-up days."""

    def __init__(self, holidays=(), workdays=()) -> None:
        self.holidays, self.workdays = set(holidays), set(workdays)

    def is_public_holiday(self, d: date) -> bool:
        return d in self.holidays

    def is_working_day(self, d: date) -> bool:
        return d in self.workdays or (d.weekday() < 5 and d not in self.holidays)

    def is_rest_day(self, d: date) -> bool:
        return not self.is_working_day(d)


def days(first: date, n: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(n)]
