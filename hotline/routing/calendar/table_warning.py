"""Is an official holiday table missing that someone must add now? (doctor, dashboard)

The State Council publishes next year's arrangement in October–November. From 1 November
a center should have dropped it in; until then next year would run on the statutory days
only (provisional), which is right for 初一 but wrong for every bridging day and make-up
working day of the notice. So from 1 November, and for as long as the *current* year has
no table either, this says which year is missing and how to add it.

Pure: the caller passes today's date (in the service's time zone) and the calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hotline.routing.calendar.holidays import HolidayCalendar

__all__ = ["MissingTable", "WARN_FROM", "missing_table_warning"]

WARN_FROM = (11, 1)   # month, day from which next year's table is expected


@dataclass(frozen=True)
class MissingTable:
    """A year without an official table: where its file goes and what to tell people."""

    year: int
    path: str          # e.g. /srv/hotline/config/holidays/cn-2027.yaml
    current: bool      # True: the year has already begun on provisional days
    message: str       # bilingual, zh / en


def missing_table_warning(today: date, calendar: HolidayCalendar) -> MissingTable | None:
    """The year whose official table is missing and due, or None when nothing is due.

    Due: the current year, whenever it has no table; next year, from 1 November.
    A calendar that takes no table files (another country's) never warns.
    """
    if calendar.table_file(today.year) is None:
        return None
    if not calendar.has_official_table(today.year):
        return _missing(today.year, calendar, current=True)
    if (today.month, today.day) >= WARN_FROM and not calendar.has_official_table(today.year + 1):
        return _missing(today.year + 1, calendar, current=False)
    return None


def _missing(year: int, calendar: HolidayCalendar, *, current: bool) -> MissingTable:
    path = calendar.table_file(year) or ""
    if current:
        zh_when, en_when = f"{year} 年已经开始，但", f"{year} has begun, but there is"
    else:
        zh_when, en_when = "", "There is"
    zh = (f"{zh_when}尚无 {year} 年官方放假安排。国务院办公厅通知发布后，请按 config/holidays/README.md 的格式"
          f"写成 {path}，然后重新加载服务。在此之前 {year} 年为暂定：只按法定节假日（元旦、春节四天、清明、"
          f"劳动节两天、端午、中秋、国庆三天）和周末计算，不含调休和补班。")
    en = (f"{en_when} no official holiday table for {year} yet. When the State Council notice is "
          f"published, write it to {path} in the format of config/holidays/README.md and reload the "
          f"service. Until then {year} is provisional: statutory days only (New Year's Day, 4 days of "
          f"Spring Festival, Qingming, 2 days of Labour Day, Dragon Boat, Mid-autumn, 3 days of National "
          f"Day) and weekends; no bridging days, no make-up working days.")
    return MissingTable(year, path, current, f"{zh} / {en}")
