"""Rotation patterns: who works which slot on which day, repeating.

A pattern is a cycle of slot ids (None = a day off). Each assignee — a team
whose members all work together, or one person — starts the cycle at its own
offset, so four teams with offsets 0..3 on a 4-day cycle cover every slot
every day. The day filter restricts the days a pattern runs on (weekday /
weekend splits, or holiday-only cover); with advance_on="matching_days" the
cycle only moves on those days, so a weekend pattern alternates weekends.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from hotline.shifts.days import DAY_FILTERS, NEEDS_CALENDAR, DayFilter, HolidayBehaviour, HolidayCalendar, day_matches

Advance = Literal["every_day", "matching_days"]


@dataclass(frozen=True)
class Assignee:
    """A team (several members) or a single person, entering the cycle at `offset`."""

    id: str
    members: tuple[str, ...]
    offset: int = 0

    @classmethod
    def person(cls, counselor_id: str, offset: int = 0) -> Assignee:
        """One counselor rotating alone."""
        return cls(counselor_id, (counselor_id,), offset)

    @classmethod
    def team(cls, team_id: str, members, offset: int = 0) -> Assignee:
        """A team whose members share every shift."""
        return cls(team_id, tuple(members), offset)


@dataclass(frozen=True)
class RotationPattern:
    """A repeating cycle of slots worked by assignees from `start` (to `end`, if set)."""

    id: str
    cycle: tuple[str | None, ...]
    assignees: tuple[Assignee, ...]
    start: date
    days: DayFilter = "all"
    on_holiday: HolidayBehaviour = "work"
    advance_on: Advance = "every_day"
    end: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "cycle", tuple(self.cycle))
        object.__setattr__(self, "assignees", tuple(self.assignees))
        _validate(self)

    @property
    def needs_calendar(self) -> bool:
        """True if answering "does it run on day D" needs the holiday calendar."""
        return self.days in NEEDS_CALENDAR or self.on_holiday == "off"

    def runs_on(self, d: date, calendar: HolidayCalendar | None = None) -> bool:
        """Whether the pattern puts anyone on a slot on `d` (filter, holidays, bounds)."""
        if d < self.start or (self.end is not None and d > self.end):
            return False
        if not day_matches(self.days, d, calendar):
            return False
        return not (self.on_holiday == "off" and _holiday(d, calendar))

    def slot_for(self, assignee: Assignee, d: date, calendar: HolidayCalendar | None = None) -> str | None:
        """The slot id `assignee` works on `d`, or None. O(days) with matching_days."""
        if not self.runs_on(d, calendar):
            return None
        return self.slot_at(assignee, self.step_index(d, calendar))

    def slot_at(self, assignee: Assignee, step: int) -> str | None:
        """The slot of `assignee` at cycle step `step` (after day filtering)."""
        return self.cycle[(step + assignee.offset) % len(self.cycle)]

    def step_index(self, d: date, calendar: HolidayCalendar | None = None) -> int:
        """How far the cycle has advanced by `d` (days since start, or matching days)."""
        if self.advance_on == "every_day":
            return (d - self.start).days
        return sum(1 for day in _days_between(self.start, d) if self._advances(day, calendar))

    def _advances(self, d: date, calendar: HolidayCalendar | None) -> bool:
        """matching_days: only days passing the day filter move the cycle on."""
        return day_matches(self.days, d, calendar)


def _holiday(d: date, calendar: HolidayCalendar | None) -> bool:
    if calendar is None:
        raise ValueError("on_holiday='off' 需要节假日日历 / on_holiday='off' needs a holiday calendar")
    return calendar.is_public_holiday(d)


def _days_between(first: date, stop: date):
    """Dates in [first, stop)."""
    for n in range((stop - first).days):
        yield date.fromordinal(first.toordinal() + n)


def _validate(p: RotationPattern) -> None:
    """Refuse malformed patterns with a message naming the pattern and the field."""
    def fail(zh: str, en: str) -> None:
        raise ValueError(f"轮值模式 {p.id}：{zh} / rotation pattern {p.id}: {en}")

    if not p.cycle:
        fail("周期不能为空", "cycle must not be empty")
    if not p.assignees:
        fail("没有轮值人员或班组", "no assignees")
    if p.days not in DAY_FILTERS:
        fail(f"未知的日期筛选 {p.days!r}", f"unknown day filter {p.days!r}")
    if p.on_holiday not in ("work", "off"):
        fail(f"未知的节假日规则 {p.on_holiday!r}", f"unknown holiday behaviour {p.on_holiday!r}")
    if p.advance_on not in ("every_day", "matching_days"):
        fail(f"未知的推进方式 {p.advance_on!r}", f"unknown advance_on {p.advance_on!r}")
    if p.end is not None and p.end < p.start:
        fail("结束日期早于开始日期", "end is before start")
    if any(not a.members for a in p.assignees):
        fail("有班组没有成员", "a team has no members")
