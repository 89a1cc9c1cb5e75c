"""Roster generation: expand rotation patterns over a date range, skipping leave.

Fast by construction: one pass over the dates, slot bounds computed once per
slot and date, leave looked up per counselor; a year for 4 lines and 60
counselors is a few tens of thousands of cheap steps.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date

from hotline.shifts._time import dates
from hotline.shifts.days import HolidayCalendar, day_matches, default_calendar
from hotline.shifts.labels import Labels
from hotline.shifts.patterns import RotationPattern
from hotline.shifts.roster import Roster
from hotline.shifts.rules import RuleSet
from hotline.shifts.shift import Shift, Unavailability, UnfilledSeat
from hotline.shifts.slots import ShiftSlot, slots_by_id

Progress = Callable[[int, int], None]


def generate(patterns: Iterable[RotationPattern], slots: Iterable[ShiftSlot], start_date: date, end_date: date,
             leave: Iterable[Unavailability] = (), progress: Progress | None = None, *,
             calendar: HolidayCalendar | None = None, rules: RuleSet | None = None) -> Roster:
    """Shifts for every date from start_date to end_date (both included).

    A member on leave at any time of a slot is not rostered; the seat is recorded
    in Roster.unfilled with the leave's reason. progress(done_days, total_days)
    is called after each date. The calendar is only needed (and defaulted) when a
    pattern filters by working days or holidays. Without `rules`, the defaults
    apply with the slots' labels, so messages say "夜班" rather than times.
    """
    if end_date < start_date:
        raise ValueError(f"结束日期 {end_date} 早于开始日期 {start_date} / end date {end_date} is before start date {start_date}")
    patterns, index, leave = tuple(patterns), slots_by_id(slots), tuple(leave)
    _check_slots(patterns, index)
    if calendar is None and any(p.needs_calendar for p in patterns):
        calendar = default_calendar()
    steps = [_steps(p, start_date, end_date, calendar) for p in patterns]
    away = _leave_by_counselor(leave)
    shifts: dict[Shift, None] = {}
    unfilled: list[UnfilledSeat] = []
    total = (end_date - start_date).days + 1
    for done, day in enumerate(dates(start_date, end_date), 1):
        for pattern, step_of in zip(patterns, steps):
            if day in step_of:
                _expand(pattern, step_of[day], day, index, away, shifts, unfilled)
        if progress is not None:
            progress(done, total)
    return Roster.of(shifts, unfilled=unfilled, leave=leave, rules=rules or RuleSet(labels=Labels(slots=index)))


def _expand(pattern, step, day, index, away, shifts, unfilled) -> None:
    """Roster every member of every assignee of one pattern on one day."""
    for assignee in pattern.assignees:
        slot_id = pattern.slot_at(assignee, step)
        if slot_id is None:
            continue
        slot = index[slot_id]
        start, end = slot.bounds(day)
        for cid in assignee.members:
            clash = next((u for u in away.get(cid, ()) if u.overlaps(start, end)), None)
            if clash is None:
                shifts.setdefault(Shift(cid, slot.line_id, slot.id, start, end))
            else:
                unfilled.append(UnfilledSeat(slot.line_id, slot.id, start, end, cid, clash.reason or "leave"))


def _steps(p: RotationPattern, first: date, last: date, calendar) -> dict[date, int]:
    """Cycle step for each date in [first, last] the pattern runs on."""
    out: dict[date, int] = {}
    begin = max(first, p.start)
    if begin > last:
        return out
    step = p.step_index(begin, calendar)
    for day in dates(begin, last):
        if p.runs_on(day, calendar):
            out[day] = step
        if p.advance_on == "every_day" or day_matches(p.days, day, calendar):
            step += 1
    return out


def _check_slots(patterns: tuple[RotationPattern, ...], index: dict[str, ShiftSlot]) -> None:
    """Name the pattern and slot id when a cycle refers to an unknown slot."""
    for p in patterns:
        for slot_id in p.cycle:
            if slot_id is not None and slot_id not in index:
                raise ValueError(f"轮值模式 {p.id} 引用了不存在的班次 {slot_id} / "
                                 f"rotation pattern {p.id} refers to unknown slot {slot_id}")


def _leave_by_counselor(leave: tuple[Unavailability, ...]) -> dict[str, list[Unavailability]]:
    grouped: dict[str, list[Unavailability]] = defaultdict(list)
    for u in leave:
        grouped[u.counselor_id].append(u)
    return grouped
