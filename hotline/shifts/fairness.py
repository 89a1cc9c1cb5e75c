"""How evenly night and holiday shifts are spread across counselors.

Counts per counselor plus min / max / mean / population stdev, so a supervisor
sees at a glance whether the same people always get the nights and holidays.
"""
from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from hotline.shifts.days import HolidayCalendar, default_calendar
from hotline.shifts.labels import Labels
from hotline.shifts.shift import Shift, as_shifts
from hotline.shifts.slots import NIGHT_END_MINUTES, ShiftSlot


MAX_NAMED = 5  # a summary names at most this many of those with the most


@dataclass(frozen=True)
class Spread:
    """Counts of one kind of shift per counselor and their spread."""

    kind: str
    counts: Mapping[str, int]
    min: int
    max: int
    mean: float
    stdev: float

    @property
    def range(self) -> int:
        """max - min: 0 or 1 is as fair as it gets."""
        return self.max - self.min


@dataclass(frozen=True)
class Fairness:
    """Night and holiday spread of one roster (or a slice of it)."""

    night: Spread
    holiday: Spread

    def summary(self, labels: Labels | None = None) -> str:
        """One bilingual line per kind, naming who has the most."""
        return "\n".join(_line(s, labels or Labels()) for s in (self.night, self.holiday))


def fairness(shifts: Iterable[Shift], *, counselors: Iterable[str] | None = None,
             slots: Mapping[str, ShiftSlot] | None = None, calendar: HolidayCalendar | None = None) -> Fairness:
    """Spread of night and holiday shifts; `counselors` adds people with none."""
    shifts, slots = as_shifts(shifts), slots or {}
    people = sorted(set(counselors or ()) | {s.counselor_id for s in shifts})
    cal = calendar or default_calendar()
    nights = _count(people, (s for s in shifts if is_night_shift(s, slots)))
    holidays = _count(people, (s for s in shifts if is_holiday_shift(s, cal)))
    return Fairness(_spread("night", nights), _spread("holiday", holidays))


def is_night_shift(shift: Shift, slots: Mapping[str, ShiftSlot]) -> bool:
    """The slot's is_night if known, else whether the shift touches 00:00-06:00 locally."""
    slot = slots.get(shift.slot_id)
    if slot is not None:
        return bool(slot.is_night)
    for d in worked_dates(shift):
        small = datetime.combine(d, time(), tzinfo=shift.start.tzinfo)
        if shift.overlaps(small, small + timedelta(minutes=NIGHT_END_MINUTES)):
            return True
    return False


def is_holiday_shift(shift: Shift, calendar: HolidayCalendar) -> bool:
    """Whether any local date the shift works on is a public holiday."""
    return any(calendar.is_public_holiday(d) for d in worked_dates(shift))


def worked_dates(shift: Shift) -> list[date]:
    """Local dates with some time of the shift (a 24:00 end does not touch the next day)."""
    last = (shift.end - timedelta(microseconds=1)).astimezone(shift.start.tzinfo).date()
    return [shift.start.date() + timedelta(days=n) for n in range((last - shift.start.date()).days + 1)]


def _count(people: list[str], shifts: Iterable[Shift]) -> dict[str, int]:
    counts = dict.fromkeys(people, 0)
    for s in shifts:
        counts[s.counselor_id] += 1
    return counts


def _spread(kind: str, counts: dict[str, int]) -> Spread:
    values = list(counts.values()) or [0]
    return Spread(kind, counts, min(values), max(values), statistics.fmean(values), statistics.pstdev(values))


def _line(s: Spread, labels: Labels) -> str:
    zh, en = {"night": ("夜班", "night shifts"), "holiday": ("节假日班", "holiday shifts")}[s.kind]
    most = [labels.person(c) for c, n in s.counts.items() if n == s.max and s.max > 0]
    names, more = ", ".join(most[:MAX_NAMED]) or "-", len(most) - MAX_NAMED
    top_zh, top_en = (f"{names} 等 {len(most)} 人", f"{names} and {more} more") if more > 0 else (names, names)
    return (f"{zh}：最少 {s.min}，最多 {s.max}（{top_zh}），平均 {s.mean:.1f}，标准差 {s.stdev:.2f} / "
            f"{en}: min {s.min}, max {s.max} ({top_en}), mean {s.mean:.1f}, stdev {s.stdev:.2f}")
