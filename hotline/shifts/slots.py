"""Shift slots: the recurring seats a line needs filled every day.

A slot is wall-clock times in the line's zone; a slot whose end is at or before
its start runs past midnight (16:00-24:00 on D ends at D+1 00:00; 22:00-06:00
on D ends at D+1 06:00). "00:00-08:00" on D starts at D 00:00.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from hotline.shifts._time import DEFAULT_TZ, at_minutes, parse_hhmm, zone

DAY_MINUTES = 24 * 60
NIGHT_END_MINUTES = 6 * 60  # a slot touching 00:00-06:00 is a night slot by default


@dataclass(frozen=True)
class ShiftSlot:
    """One slot of a line, e.g. the night seat 00:00-08:00 with 2 seats."""

    id: str
    line_id: str
    start: str
    end: str
    seats: int = 1
    label_zh: str = ""
    label_en: str = ""
    is_night: bool | None = None
    tz: str = DEFAULT_TZ

    def __post_init__(self) -> None:
        start, end = self.minutes
        if self.seats < 0:
            raise ValueError(f"班次 {self.id} 的席位数不能为负 / slot {self.id}: seats must be >= 0")
        if start >= DAY_MINUTES:
            raise ValueError(f"班次 {self.id} 不能从 24:00 开始 / slot {self.id} cannot start at 24:00")
        zone(self.tz)  # fail now on an unknown zone, not at generation time
        if self.is_night is None:
            object.__setattr__(self, "is_night", _touches_small_hours(start, end))

    @property
    def minutes(self) -> tuple[int, int]:
        """(start, end) in minutes from midnight of the slot's date; end may exceed 24 h."""
        start, end = parse_hhmm(self.start), parse_hhmm(self.end)
        return start, end if end > start else end + DAY_MINUTES

    @property
    def spans_midnight(self) -> bool:
        """True when the slot ends on the next calendar day (a 24:00 end does too)."""
        return self.minutes[1] > DAY_MINUTES or self.end == "24:00"

    def bounds(self, day: date) -> tuple[datetime, datetime]:
        """Aware start and end of this slot on `day`, in the line's zone."""
        start, end = self.minutes
        return at_minutes(day, start, self.tz), at_minutes(day, end, self.tz)

    def label(self) -> tuple[str, str]:
        """(zh, en) label, falling back to the times so messages always say something."""
        times = f"{self.start}-{self.end}"
        return self.label_zh or times, self.label_en or times


def _touches_small_hours(start: int, end: int) -> bool:
    """Whether [start, end) overlaps 00:00-06:00 of the slot's day or the next day."""
    for base in (0, DAY_MINUTES):
        if start < base + NIGHT_END_MINUTES and end > base:
            return True
    return False


def slots_by_id(slots) -> dict[str, ShiftSlot]:
    """Index slots by id, refusing duplicates (ids are global across lines)."""
    index: dict[str, ShiftSlot] = {}
    for slot in slots:
        if slot.id in index:
            raise ValueError(f"班次编号重复：{slot.id} / duplicate slot id: {slot.id}")
        index[slot.id] = slot
    return index


def slots_by_line(slots) -> dict[str, list[ShiftSlot]]:
    """Group slots per line (coverage needs each line's requirement)."""
    grouped: dict[str, list[ShiftSlot]] = {}
    for slot in slots:
        grouped.setdefault(slot.line_id, []).append(slot)
    return grouped
