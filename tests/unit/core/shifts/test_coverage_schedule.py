"""Coverage against real compiled schedules and the China holiday calendar."""
from datetime import date

import pytest

from hotline.shifts import Assignee, RotationPattern, ShiftSlot, coverage, generate

from .helpers import at, shift

schedule = pytest.importorskip("hotline.routing.schedule")
holidays = pytest.importorskip("hotline.routing.calendar.holidays")

CAL = holidays.HolidayCalendar.from_dates("test", holidays=[date(2026, 10, d) for d in range(1, 8)],
                                         workdays=[date(2026, 9, 27), date(2026, 10, 10)], years=[2026])
EVENING = ShiftSlot("ev", "E", "19:00", "21:00", seats=2, label_zh="晚间", label_en="evening")


def _compile(text: str):
    return schedule.compile_schedule(text, calendar=CAL)


def test_weekday_evening_line_needs_nobody_on_national_day():
    sched = _compile("周一至周五（节假日除外），19:00-21:00")
    staff = [shift(c, EVENING, date(2026, 10, 1)) for c in ("a", "b")]
    report = coverage(staff, [EVENING], {"E": sched}, date(2026, 10, 1), date(2026, 10, 1))
    assert report.ok and report.line("E").open_hours == 0
    assert [(o.start, o.end, o.required, o.staffed, o.open) for o in report.over] == [
        (at(2026, 10, 1, 19), at(2026, 10, 1, 21), 0, 2, False)]


def test_weekday_evening_line_on_a_normal_week():
    sched = _compile("周一至周五（节假日除外），19:00-21:00")
    p = RotationPattern("ev", ("ev",), (Assignee.team("T", ("a", "b")),), date(2026, 9, 1),
                        days="working_days")
    roster = generate([p], [EVENING], date(2026, 9, 28), date(2026, 10, 11), calendar=CAL)
    report = coverage(roster, [EVENING], {"E": sched}, date(2026, 9, 28), date(2026, 10, 11))
    # Mon 9-28 .. Wed 9-30, Thu-Fri 10-8/9 open and staffed; Sat 10-10 is a make-up working day:
    # the pattern works it, but "周一至周五" does not open on a Saturday → over-staffed while closed.
    assert report.gaps == ()
    assert [(o.start.date(), o.open) for o in report.over] == [(date(2026, 10, 10), False)]
    assert report.line("E").open_hours == 2 * 5


def test_holiday_with_special_hours_counts_right():
    sched = _compile("周一至周五（节假日除外）09:00-17:00；节假日 10:00-14:00")
    day = ShiftSlot("day", "H", "09:00", "17:00", seats=1)
    staff = [shift("a", day, date(2026, 10, d)) for d in range(1, 9)]
    report = coverage(staff, [day], {"H": sched}, date(2026, 10, 1), date(2026, 10, 8))
    assert report.ok and report.line("H").open_hours == 7 * 4 + 8  # 10-01..07 holiday hours, 10-08 Thursday
    # on holidays the seat is needed 10:00-14:00 only: 09-10 and 14-17 are staffed while closed
    assert {(o.start.hour, o.end.hour, o.open) for o in report.over} == {(9, 10, False), (14, 17, False)}
    assert len(report.over) == 14
    gaps = coverage(staff[1:], [day], {"H": sched}, date(2026, 10, 1), date(2026, 10, 1)).gaps
    assert [(g.start, g.end, g.required) for g in gaps] == [(at(2026, 10, 1, 10), at(2026, 10, 1, 14), 1)]


def test_24h_line_on_holidays_needs_the_full_roster():
    sched = _compile("24小时")
    slots = [ShiftSlot("d", "X", "08:00", "20:00"), ShiftSlot("n", "X", "20:00", "08:00")]
    report = coverage([shift("a", slots[0], date(2026, 10, 1))], slots, {"X": sched},
                      date(2026, 10, 1), date(2026, 10, 1))
    assert [(g.start.hour, g.end.hour) for g in report.gaps] == [(0, 8), (20, 0)]


def test_real_china_calendar_national_day_2026():
    sched = schedule.compile_schedule("周一至周五（节假日除外），19:00-21:00")  # default calendar
    report = coverage([], [EVENING], {"E": sched}, date(2026, 9, 30), date(2026, 10, 11))
    # open 9-30 (Wed), 10-08 (Thu), 10-09 (Fri); 10-01..07 is the National Day holiday and the
    # make-up working Saturday 10-10 is not "周一至周五"
    assert [(g.start, g.end, g.required) for g in report.gaps] == [
        (at(2026, 9, 30, 19), at(2026, 9, 30, 21), 2), (at(2026, 10, 8, 19), at(2026, 10, 8, 21), 2),
        (at(2026, 10, 9, 19), at(2026, 10, 9, 21), 2)]
