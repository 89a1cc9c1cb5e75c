"""Mainland China's statutory public holidays, for years that have no official table yet.

The State Council publishes each year's arrangement (放假安排) in the autumn before; it adds
bridging rest days and make-up working days (调休) that nobody can compute in advance. What
*can* be computed is the part fixed by law: 《全国年节及纪念日放假办法》, Article 2, as
revised in November 2024 and in force from 2025-01-01, gives every citizen these days off:

    元旦 1 day (1 January)                 春节 4 days (除夕 and 正月初一至初三)
    清明节 1 day (the Qingming solar term)  劳动节 2 days (1–2 May)
    端午节 1 day (五月初五)                 中秋节 1 day (八月十五)
    国庆节 3 days (1–3 October)

A year without an official table is therefore answered with these days only — marked
provisional by the calendar — rather than with plain weekdays, which would put a crisis
line "open" on 初一. Nothing else is guessed: no bridging days, no make-up working days,
no extra day when 中秋 falls inside 国庆.

The lunar festival dates (初一, 端午, 中秋) come from the `holidays` package (its lunisolar
tables cover 1901–2099) and the Qingming solar term from `chinese_calendar`'s solar-term
formula (its holiday tables stop, its solar terms do not). We read only those dates and
apply the rule above ourselves, so a later release that learns an official arrangement
cannot slip bridging days into a "statutory only" year. Both were checked against an
astronomical almanac for 2025–2099 (tests/unit/core/schedule/test_holidays_statutory_property.py).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from hotline.routing.calendar.sources import ZH_HOLIDAY_NAMES
from hotline.routing.calendar.tables import HolidayTable

__all__ = ["STATUTORY_YEARS", "STATUTORY_NAMES", "statutory_days", "statutory_table"]

# The 2024 revision applies from 2025; the lunisolar tables end with 2099.
STATUTORY_YEARS = range(2025, 2100)

# Named as chinese_calendar names them ("春节 / Spring Festival"), so provisional and
# official years read alike on prompts and dashboards.
STATUTORY_NAMES = {en: f"{ZH_HOLIDAY_NAMES[en]} / {en}" for en in (
    "New Year's Day", "Spring Festival", "Tomb-sweeping Day", "Labour Day",
    "Dragon Boat Festival", "Mid-autumn Festival", "National Day")}

# Festival dates as the `holidays` package names them (language en_US), and where each
# must fall: a date outside its window means a package changed, not the calendar.
_LUNAR = {
    "Chinese New Year (Spring Festival)": ((1, 20), (2, 21)),
    "Dragon Boat Festival": ((5, 27), (6, 26)),
    "Mid-Autumn Festival": ((9, 6), (10, 9)),
}
_QINGMING = ((4, 4), (4, 6))


def statutory_table(year: int) -> HolidayTable | None:
    """The provisional table of `year`: statutory days, no make-up working days.

    None when the rule does not apply to `year` (before 2025, after 2099) or the festival
    dates cannot be had; the calendar then warns that the year is unknown.
    """
    days = statutory_days(year)
    return None if days is None else HolidayTable(year, days, frozenset(), "statutory")


@lru_cache(maxsize=128)
def statutory_days(year: int) -> dict[date, str] | None:
    """Each statutory holiday of `year` mapped to its bilingual name, or None (see above)."""
    if year not in STATUTORY_YEARS:
        return None
    anchors = _festival_dates(year)
    if anchors is None:
        return None
    new_year = anchors["Chinese New Year (Spring Festival)"]
    days: dict[date, list[str]] = {}
    rule = [
        ("New Year's Day", [date(year, 1, 1)]),
        ("Spring Festival", [new_year + timedelta(days=n) for n in (-1, 0, 1, 2)]),   # 除夕, 初一–初三
        ("Tomb-sweeping Day", [anchors["清明"]]),
        ("Labour Day", [date(year, 5, 1), date(year, 5, 2)]),
        ("Dragon Boat Festival", [anchors["Dragon Boat Festival"]]),
        ("Mid-autumn Festival", [anchors["Mid-Autumn Festival"]]),
        ("National Day", [date(year, 10, 1), date(year, 10, 2), date(year, 10, 3)]),
    ]
    for festival, dates in rule:
        for day in dates:
            days.setdefault(day, []).append(festival)
    return {day: _joined(names) for day, names in sorted(days.items())}


def _joined(festivals: list[str]) -> str:
    """'国庆节 / National Day', or both names when 中秋 falls on 1–3 October."""
    if len(festivals) == 1:
        return STATUTORY_NAMES[festivals[0]]
    zh, en = zip(*(STATUTORY_NAMES[f].split(" / ") for f in festivals))
    return f"{'、'.join(zh)} / {', '.join(en)}"


def _festival_dates(year: int) -> dict[str, date] | None:
    """初一, 端午, 中秋 (from `holidays`) and 清明 (from `chinese_calendar`), checked for sanity."""
    # lazy: both packages are large and needed only for a year beyond the official tables
    import holidays as holidays_pkg
    from chinese_calendar import get_solar_terms   # lazy, as above

    table = holidays_pkg.country_holidays("CN", years=year, observed=False, language="en_US")
    found: dict[str, date] = {}
    for day in sorted(table):
        for name in table.get_list(day):
            found.setdefault(name, day)
    found = {name: found[name] for name in _LUNAR if name in found}
    qingming = [day for day, term in get_solar_terms(date(year, 4, 1), date(year, 4, 10)) if term == "清明"]
    if qingming:
        found["清明"] = qingming[0]
    windows = {**_LUNAR, "清明": _QINGMING}
    for name, (start, end) in windows.items():
        day = found.get(name)
        if day is None or not date(year, *start) <= day <= date(year, *end):
            return None
    return found
