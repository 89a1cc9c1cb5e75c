"""Years beyond the official tables: the statutory days of the law, provisional, nothing else.

The expected dates are the law's (《全国年节及纪念日放假办法》 as revised in 2024) applied by
hand to the almanac: 2027 Spring Festival 初一 is 6 February, 2030's is 3 February.
The calendar under test replays chinese_calendar 1.11 (which stops at 2026), so these
tests mean the same after a package release learns 2027.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from hotline.routing.calendar.holidays import build_china_calendar, china_calendar
from hotline.routing.calendar.sources import china_source
from hotline.routing.calendar.statutory import statutory_days
from hotline.routing.calendar.tables import load_table_dir
from hotline.routing.schedule import compile_schedule

SH = ZoneInfo("Asia/Shanghai")


def until_2026(tables=()):
    return build_china_calendar(tables, official=lambda y: china_source(y) if y <= 2026 else None,
                                official_years=range(2004, 2027))


def days(first: str, last: str) -> list[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [start + timedelta(n) for n in range((end - start).days + 1)]


STATUTORY_2027 = {
    "元旦": [date(2027, 1, 1)],
    "春节": days("2027-02-05", "2027-02-08"),          # 除夕 and 初一–初三
    "清明节": [date(2027, 4, 5)],
    "劳动节": days("2027-05-01", "2027-05-02"),
    "端午节": [date(2027, 6, 9)],
    "中秋节": [date(2027, 9, 15)],
    "国庆节": days("2027-10-01", "2027-10-03"),
}
STATUTORY_2030 = {
    "元旦": [date(2030, 1, 1)],
    "春节": days("2030-02-02", "2030-02-05"),
    "清明节": [date(2030, 4, 5)],
    "劳动节": days("2030-05-01", "2030-05-02"),
    "端午节": [date(2030, 6, 5)],
    "中秋节": [date(2030, 9, 12)],
    "国庆节": days("2030-10-01", "2030-10-03"),
}


@pytest.mark.parametrize("year,expected", [(2027, STATUTORY_2027), (2030, STATUTORY_2030)])
def test_statutory_days_are_provisional_holidays_and_nothing_else_is(year, expected):
    cal = until_2026()
    holidays = {d: name for name, dates in expected.items() for d in dates}
    assert len(holidays) == 13
    for d in days(f"{year}-01-01", f"{year}-12-31"):
        assert cal.is_provisional(d) and not cal.knows(d)
        assert cal.is_public_holiday(d) is (d in holidays), d
        assert cal.is_working_day(d) is (d not in holidays and d.weekday() < 5), d
        if d in holidays:
            assert cal.holiday_name(d).startswith(holidays[d]) and " / " in cal.holiday_name(d)
        else:
            assert cal.holiday_name(d) is None


def test_2027_spring_festival_and_national_day_in_detail():
    cal = until_2026()
    assert cal.holiday_name(date(2027, 2, 5)) == "春节 / Spring Festival"           # 除夕, a Friday
    assert all(cal.is_rest_day(d) for d in days("2027-02-05", "2027-02-08"))
    assert cal.is_working_day(date(2027, 2, 9))                                   # 初四: not guessed
    assert not cal.is_public_holiday(date(2027, 10, 4)) and cal.is_working_day(date(2027, 10, 4))
    assert not cal.is_public_holiday(date(2027, 2, 4))                            # the day before 除夕


def test_weekends_rest_and_no_make_up_working_days_are_invented():
    cal = until_2026()
    weekend = [d for d in days("2027-01-01", "2027-12-31") if d.weekday() >= 5]
    assert len(weekend) == 104
    assert all(cal.is_rest_day(d) and not cal.is_working_day(d) for d in weekend)


def test_weekday_schedule_is_closed_on_chu_san_and_open_the_next_day():
    schedule = compile_schedule("周一至周五（节假日除外），9:00-17:00", calendar=until_2026())
    assert not schedule.is_open(datetime(2027, 2, 8, 10, 0, tzinfo=SH))          # 初三, Monday
    assert schedule.is_open(datetime(2027, 2, 9, 10, 0, tzinfo=SH))              # Tuesday
    assert not schedule.is_open(datetime(2027, 10, 1, 10, 0, tzinfo=SH))
    assert schedule.is_open(datetime(2027, 10, 4, 10, 0, tzinfo=SH))


OFFICIAL_2027 = """\
year: 2027
holidays:
  - {date: 2027-01-01, name: 元旦}
  - {from: 2027-02-05, to: 2027-02-12, name: 春节}
  - {from: 2027-10-01, to: 2027-10-07, name: 国庆节}
workdays:
  - 2027-02-20
  - 2027-10-09
"""


def test_an_official_table_dropped_in_wins_and_is_not_provisional(tmp_path):
    (tmp_path / "cn-2027.yaml").write_text(OFFICIAL_2027, encoding="utf-8")
    for cal in (until_2026(load_table_dir(tmp_path, "cn")), china_calendar(tmp_path)):
        assert cal.has_official_table(2027) and not cal.is_provisional_year(2027)
        assert not cal.is_provisional(date(2027, 10, 4)) and cal.knows(date(2027, 10, 4))
        assert cal.is_public_holiday(date(2027, 10, 4)) and cal.is_public_holiday(date(2027, 2, 12))
        assert cal.is_working_day(date(2027, 2, 20)) and cal.is_working_day(date(2027, 10, 9))  # Saturdays
        assert not cal.is_public_holiday(date(2027, 4, 5))     # the table replaces the law for its year


def test_a_gap_year_between_tables_is_provisional(tmp_path):
    (tmp_path / "cn-2028.yaml").write_text("year: 2028\nholidays: [{from: 2027-12-31, to: 2028-01-01, name: 元旦}]\n",
                                           encoding="utf-8")
    cal = until_2026(load_table_dir(tmp_path, "cn"))
    assert cal.is_provisional_year(2027) and cal.is_public_holiday(date(2027, 2, 6))
    assert cal.has_official_table(2028) and not cal.is_provisional_year(2028)
    # the 2028 notice reaches back into 2027: that date is official, its neighbours are not
    assert cal.is_public_holiday(date(2027, 12, 31)) and not cal.is_provisional(date(2027, 12, 31))
    assert cal.holiday_name(date(2027, 12, 31)) == "元旦"
    assert cal.is_provisional(date(2027, 12, 30)) and cal.is_working_day(date(2027, 12, 30))


@pytest.mark.parametrize("year", [2025, 2026])
def test_known_years_are_unchanged_and_match_chinese_calendar(year):
    """The official years answer exactly as chinese_calendar does, make-up days included."""
    cal = china_calendar()
    for d in days(f"{year}-01-01", f"{year}-12-31"):
        assert cal.knows(d) and not cal.is_provisional(d)
        assert cal.is_public_holiday(d) is (d in chinese_calendar.constants.holidays), d
        assert cal.is_working_day(d) is chinese_calendar.is_workday(d), d


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_statutory_rule_agrees_with_the_official_tables(year):
    """Each statutory day is an official holiday of the same festival in chinese_calendar, and
    each festival has as many statutory days as the law gives it."""
    computed = statutory_days(year)
    for d, name in computed.items():
        on_leave, festival = chinese_calendar.get_holiday_detail(d)
        assert on_leave and d in chinese_calendar.constants.holidays, d
        assert name.endswith(f" / {festival}"), (d, name, festival)
    per_festival = {}
    for name in computed.values():
        per_festival[name] = per_festival.get(name, 0) + 1
    assert sorted(per_festival.values()) == [1, 1, 1, 1, 2, 3, 4]
