"""Where year tables come from when no YAML table overrides them.

A *year source* is a callable ``year -> HolidayTable | None``; ``None`` means "this year is
unknown", which the calendar reports loudly instead of guessing. Two sources exist:
mainland China from the `chinese_calendar` package (official arrangements including the
make-up working days, 2004 to its last release year), and other countries from the
`holidays` package.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import lru_cache, partial
from typing import Callable

from hotline.routing.calendar.tables import HolidayTable

__all__ = ["YearSource", "china_source", "china_years", "country_source", "ZH_HOLIDAY_NAMES"]

YearSource = Callable[[int], "HolidayTable | None"]

ZH_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


@lru_cache(maxsize=1)
def _china_tables() -> dict[int, HolidayTable]:
    """Group the package's date dictionaries by year, once per process."""
    from chinese_calendar import constants   # lazy: a large table, read once on first use

    holidays: dict[int, dict[date, str]] = defaultdict(dict)
    workdays: dict[int, set[date]] = defaultdict(set)
    for day, name in constants.holidays.items():
        english = str(getattr(name, "value", name))
        holidays[day.year][day] = f"{ZH_HOLIDAY_NAMES.get(english, english)} / {english}"
    for day in constants.workdays:
        workdays[day.year].add(day)
    first, last = min(holidays), max(holidays)
    return {year: HolidayTable(year, holidays.get(year, {}), frozenset(workdays.get(year, ())),
                               "chinese_calendar") for year in range(first, last + 1)}


def china_years() -> range:
    """Years the installed `chinese_calendar` knows (e.g. 2004–2026 for 1.11)."""
    years = _china_tables()
    return range(min(years), max(years) + 1)


def china_source(year: int) -> HolidayTable | None:
    """Official arrangement of `year` from `chinese_calendar`, or None if it has none."""
    return _china_tables().get(year)


def country_source(code: str, subdiv: str | None) -> tuple[YearSource, frozenset[int], range]:
    """A year source for another country, its weekend days and the years it covers.

    Raises ValueError (bilingual) for a country or subdivision the package lacks.
    """
    import holidays as holidays_pkg   # lazy: a large package, only for another country's calendar

    try:
        probe = holidays_pkg.country_holidays(code, subdiv=subdiv, years=[])
    except NotImplementedError as exc:
        raise ValueError(f"不支持的国家或地区 / unsupported country or subdivision {code!r}/{subdiv!r}: {exc}") from exc
    weekend = frozenset(getattr(probe, "weekend", {5, 6}))
    years = range(getattr(probe, "start_year", 1950), getattr(probe, "end_year", 2100) + 1)
    return partial(_country_year, code, subdiv, years), weekend, years


@lru_cache(maxsize=256)
def _country_year(code: str, subdiv: str | None, years: range, year: int) -> HolidayTable | None:
    """One year of another country's holidays, incl. its weekend working days if any."""
    import holidays as holidays_pkg   # lazy, as in country_source

    if year not in years:
        return None
    table = holidays_pkg.country_holidays(code, subdiv=subdiv, years=year)
    days = {d: str(n) for d, n in table.items() if d.year == year}
    workdays = frozenset(d for d in getattr(table, "weekend_workdays", set()) if d.year == year)
    return HolidayTable(year, days, workdays, f"holidays:{code}")
