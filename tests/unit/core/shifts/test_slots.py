"""Slots: wall-clock bounds, midnight spanning, night detection, validation."""
from datetime import date, timedelta

import pytest

from hotline.shifts import ShiftSlot

from .helpers import at


def test_evening_slot_ends_at_next_midnight():
    slot = ShiftSlot("ev", "A", "16:00", "24:00")
    assert slot.bounds(date(2026, 12, 31)) == (at(2026, 12, 31, 16), at(2027, 1, 1, 0))
    assert slot.spans_midnight and not slot.is_night


def test_night_slot_starts_at_midnight_of_its_date():
    slot = ShiftSlot("n", "A", "00:00", "08:00")
    assert slot.bounds(date(2027, 1, 1)) == (at(2027, 1, 1, 0), at(2027, 1, 1, 8))
    assert slot.is_night and not slot.spans_midnight


def test_overnight_slot_crosses_month_and_leap_day():
    slot = ShiftSlot("o", "A", "22:00", "06:00")
    assert slot.bounds(date(2028, 2, 28)) == (at(2028, 2, 28, 22), at(2028, 2, 29, 6))
    assert slot.bounds(date(2028, 2, 29)) == (at(2028, 2, 29, 22), at(2028, 3, 1, 6))
    assert slot.is_night and slot.spans_midnight


def test_day_slot_is_not_night_and_explicit_flag_wins():
    assert ShiftSlot("d", "A", "08:00", "16:00").is_night is False
    assert ShiftSlot("e", "A", "16:00", "24:00", is_night=True).is_night is True


def test_24_hour_slot():
    start, end = ShiftSlot("x", "A", "08:00", "08:00").bounds(date(2026, 3, 1))
    assert end - start == timedelta(hours=24)


def test_slot_in_other_zone_uses_its_wall_clock():
    start, _ = ShiftSlot("ny", "US", "08:00", "16:00", tz="America/New_York").bounds(date(2026, 3, 8))
    assert (start.hour, start.utcoffset()) == (8, timedelta(hours=-4))


@pytest.mark.parametrize("start,end", [("8:00", "16:00"), ("24:00", "08:00"), ("24:30", "1:00"), ("ab", "16:00")])
def test_bad_times_are_refused_with_bilingual_message(start, end):
    with pytest.raises(ValueError, match="HH:MM|24:00"):
        ShiftSlot("bad", "A", start, end)


def test_negative_seats_and_unknown_zone_are_refused():
    with pytest.raises(ValueError, match="seats"):
        ShiftSlot("s", "A", "08:00", "16:00", seats=-1)
    with pytest.raises(Exception):
        ShiftSlot("s", "A", "08:00", "16:00", tz="Mars/Olympus")
