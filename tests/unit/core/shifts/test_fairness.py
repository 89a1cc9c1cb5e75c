"""Fairness: spread of night and holiday shifts per counselor."""
from datetime import date

import pytest

from hotline.shifts import Labels, ShiftSlot, fairness, is_holiday_shift, is_night_shift

from .helpers import FakeCalendar, shift, three_slots

DAY, EVENING, NIGHT = three_slots()
SLOTS = {s.id: s for s in (DAY, EVENING, NIGHT)}
CAL = FakeCalendar(holidays={date(2026, 10, 1), date(2026, 10, 2)})


def test_counts_min_max_stdev_including_people_without_any():
    shifts = [shift("a", NIGHT, date(2026, 9, 1)), shift("a", NIGHT, date(2026, 9, 5)),
              shift("b", NIGHT, date(2026, 9, 3)), shift("c", DAY, date(2026, 10, 1))]
    f = fairness(shifts, counselors=["a", "b", "c", "d"], slots=SLOTS, calendar=CAL)
    assert dict(f.night.counts) == {"a": 2, "b": 1, "c": 0, "d": 0}
    assert (f.night.min, f.night.max, f.night.range, f.night.mean) == (0, 2, 2, 0.75)
    assert f.night.stdev == pytest.approx(0.829, abs=1e-3)
    assert dict(f.holiday.counts) == {"a": 0, "b": 0, "c": 1, "d": 0}


def test_evening_ending_at_holiday_midnight_is_not_a_holiday_shift_but_overnight_is():
    assert not is_holiday_shift(shift("a", EVENING, date(2026, 9, 30)), CAL)
    overnight = ShiftSlot("o", "A", "22:00", "06:00")
    assert is_holiday_shift(shift("a", overnight, date(2026, 9, 30)), CAL)
    assert is_holiday_shift(shift("a", EVENING, date(2026, 10, 2)), CAL)


def test_night_detection_without_the_slot_uses_the_small_hours():
    overnight = ShiftSlot("o", "A", "22:00", "06:00")
    assert is_night_shift(shift("a", overnight, date(2026, 9, 30)), {})
    assert is_night_shift(shift("a", NIGHT, date(2026, 9, 30)), {})
    assert not is_night_shift(shift("a", EVENING, date(2026, 9, 30)), {})
    flagged = ShiftSlot("A-evening", "A", "16:00", "24:00", is_night=True)
    assert is_night_shift(shift("a", EVENING, date(2026, 9, 30)), {"A-evening": flagged})


def test_summary_is_bilingual_and_names_who_has_most():
    f = fairness([shift("a", NIGHT, date(2026, 10, 1))], slots=SLOTS, calendar=CAL)
    text = f.summary(Labels(names={"a": "张三"}))
    assert "夜班：最少 1，最多 1（张三）" in text and "night shifts: min 1, max 1 (张三)" in text
    assert "节假日班" in text


def test_default_calendar_knows_national_day_2026():
    f = fairness([shift("a", DAY, date(2026, 10, 1)), shift("a", DAY, date(2026, 10, 10))])
    assert f.holiday.counts["a"] == 1  # 10-10 is a make-up working day
