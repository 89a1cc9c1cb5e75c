"""OSM constructs added for issue 14, pinned without Node: fallback rules, comments, nth weekdays,
holiday offsets, mixed date lists, lenient spellings — and what is refused, where, and why.

Semantics against opening_hours.js are checked in test_osm_reference_more.py and
test_osm_nth_weekdays.py; these pin the exact windows routing sees, with the real Chinese
calendar (2026: Labour Day holiday May 1–5, National Day Oct 1–7).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from hotline.routing.calendar.holidays import china_calendar
from hotline.routing.schedule import ScheduleError, compile_schedule
from hotline.routing.schedule.osm.hours import parse_osm

CAL = china_calendar()
SH = ZoneInfo("Asia/Shanghai")
MON, TUE, SAT = date(2026, 10, 12), date(2026, 10, 13), date(2026, 10, 17)


def osm(text: str, **kw):
    return compile_schedule(text, fmt="osm", calendar=CAL, **kw)


class TestFallbackRules:
    def test_fallback_opens_what_the_rules_before_leave_closed(self):
        schedule = osm("Mo-Fr 09:00-17:00; PH off || PH 10:00-12:00")
        assert schedule.windows(MON) == ((540, 1020),)
        assert schedule.windows(date(2026, 10, 1)) == ((600, 720),)      # National Day: PH off, then the fallback
        assert schedule.windows(SAT) == ()

    def test_fallback_paints_only_where_not_open(self):
        schedule = osm("Mo 22:00-02:00 || Tu 01:00-05:00")
        assert schedule.windows(MON) == ((1320, 1560),)
        assert schedule.windows(TUE) == ((120, 300),)                    # 01:00-02:00 was Monday's already
        assert schedule.intervals(datetime(2026, 10, 12, tzinfo=SH), datetime(2026, 10, 14, tzinfo=SH)) == [
            (datetime(2026, 10, 12, 22, tzinfo=SH), datetime(2026, 10, 13, 5, tzinfo=SH))]

    def test_a_closed_fallback_changes_nothing(self):
        assert osm("Mo-Fr 09:00-17:00 || Mo-Fr 12:00-13:00 off").windows(MON) == ((540, 1020),)
        assert osm("Mo-Fr 08:00-12:00 || Sa 10:00-12:00").windows(SAT) == ((600, 720),)

    def test_a_fallbacks_part_past_midnight_paints_like_a_normal_rule(self):
        # opening_hours.js's wrapped rule is not a fallback: its 'off' closes Tuesday 00:00-02:00
        assert osm("Tu 00:00-03:00 || Mo 22:00-02:00 off").windows(TUE) == ((120, 180),)

    def test_additional_rule_after_a_fallback_is_a_fallback_too(self):
        schedule = osm("Mo-Fr 10:00-12:00 || Sa 10:00-12:00, Su 10:00-12:00")
        assert schedule.windows(date(2026, 10, 18)) == ((600, 720),)


class TestComments:
    text = 'Mo-Fr 09:00-17:00 open "weekdays"; PH off "closed on public holidays"'

    def test_comments_are_kept_in_order(self):
        assert osm(self.text).comments == ("weekdays", "closed on public holidays")

    def test_notes_show_each_comment_where_it_applies_open_or_closed(self):
        schedule = osm(self.text)
        assert schedule.notes(datetime(2026, 10, 1, tzinfo=SH), datetime(2026, 10, 2, tzinfo=SH)) == [
            (datetime(2026, 10, 1, tzinfo=SH), datetime(2026, 10, 2, tzinfo=SH), False, "closed on public holidays")]
        assert schedule.notes(datetime(2026, 10, 9, 12, tzinfo=SH), datetime(2026, 10, 9, 20, tzinfo=SH)) == [
            (datetime(2026, 10, 9, 12, tzinfo=SH), datetime(2026, 10, 9, 17, tzinfo=SH), True, "weekdays")]

    def test_a_commented_night_is_one_note_across_midnight(self):
        schedule = osm('Mo-Su 22:00-02:00 open "night line"')
        notes = schedule.notes(datetime(2026, 10, 12, 12, tzinfo=SH), datetime(2026, 10, 13, 12, tzinfo=SH))
        assert notes == [(datetime(2026, 10, 12, 22, tzinfo=SH), datetime(2026, 10, 13, 2, tzinfo=SH), True,
                          "night line")]

    def test_overridden_dates_carry_no_comment(self):
        schedule = osm('Mo-Fr 09:00-17:00 open "weekdays"', overrides={MON: "closed"})
        assert schedule.notes(datetime(2026, 10, 12, tzinfo=SH), datetime(2026, 10, 13, tzinfo=SH)) == []
        assert schedule.notes(datetime(2026, 10, 13, tzinfo=SH), datetime(2026, 10, 14, tzinfo=SH))[0][3] == "weekdays"

    def test_typographic_quotes_are_read_with_the_references_warning(self):
        schedule = compile_schedule("Mo-Fr 09:00-12:00 open “电话预约”", calendar=CAL)
        assert schedule.fmt == "osm" and schedule.comments == ("电话预约",)
        assert len(schedule.warnings) == 2 and "typographical correct" in schedule.warnings[0]


@pytest.mark.parametrize("text,open_days,closed_days", [
    ("Sa[1] 10:00-12:00", [date(2026, 10, 3), date(2026, 11, 7)], [SAT, date(2026, 10, 10)]),
    ("Su[-1] 10:00-12:00", [date(2026, 10, 25), date(2026, 5, 31)], [date(2026, 10, 18)]),
    ("Mo[2] +1 day 10:00-12:00", [TUE, date(2026, 11, 10)], [MON, date(2026, 10, 6)]),
    ("Mo[1,3] 10:00-12:00", [date(2026, 10, 5), date(2026, 10, 19)], [MON, date(2026, 10, 26)]),
    ("Th[1-2] 10:00-12:00", [date(2026, 10, 1), date(2026, 10, 8)], [date(2026, 10, 15)]),
    ("Su[-1] +1 day 10:00-12:00", [date(2026, 6, 1), date(2026, 10, 26)], [date(2026, 5, 25)]),  # across a month
    ("Mo[1] -1 day 10:00-12:00", [date(2026, 5, 3), date(2026, 5, 31)], [date(2026, 5, 10)]),
    ("Jan 31-Feb 01,Aug 10:00-12:00", [date(2027, 1, 31), date(2027, 2, 1), date(2026, 8, 15)],
     [date(2027, 2, 2), date(2026, 7, 31), date(2026, 9, 1)]),
    ("Jan,Mar 05 10:00-12:00", [date(2027, 1, 20), date(2027, 3, 5)], [date(2027, 3, 6), date(2027, 2, 5)]),
    ("PH -1 day 10:00-12:00", [date(2026, 4, 30), date(2026, 9, 30)], [date(2026, 4, 29), date(2026, 10, 7)]),
    ("PH +1 day 10:00-12:00", [date(2026, 5, 6), date(2026, 10, 8)], [date(2026, 4, 30), date(2026, 5, 7)]),
])
def test_date_selectors(text, open_days, closed_days):
    schedule = osm(text)
    for day in open_days:
        assert schedule.windows(day) == ((600, 720),), (text, day)
    for day in closed_days:
        assert schedule.windows(day) == (), (text, day)


def test_always_open_proof_looks_a_day_further_for_holiday_offsets():
    assert osm("24/7; PH -1 day 00:00-24:00").always_open
    assert not osm("24/7; PH -1 day off").always_open
    assert not osm("24/7; PH +1 day 12:00-13:00 off").always_open


@pytest.mark.parametrize("text,windows,normalized,fragment", [
    ("Mo-Fr 10.00-12.00", ((600, 720),), "Mo-Fr 10:00-12:00", 'Please use ":" as hour/minute-separator'),
    ("Mo–Fr 10:00–12:00", ((600, 720),), "Mo-Fr 10:00-12:00", "typographical correct"),
    ("Mo-Fr 10-12,14-18", ((600, 720), (840, 1080)), "Mo-Fr 10:00-12:00,14:00-18:00", "without minutes"),
    ("Mo-Fr 10am-12pm", ((600, 720),), "Mo-Fr 10:00-12:00", "24 hours notation"),
    ("Mo-Fr 10:30pm-1:15am", ((1350, 1515),), "Mo-Fr 22:30-01:15", "24 hours notation"),
    ("Mo-Fr 12am-12pm", ((0, 720),), "Mo-Fr 00:00-12:00", "24 hours notation"),
    ("Mo-Fr 10：00-12：00", ((600, 720),), "Mo-Fr 10:00-12:00", 'Please use notation ":" for "："'),
    ("Mo-Fr 10:00~12:00", ((600, 720),), "Mo-Fr 10:00-12:00", "uncertainty"),
    ("Monday-Friday 10:00-12:00", ((600, 720),), "Mo-Fr 10:00-12:00", 'English abbreviation "Mo" for "monday"'),
    ("Mo-Fr 8:00-9:00", ((480, 540),), "Mo-Fr 08:00-09:00", 'Single-digit hour "8"'),
    ("Mo-Fr 22-02", ((1320, 1560),), "Mo-Fr 22:00-02:00", 'instead "22:00-02:00"'),
])
def test_lenient_spellings_are_read_warned_and_normalised(text, windows, normalized, fragment):
    schedule = osm(text)
    assert schedule.windows(MON) == windows
    assert schedule.warnings and any(fragment in w for w in schedule.warnings), schedule.warnings
    assert all(w.startswith("位置 ") for w in schedule.warnings)
    plan = parse_osm(text)
    assert plan.normalized == normalized
    assert parse_osm(normalized).lenient == () and osm(normalized).windows(MON) == windows


def test_canonical_values_carry_no_warning():
    assert osm("Mo-Fr 08:00-18:00; PH off || Sa 10:00-12:00 open \"weekend\"").warnings == ()


@pytest.mark.parametrize("text,position,fragment", [
    ('Mo-Fr 09:00-17:00 "call first"', 18, "comments need an explicit open or off"),
    ('"by appointment"', 0, "makes the state unknown"),
    ('Mo-Fr 09:00-17:00 || "by appointment"', 21, "comments need an explicit open or off"),
    ('Mo "closed Mondays" off', 3, "comments need an explicit open or off"),
    ('Mo open "a" "b"', 12, "nothing may follow the comment"),
    ('Mo open ""', 8, "empty comment"),
    ('Mo 10:00-12:00 open "unterminated', 20, "no closing"),
    ("Mo-Fr 10:00-12:00 unknown", 18, "'unknown' state is not supported"),
    ("|| Mo 10:00-12:00", 0, "nothing before the fallback"),
    ("Mo 10:00-12:00; || Tu 10:00-12:00", 16, "nothing before the fallback"),
    ("Mo 10:00-12:00 ||", 17, "nothing after the fallback"),
    ("Su[0] 10:00-12:00", 3, "between -5 and 5"),
    ("Su[6] 10:00-12:00", 3, "between -5 and 5"),
    ("Su[3-1] 10:00-12:00", 5, "bad range: 3-1"),
    ("Su[1 10:00-12:00", 5, "expected ']'"),
    ("Mo[2] +7 days 10:00-12:00", 7, "at most 6 days"),
    ("PH +2 days 10:00-12:00", 4, "at most 1 days"),
    ("Sa[5] +1 day 10:00-12:00", 6, "5th weekday with a day offset"),
    ("Mo-Fr 4-10pm", 6, "give am/pm on both ends"),
    ("Mo-Fr 10-12:30", 6, "minutes on both ends"),
    ("Mo-Fr 13pm-14pm", 6, "the hour must be 1–12"),
    ("Mo-Fr 0am-1am", 6, "the hour must be 1–12"),
    ("Thu 10:00-12:00", 0, "does not read 'Thu'"),
    ("Dec 21-20 10:00-12:00", 7, "date range ends before it starts"),
    ("Mo-Fr 08:00+", 11, "open end"),
])
def test_refused_with_position_and_reason(text, position, fragment):
    with pytest.raises(ScheduleError) as info:
        osm(text)
    assert info.value.position == position, str(info.value)
    assert fragment in info.value.reason, info.value.reason
