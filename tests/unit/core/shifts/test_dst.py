"""Lines in zones with daylight saving: hours are real hours, quarters stay aligned."""
from datetime import date, timedelta

import pytest

from hotline.shifts import RuleSet, ShiftSlot, check, coverage, on_shift

from .helpers import AlwaysOpen, shift

NY = "America/New_York"
SLOTS = [ShiftSlot("d", "US", "08:00", "16:00", tz=NY), ShiftSlot("e", "US", "16:00", "24:00", tz=NY),
         ShiftSlot("n", "US", "00:00", "08:00", tz=NY)]


@pytest.mark.parametrize("day,night_hours,open_hours", [(date(2026, 3, 8), 7, 23), (date(2026, 11, 1), 9, 25)])
def test_dst_days(day, night_hours, open_hours):
    shifts = [shift(f"c{i}", slot, day) for i, slot in enumerate(SLOTS)]
    assert shifts[2].hours == night_hours
    report = coverage(shifts, SLOTS, {"US": AlwaysOpen()}, day, day)
    assert report.ok and report.line("US").open_hours == open_hours
    assert on_shift(shifts, "US", shifts[1].start) == {"c1"}


def test_rest_across_spring_forward_is_real_time():
    # evening 03-07 ends 03-08 00:00; a 10:00 shift on 03-08 starts 9 real hours later (02:00 skipped)
    late = ShiftSlot("late", "US", "10:00", "18:00", tz=NY)
    [v] = check([shift("x", SLOTS[1], date(2026, 3, 7)), shift("x", late, date(2026, 3, 8))],
                rules=RuleSet(min_rest=timedelta(hours=10)))
    assert v.value == 9
