"""Rotation patterns: cycles and offsets across month and year ends, day filters, holidays."""
from datetime import date

import pytest

from hotline.shifts import Assignee, RotationPattern

from .helpers import FakeCalendar, days

FOUR = ("night", "day", "evening", None)
TEAMS = tuple(Assignee.team(f"T{i}", (f"t{i}a", f"t{i}b"), offset=i) for i in range(4))


def test_four_teams_cover_every_slot_each_day_across_year_end():
    p = RotationPattern("4x", FOUR, TEAMS, date(2026, 12, 1))
    for d in days(date(2026, 12, 30), 4):  # 2026-12-30 → 2027-01-02
        assert sorted(map(str, (p.slot_for(t, d) for t in TEAMS))) == ["None", "day", "evening", "night"]


def test_cycle_continues_across_year_end():
    p = RotationPattern("4x", FOUR, TEAMS, date(2026, 12, 1))
    got = [p.slot_for(TEAMS[0], d) for d in days(date(2026, 12, 30), 4)]
    # 2026-12-30 is day 29 of the pattern: 29 % 4 == 1
    assert got == ["day", "evening", None, "night"]


def test_leap_february_2028_counts_the_29th():
    p = RotationPattern("3", ("a", "b", "c"), (Assignee.person("x"),), date(2028, 2, 1))
    assert [p.slot_for(p.assignees[0], d) for d in days(date(2028, 2, 28), 3)] == ["a", "b", "c"]
    assert p.slot_for(p.assignees[0], date(2028, 3, 1)) == "c"  # 29 days after 02-01


def test_nothing_before_start_or_after_end():
    p = RotationPattern("p", ("a",), (Assignee.person("x"),), date(2026, 5, 10), end=date(2026, 5, 12))
    x = p.assignees[0]
    assert [p.slot_for(x, d) for d in days(date(2026, 5, 9), 5)] == [None, "a", "a", "a", None]


def test_weekday_and_weekend_split():
    week = Assignee.person("w")
    weekend = Assignee.person("e")
    wd = RotationPattern("wd", ("day",), (week,), date(2026, 1, 1), days="weekdays")
    we = RotationPattern("we", ("day",), (weekend,), date(2026, 1, 1), days="weekends")
    span = days(date(2026, 1, 30), 4)  # Fri, Sat, Sun, Mon (crosses month end)
    assert [wd.slot_for(week, d) for d in span] == ["day", None, None, "day"]
    assert [we.slot_for(weekend, d) for d in span] == [None, "day", "day", None]


def test_weekend_pattern_advancing_on_matching_days_alternates_weekends():
    a, b = Assignee.person("a", 0), Assignee.person("b", 2)
    p = RotationPattern("alt", ("day", "day", None, None), (a, b), date(2026, 12, 26),
                        days="weekends", advance_on="matching_days")
    weekends = [date(2026, 12, 26), date(2026, 12, 27), date(2027, 1, 2), date(2027, 1, 3), date(2027, 1, 9)]
    assert [p.slot_for(a, d) for d in weekends] == ["day", "day", None, None, "day"]
    assert [p.slot_for(b, d) for d in weekends] == [None, None, "day", "day", None]


def test_holidays_off_and_working_days_use_the_calendar():
    cal = FakeCalendar(holidays={date(2026, 10, 1)}, workdays={date(2026, 10, 10)})
    x = Assignee.person("x")
    off = RotationPattern("off", ("day",), (x,), date(2026, 9, 28), on_holiday="off")
    working = RotationPattern("wk", ("day",), (x,), date(2026, 9, 28), days="working_days")
    only = RotationPattern("hol", ("day",), (x,), date(2026, 9, 28), days="holidays")
    assert off.slot_for(x, date(2026, 10, 1), cal) is None and off.slot_for(x, date(2026, 10, 3), cal) == "day"
    assert working.slot_for(x, date(2026, 10, 10), cal) == "day"  # Saturday make-up working day
    assert working.slot_for(x, date(2026, 10, 11), cal) is None
    assert only.slot_for(x, date(2026, 10, 1), cal) == "day" and only.slot_for(x, date(2026, 10, 2), cal) is None


def test_calendar_filters_without_calendar_are_refused():
    p = RotationPattern("wk", ("day",), (Assignee.person("x"),), date(2026, 1, 1), days="working_days")
    assert p.needs_calendar
    with pytest.raises(ValueError, match="calendar"):
        p.slot_for(p.assignees[0], date(2026, 1, 2))


@pytest.mark.parametrize("kwargs,needle", [
    ({"cycle": ()}, "cycle"), ({"assignees": ()}, "assignees"), ({"days": "mondays"}, "day filter"),
    ({"on_holiday": "maybe"}, "holiday"), ({"end": date(2025, 1, 1)}, "end is before start"),
    ({"assignees": (Assignee.team("T", ()),)}, "no members"),
])
def test_malformed_patterns_name_pattern_and_field(kwargs, needle):
    base = dict(id="P1", cycle=("a",), assignees=(Assignee.person("x"),), start=date(2026, 1, 1))
    with pytest.raises(ValueError, match=f"P1.*{needle}"):
        RotationPattern(**(base | kwargs))
