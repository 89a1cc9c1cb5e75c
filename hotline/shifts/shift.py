"""Concrete shifts, seats left unfilled, and leave: the roster's plain data."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hotline.shifts._time import DEFAULT_TZ, hours_between, local_midnight, require_aware


@dataclass(frozen=True)
class Shift:
    """One counselor on one slot of one line for [start, end) (aware, line's zone)."""

    counselor_id: str
    line_id: str
    slot_id: str
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        require_aware(self.start, "班次开始 / shift start")
        require_aware(self.end, "班次结束 / shift end")
        if self.end <= self.start:
            raise ValueError(
                f"{self.counselor_id} 的班次结束不晚于开始：{self.start}–{self.end} / "
                f"shift of {self.counselor_id} must end after it starts: {self.start}–{self.end}"
            )

    @property
    def day(self) -> date:
        """The roster date of the shift: the local date it starts on."""
        return self.start.date()

    @property
    def hours(self) -> float:
        """Elapsed hours worked."""
        return hours_between(self.start, self.end)

    @property
    def key(self) -> str:
        """A stable identity (used for iCalendar UIDs and by stores)."""
        return f"{self.line_id}|{self.slot_id}|{self.start.isoformat()}|{self.counselor_id}"

    def covers(self, at: datetime) -> bool:
        """Whether the shift is on at `at`; half-open so hand-over has one owner."""
        return self.start <= at < self.end

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """Whether the shift shares any time with [start, end)."""
        return self.start < end and start < self.end

    def with_counselor(self, counselor_id: str) -> Shift:
        """The same seat given to someone else (swap, reassign)."""
        return Shift(counselor_id, self.line_id, self.slot_id, self.start, self.end)


def by_time(shift: Shift) -> tuple:
    """Sort key: chronological, then line, slot and counselor for a stable order."""
    return (shift.start, shift.end, shift.line_id, shift.slot_id, shift.counselor_id)


@dataclass(frozen=True)
class UnfilledSeat:
    """A seat generation could not fill, and why (the assignee was on leave)."""

    line_id: str
    slot_id: str
    start: datetime
    end: datetime
    counselor_id: str
    reason: str = ""


@dataclass(frozen=True)
class Unavailability:
    """Leave or other unavailability of a counselor for [start, end)."""

    counselor_id: str
    start: datetime
    end: datetime
    reason: str = ""

    def __post_init__(self) -> None:
        require_aware(self.start, "请假开始 / leave start")
        require_aware(self.end, "请假结束 / leave end")
        if self.end <= self.start:
            raise ValueError(f"{self.counselor_id} 的请假结束不晚于开始 / leave of {self.counselor_id} must end after it starts")

    @classmethod
    def days(cls, counselor_id: str, first: date, last: date, reason: str = "", tz: str = DEFAULT_TZ) -> Unavailability:
        """Whole days of leave, `first` to `last` included, in zone `tz`."""
        return cls(counselor_id, local_midnight(first, tz), local_midnight(last + timedelta(days=1), tz), reason)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        """Whether the leave shares any time with [start, end)."""
        return self.start < end and start < self.end


def as_shifts(roster_or_shifts) -> tuple[Shift, ...]:
    """Accept a Roster (anything with .shifts) or an iterable of shifts."""
    return tuple(getattr(roster_or_shifts, "shifts", roster_or_shifts))
