"""Holiday calendars: official 2026 facts, provisional and unknown years, YAML tables, other countries.

Statutory days of provisional years in detail: test_holidays_provisional.py and
test_holidays_statutory_property.py; the November warning: test_table_warning.py.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hotline.routing.calendar.holidays import (HolidayCalendar, HolidayTableError, build_china_calendar,
                                               china_calendar, country_calendar)
from hotline.routing.calendar.sources import china_source, china_years
from hotline.routing.schedule import compile_schedule

TABLE_2027 = """\
year: 2027
holidays:
  - {date: 2027-01-01, name: 元旦}
  - {from: 2027-02-06, to: 2027-02-12, name: 春节}
  - {date: "2026-12-31", name: 元旦}
workdays:
  - 2027-02-14
  - {date: 2027-02-20, name: 春节调休}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


class TestChina2026:
    cal = china_calendar()

    @pytest.mark.parametrize("day,holiday,working", [
        (date(2026, 10, 1), True, False),     # National Day, Thu
        (date(2026, 10, 7), True, False),     # last day of the National Day break, Wed
        (date(2026, 2, 17), True, False),     # Spring Festival, Tue
        (date(2026, 10, 10), False, True),    # make-up working Saturday
        (date(2026, 9, 20), False, True),     # make-up working Sunday
        (date(2026, 2, 14), False, True),     # make-up working Saturday
        (date(2026, 2, 28), False, True),     # make-up working Saturday
        (date(2026, 10, 11), False, False),   # ordinary Sunday
        (date(2026, 10, 12), False, True),    # ordinary Monday
    ])
    def test_day_kinds(self, day, holiday, working):
        assert self.cal.is_public_holiday(day) is holiday
        assert self.cal.is_working_day(day) is working
        assert self.cal.is_rest_day(day) is (not working)
        assert self.cal.knows(day)

    def test_holiday_names_are_bilingual(self):
        assert self.cal.holiday_name(date(2026, 10, 1)) == "国庆节 / National Day"
        assert self.cal.holiday_name(date(2026, 10, 12)) is None


def as_released(last_year: int):
    """chinese_calendar as the release that stops at `last_year` (1.11: 2026), whatever is installed."""
    return lambda year: china_source(year) if year <= last_year else None


def calendar_until_2026(tables=(), tables_dir=None):
    return build_china_calendar(tables, official=as_released(2026), official_years=range(2004, 2027),
                                tables_dir=tables_dir)


class TestProvisionalYear:
    """A year without an official table: statutory days, weekends, one clear warning."""

    def test_warns_once_per_year_that_the_year_is_provisional(self, tmp_path, caplog):
        cal = calendar_until_2026(tables_dir=str(tmp_path))
        with caplog.at_level(logging.WARNING, logger="hotline.routing.calendar.holidays"):
            assert cal.is_public_holiday(date(2027, 1, 1)) and cal.is_rest_day(date(2027, 1, 1))  # 元旦, a Friday
            assert cal.is_public_holiday(date(2027, 10, 1))
            assert cal.is_rest_day(date(2027, 1, 2))
            assert cal.is_working_day(date(2027, 1, 4))
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1
        message = warnings[0].getMessage()
        assert "2027" in message and "PROVISIONAL" in message and "暂按法定节假日" in message
        assert "cn-<year>.yaml" in message and str(tmp_path) in message
        assert not cal.knows(date(2027, 1, 1)) and cal.is_provisional(date(2027, 1, 1))

    def test_each_year_warns_separately(self, caplog):
        cal = calendar_until_2026()
        with caplog.at_level(logging.WARNING, logger="hotline.routing.calendar.holidays"):
            cal.is_working_day(date(2027, 3, 1))
            cal.is_working_day(date(2028, 3, 1))
            cal.is_working_day(date(2027, 3, 2))
        assert sum("2027" in r.getMessage() for r in caplog.records) == 1
        assert sum("2028" in r.getMessage() for r in caplog.records) == 1

    def test_the_installed_package_is_followed_by_provisional_years(self):
        cal = china_calendar()
        first = china_years().stop                 # the first year chinese_calendar does not know
        assert cal.has_official_table(first - 1) and not cal.is_provisional_year(first - 1)
        assert cal.is_provisional_year(first) and cal.is_provisional_year(first + 3)
        assert cal.is_public_holiday(date(first, 1, 1)) and cal.is_public_holiday(date(first, 10, 3))

    def test_schedule_on_a_provisional_year_closes_on_the_statutory_day(self, caplog):
        schedule = compile_schedule("周一至周五（节假日除外），19:00-21:00", calendar=calendar_until_2026())
        sh = ZoneInfo("Asia/Shanghai")
        with caplog.at_level(logging.WARNING, logger="hotline.routing.calendar.holidays"):
            assert not schedule.is_open(datetime(2027, 1, 1, 20, 0, tzinfo=sh))     # 元旦
            assert schedule.is_open(datetime(2027, 1, 4, 20, 0, tzinfo=sh))
        assert any("2027" in r.getMessage() for r in caplog.records)

    def test_schedule_not_reading_the_calendar_does_not_warn(self, caplog):
        schedule = compile_schedule("周一至周日，9:00-21:00", calendar=calendar_until_2026())
        with caplog.at_level(logging.WARNING, logger="hotline.routing.calendar.holidays"):
            schedule.intervals(datetime(2027, 1, 1, tzinfo=ZoneInfo("UTC")), datetime(2027, 2, 1, tzinfo=ZoneInfo("UTC")))
        assert not caplog.records


class TestUnknownYear:
    """Outside the law now in force (before 2025) or the lunar tables (after 2099) nothing is
    computed: plain weekends and a warning that the year is unknown, as before."""

    @pytest.mark.parametrize("year", [2003, 2100])
    def test_falls_back_to_plain_weekends_and_warns_once(self, year, caplog):
        cal = calendar_until_2026()
        new_years_day = date(year, 1, 1)
        with caplog.at_level(logging.WARNING, logger="hotline.routing.calendar.holidays"):
            assert not cal.is_public_holiday(new_years_day)
            assert cal.is_working_day(new_years_day) is (new_years_day.weekday() < 5)
            cal.is_working_day(date(year, 10, 1))
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1 and "has no table" in warnings[0] and str(year) in warnings[0]
        assert not cal.knows(new_years_day) and not cal.is_provisional(new_years_day)


class TestExtraTables:
    def test_table_makes_2027_dates_holidays_and_make_up_days(self, tmp_path, caplog):
        write(tmp_path, "cn-2027.yaml", TABLE_2027)
        cal = china_calendar(tmp_path)
        with caplog.at_level(logging.WARNING, logger="hotline.routing.calendar.holidays"):
            assert cal.is_public_holiday(date(2027, 2, 8)) and cal.is_rest_day(date(2027, 2, 8))
            assert cal.is_working_day(date(2027, 2, 14))          # a Sunday, make-up day
            assert cal.is_working_day(date(2027, 2, 20))          # a Saturday, make-up day
            assert cal.is_rest_day(date(2027, 3, 6))              # ordinary Saturday
            assert cal.is_public_holiday(date(2026, 12, 31))      # notice reaches into the previous year
            assert cal.knows(date(2027, 6, 1))
        assert not caplog.records
        assert cal.holiday_name(date(2027, 2, 6)) == "春节"

    def test_table_overrides_the_package_for_its_year(self, tmp_path):
        write(tmp_path, "cn-2026.yaml", "year: 2026\nholidays:\n  - {date: 2026-10-01, name: 国庆节}\n")
        cal = china_calendar(tmp_path)
        assert cal.is_public_holiday(date(2026, 10, 1))
        assert not cal.is_public_holiday(date(2026, 10, 2))
        assert not cal.is_working_day(date(2026, 10, 10))        # no make-up day in this table

    def test_schedule_follows_the_table(self, tmp_path):
        write(tmp_path, "cn-2027.yaml", TABLE_2027)
        schedule = compile_schedule("Mo-Fr 09:00-17:00; PH off", calendar=china_calendar(tmp_path))
        sh = ZoneInfo("Asia/Shanghai")
        assert not schedule.is_open(datetime(2027, 2, 8, 10, tzinfo=sh))
        assert schedule.is_open(datetime(2027, 2, 15, 10, tzinfo=sh))

    def test_calendar_is_cached_per_directory(self, tmp_path):
        write(tmp_path, "cn-2027.yaml", TABLE_2027)
        assert china_calendar(tmp_path) is china_calendar(str(tmp_path))
        assert china_calendar(tmp_path) is not china_calendar()
        assert china_calendar(tmp_path).holiday_name(date(2027, 2, 6)) == "春节"          # the table's name
        assert china_calendar().holiday_name(date(2027, 2, 6)) != "春节"                  # built-in: no table

    def test_example_file_is_not_loaded(self, tmp_path):
        write(tmp_path, "cn-example.yaml.example", "year: 2099\nholidays: [{date: 2099-05-03, name: x}]\n")
        cal = china_calendar(tmp_path)
        assert not cal.knows(date(2099, 5, 3)) and not cal.is_public_holiday(date(2099, 5, 3))

    def test_repo_example_file_is_a_valid_table(self):
        from hotline.routing.calendar.tables import load_table_file

        example = Path(__file__).resolve().parents[4] / "config" / "holidays" / "cn-example.yaml.example"
        table = load_table_file(example)
        assert table.holidays and table.workdays


@pytest.mark.parametrize("text,key,fragment", [
    ("year: 2027\nholidays:\n  - {date: 2027-02-30, name: x}\n", "holidays[0].date", "2027-02-30"),
    ("year: 2027\nholidays:\n  - {date: 2027-01-01}\n", "holidays[0].name", "missing name"),
    ("year: 2027\nholidays:\n  - {from: 2027-02-12, to: 2027-02-06, name: 春节}\n", "holidays[0].to", "before"),
    ("year: 2027\nholidays:\n  - {from: 2027-02-12, name: 春节}\n", "holidays[0]", "from and to"),
    ("year: 2027\nholiday: []\n", "holiday", "unknown key"),
    ("year: '2027'\n", "year", "expected a year"),
    ("year: 2027\nworkdays: [2025-01-01]\n", "workdays[0]", "outside year 2027"),
    ("year: 2027\nholidays: [{date: 2027-02-14, name: x}]\nworkdays: [2027-02-14]\n", "workdays", "both"),
    ("year: 2027\nholidays: {date: 2027-01-01}\n", "holidays", "expected a list"),
    ("year: 2027\nholidays: [\n", "(file)", "YAML"),
    ("- 2027\n", "(top)", "mapping"),
])
def test_bad_table_names_file_key_and_entry(tmp_path, text, key, fragment):
    path = write(tmp_path, "cn-2027.yaml", text)
    with pytest.raises(HolidayTableError) as info:
        china_calendar(tmp_path)
    message = str(info.value)
    assert str(path) in message and f": {key}:" in message and fragment in message
    assert message.startswith("节假日表格式错误 / invalid holiday table")


def test_two_files_for_one_year_are_an_error(tmp_path):
    write(tmp_path, "cn-2027.yaml", "year: 2027\n")
    write(tmp_path, "cn-2027-fix.yml", "year: 2027\n")
    with pytest.raises(HolidayTableError, match="already defined"):
        china_calendar(tmp_path)


class TestOtherCalendars:
    def test_country_calendar_uses_the_holidays_package(self):
        ny = country_calendar("US", "NY")
        assert ny.is_public_holiday(date(2026, 7, 4)) and ny.is_public_holiday(date(2026, 7, 3))  # observed
        assert ny.is_working_day(date(2026, 7, 6)) and ny.knows(date(2026, 7, 4))

    def test_cn_means_the_china_calendar(self):
        assert country_calendar("cn") is china_calendar()

    def test_unknown_country_is_a_clear_error(self):
        with pytest.raises(ValueError, match="unsupported country"):
            country_calendar("XX")

    def test_from_dates(self):
        cal = HolidayCalendar.from_dates("t", [date(2026, 3, 9)], [date(2026, 3, 14)])
        assert cal.is_public_holiday(date(2026, 3, 9)) and cal.is_rest_day(date(2026, 3, 9))
        assert cal.is_working_day(date(2026, 3, 14)) and cal.is_rest_day(date(2026, 3, 15))
        assert cal.knows(date(2026, 12, 1)) and not cal.knows(date(2027, 1, 1))
