"""The November warning: next year's official table is missing (doctor, dashboard)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hotline.routing.calendar.holidays import HolidayCalendar, build_china_calendar
from hotline.routing.calendar.sources import china_source
from hotline.routing.calendar.tables import HolidayTable, load_table_dir
from hotline.routing.calendar.table_warning import missing_table_warning


def calendar(folder):
    """chinese_calendar as released up to 2026 (1.11), plus the cn-*.yaml of `folder`."""
    return build_china_calendar(load_table_dir(folder, "cn"),
                                official=lambda y: china_source(y) if y <= 2026 else None,
                                official_years=range(2004, 2027), tables_dir=str(folder))


def drop_table(folder, year):
    (folder / f"cn-{year}.yaml").write_text(f"year: {year}\nholidays: [{{date: {year}-01-01, name: 元旦}}]\n",
                                            encoding="utf-8")


def test_no_warning_before_the_first_of_november(tmp_path):
    cal = calendar(tmp_path)
    assert missing_table_warning(date(2026, 10, 31), cal) is None
    assert missing_table_warning(date(2026, 1, 1), cal) is None


@pytest.mark.parametrize("today", [date(2026, 11, 1), date(2026, 12, 1), date(2026, 12, 31)])
def test_from_the_first_of_november_next_year_is_due(tmp_path, today):
    found = missing_table_warning(today, calendar(tmp_path))
    assert found is not None and found.year == 2027 and not found.current
    assert found.path == f"{tmp_path}/cn-2027.yaml"
    zh, en = found.message.split(" / ", 1)
    assert "2027" in zh and found.path in zh and "法定节假日" in zh and "调休" in zh
    assert "2027" in en and found.path in en and "provisional" in en and "config/holidays/README.md" in en


def test_a_dropped_in_table_silences_the_warning(tmp_path):
    drop_table(tmp_path, 2027)
    assert missing_table_warning(date(2026, 11, 1), calendar(tmp_path)) is None
    assert missing_table_warning(date(2027, 6, 1), calendar(tmp_path)) is None
    later = missing_table_warning(date(2027, 11, 1), calendar(tmp_path))
    assert later is not None and later.year == 2028


def test_a_year_that_began_without_a_table_keeps_warning(tmp_path):
    cal = calendar(tmp_path)
    for today in (date(2027, 1, 1), date(2027, 3, 15), date(2027, 10, 31)):
        found = missing_table_warning(today, cal)
        assert found is not None and found.year == 2027 and found.current
        assert "已经开始" in found.message and "has begun" in found.message


def test_a_package_release_knowing_next_year_is_enough():
    release = {2026: china_source(2026), 2027: HolidayTable(2027, {date(2027, 1, 1): "元旦"}, source="package")}
    cal = build_china_calendar(official=release.get, official_years=range(2026, 2028))
    assert missing_table_warning(date(2026, 11, 1), cal) is None
    assert missing_table_warning(date(2027, 11, 1), cal).year == 2028


def test_every_day_of_a_year_around_the_boundary(tmp_path):
    """Scan the days either side of 1 November: the warning starts on it and not before."""
    cal = calendar(tmp_path)
    day = date(2026, 9, 1)
    while day <= date(2026, 12, 31):
        assert (missing_table_warning(day, cal) is not None) is (day >= date(2026, 11, 1)), day
        day += timedelta(days=1)


def test_a_calendar_without_table_files_never_warns():
    fixed = HolidayCalendar.from_dates("t", [date(2026, 3, 9)])
    assert missing_table_warning(date(2026, 11, 20), fixed) is None
