"""Overnight slots and weeks that cross a month or year end: on-call hand-over and weekly hours."""
from datetime import date

from hotline.shifts import Assignee, RotationPattern, RuleSet, ShiftSlot, check, generate, on_shift
from hotline.shifts.rules import WEEKLY_HOURS
from tests.unit.core.shifts.helpers import at, shift

NIGHT = ShiftSlot("A-night", "A", "22:00", "06:00", 1, "夜班", "night")
DAY = ShiftSlot("A-day", "A", "08:00", "18:00", 1, "白班", "day")


def test_overnight_shift_of_new_years_eve_hands_over_at_six_on_new_years_day():
    pattern = RotationPattern("p", ("A-night",), (Assignee.person("x"),), date(2026, 12, 30), end=date(2026, 12, 31))
    roster = generate([pattern], [NIGHT], date(2026, 12, 30), date(2027, 1, 1))
    assert [(s.start, s.end) for s in roster.shifts] == [(at(2026, 12, 30, 22), at(2026, 12, 31, 6)),
                                                          (at(2026, 12, 31, 22), at(2027, 1, 1, 6))]
    assert on_shift(roster, "A", at(2027, 1, 1, 0, 0)) == {"x"}
    assert on_shift(roster, "A", at(2027, 1, 1, 5, 59)) == {"x"}
    assert on_shift(roster, "A", at(2027, 1, 1, 6, 0)) == set()


def test_week_crossing_a_month_end_counts_hours_on_both_sides():
    # ISO week 2026-W49 runs Mon 11-30 to Sun 12-06: 5 × 10 h day shifts = 50 h > 40 h
    shifts = [shift("x", DAY, d) for d in (date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2),
                                           date(2026, 12, 3), date(2026, 12, 4))]
    found = [v for v in check(shifts, rules=RuleSet()) if v.rule == WEEKLY_HOURS]
    assert len(found) == 1 and found[0].value == 50.0 and "2026-W49" in found[0].message
    assert check(shifts, rules=RuleSet(max_weekly_hours=50)) == []
