"""What the calendar does next year, and every year after: a property over future years.

For any year after the last official table, every statutory day is a public holiday, no
other weekday is, weekends rest and no weekend is a working day. The expected days are
computed here from a second, independent almanac (`lunar_python`, which derives lunar
months and solar terms astronomically), not from the `holidays` tables the code reads.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings, strategies as st
from lunar_python import Lunar, Solar

from hotline.routing.calendar.holidays import china_calendar
from hotline.routing.calendar.sources import china_years


def _solar(lunar: Lunar) -> date:
    solar = lunar.getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def law_2024(year: int) -> set[date]:
    """《全国年节及纪念日放假办法》 Article 2 (2024 revision), by the independent almanac."""
    first = _solar(Lunar.fromYmd(year, 1, 1))                         # 正月初一
    eve = first - timedelta(days=1)
    assert Solar.fromYmd(eve.year, eve.month, eve.day).getLunar().getMonth() == 12   # 除夕 closes 腊月
    qingming = Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    return {
        date(year, 1, 1),
        eve, first, first + timedelta(days=1), first + timedelta(days=2),
        date(qingming.getYear(), qingming.getMonth(), qingming.getDay()),
        date(year, 5, 1), date(year, 5, 2),
        _solar(Lunar.fromYmd(year, 5, 5)),                              # 端午
        _solar(Lunar.fromYmd(year, 8, 15)),                             # 中秋
        date(year, 10, 1), date(year, 10, 2), date(year, 10, 3),
    }


FUTURE_YEARS = st.integers(min_value=china_years().stop, max_value=2099)


@settings(max_examples=40, deadline=None)
@given(year=FUTURE_YEARS)
def test_every_statutory_day_is_a_holiday_and_no_other_weekday_is(year):
    cal = china_calendar()
    statutory = law_2024(year)
    assert 12 <= len(statutory) <= 13                       # 中秋 may fall on 1–3 October
    day = date(year, 1, 1)
    while day.year == year:
        assert cal.is_provisional(day) and not cal.knows(day)
        assert cal.is_public_holiday(day) is (day in statutory), day
        assert cal.is_working_day(day) is (day.weekday() < 5 and day not in statutory), day
        assert cal.is_rest_day(day) is not cal.is_working_day(day)
        assert (cal.holiday_name(day) is not None) is (day in statutory), day
        day += timedelta(days=1)


@settings(max_examples=20, deadline=None)
@given(year=FUTURE_YEARS)
def test_a_holiday_week_is_never_extended_by_guessing(year):
    """The day after each break is a working day when it is a weekday: no bridging days."""
    cal, statutory = china_calendar(), law_2024(year)
    for last in (date(year, 10, 3), date(year, 5, 2), _solar(Lunar.fromYmd(year, 1, 3))):
        after = last + timedelta(days=1)
        if after.weekday() < 5 and after not in statutory:
            assert cal.is_working_day(after) and not cal.is_public_holiday(after), after


def test_oracle_sanity_on_a_known_year():
    """The oracle itself reproduces the 2026 statutory days of the State Council notice."""
    assert law_2024(2026) == {
        date(2026, 1, 1), date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 18), date(2026, 2, 19),
        date(2026, 4, 5), date(2026, 5, 1), date(2026, 5, 2), date(2026, 6, 19), date(2026, 9, 25),
        date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3)}
    assert Solar.fromYmd(2026, 2, 17).getLunar().getDay() == 1
