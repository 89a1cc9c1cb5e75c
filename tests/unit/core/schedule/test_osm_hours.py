"""OSM opening_hours: PH bound to the line's calendar, semantics, and error messages.

Semantics against opening_hours.js are checked in test_osm_reference.py; these tests run
without Node and pin the behaviours routing depends on most.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from hotline.routing.calendar.holidays import china_calendar
from hotline.routing.schedule import ScheduleError, compile_schedule

CAL = china_calendar()
SH = ZoneInfo("Asia/Shanghai")


def windows(text: str, day: date):
    return compile_schedule(text, fmt="osm", calendar=CAL).windows(day)


class TestPublicHolidays:
    def test_ph_off_uses_the_official_chinese_calendar(self):
        text = "Mo-Fr 09:00-17:00; PH off"
        assert windows(text, date(2026, 10, 1)) == ()          # National Day
        assert windows(text, date(2026, 2, 17)) == ()          # Spring Festival
        assert windows(text, date(2026, 10, 9)) == ((540, 1020),)

    def test_ph_hours_and_weekday_or_ph(self):
        assert windows("Mo-Fr 09:00-17:00; PH 10:00-16:00", date(2026, 10, 1)) == ((600, 960),)
        assert windows("Sa,Su,PH 10:00-16:00", date(2026, 10, 1)) == ((600, 960),)
        assert windows("Sa,Su,PH 10:00-16:00", date(2026, 10, 9)) == ()

    def test_make_up_saturday_is_still_a_saturday_for_weekday_selectors(self):
        assert windows("Mo-Fr 09:00-17:00", date(2026, 10, 10)) == ()


class TestSemantics:
    def test_later_rule_replaces_the_day_including_the_previous_night_spill(self):
        # As opening_hours.js: Saturday's rule overrides Friday's 00:00-02:00 spill.
        schedule = compile_schedule("Mo-Fr 22:00-02:00; Sa 10:00-12:00", calendar=CAL)
        assert schedule.is_open(datetime(2026, 10, 16, 23, 0, tzinfo=SH))
        assert not schedule.is_open(datetime(2026, 10, 17, 1, 0, tzinfo=SH))
        assert schedule.is_open(datetime(2026, 10, 15, 1, 0, tzinfo=SH))    # Thu: Wed's spill

    def test_additional_rule_keeps_the_spill(self):
        schedule = compile_schedule("Mo-Fr 22:00-02:00, Sa 10:00-12:00", calendar=CAL)
        assert schedule.is_open(datetime(2026, 10, 17, 1, 0, tzinfo=SH))

    def test_off_paints_only_its_times(self):
        assert windows("Mo-Fr 08:00-20:00; We 12:00-13:00 off", date(2026, 10, 14)) == ((480, 720), (780, 1200))
        assert windows("Mo-Fr 08:00-20:00; We off", date(2026, 10, 14)) == ()

    def test_extended_hours_and_wrap_around_weekdays(self):
        assert windows("Mo-Su 20:00-26:00", date(2026, 10, 14)) == ((1200, 1560),)
        assert windows("Sa-Mo 10:00-12:00", date(2026, 10, 12)) == ((600, 720),)
        assert windows("Sa-Mo 10:00-12:00", date(2026, 10, 13)) == ()

    def test_date_selectors(self):
        text = "Mo-Su 09:00-17:00; Dec 24-26 off; 2026 Oct 01-07 10:00-12:00; Jan-Feb Sa,Su off"
        assert windows(text, date(2026, 12, 25)) == ()
        assert windows(text, date(2026, 10, 3)) == ((600, 720),)
        assert windows(text, date(2027, 10, 3)) == ((540, 1020),)
        assert windows(text, date(2027, 1, 9)) == ()
        assert windows(text, date(2027, 3, 6)) == ((540, 1020),)

    def test_always_open_detection(self):
        assert compile_schedule("24/7", calendar=CAL).always_open
        assert compile_schedule("Mo-Su 00:00-24:00", calendar=CAL).always_open
        assert compile_schedule("Mo-Su 12:00-36:00", calendar=CAL).always_open
        assert compile_schedule("24/7; PH 24/7", calendar=CAL).always_open
        assert not compile_schedule("24/7; PH off", calendar=CAL).always_open
        assert not compile_schedule("Mo-Sa 00:00-24:00", calendar=CAL).always_open


@pytest.mark.parametrize("text,position,fragment", [
    ('Mo-Fr 08:00-18:00 "call first"', 18, "comments"),
    ("Mo-Fr 08:00+", 11, "open end"),
    ("Mo-Fr sunrise-sunset", 6, "sunrise"),
    ("SH off", 0, "school holidays"),
    ("week 01-10 Mo 10:00-12:00", 0, "week-number"),
    ("Mo-Fr 08:00", 11, "expected a time span"),
    ("Mo-Fr 08:00-18:0x", 12, "expected HH:MM"),
    ("Mo-Fr 08:00-18:000", 12, "expected HH:MM"),
    ("Mo-Fr 08:00 - 18:00 €", 20, "unexpected character"),
    ("Mo-Fr 25:00-26:00", 6, "start before 24:00"),
    ("Mo-Fr 08:00-49:00", 12, "out of range"),
    ("Feb 30 10:00-12:00", 0, "no such day"),
    ("Dec 25, Mo 10:00-12:00", 6, "additional rule"),
    ("Mo-Fr 08:00-18:00 off Sa", 22, "nothing may follow"),
    ("2026 Dec 30-Jan 02 10:00", 12, "year on both ends"),
    ("Xy 10:00-12:00", 0, "unknown word"),
    ("", 0, "empty"),
])
def test_errors(text, position, fragment):
    with pytest.raises(ScheduleError) as info:
        compile_schedule(text, fmt="osm", calendar=CAL)
    assert info.value.position == position, str(info.value)
    assert fragment in str(info.value)
