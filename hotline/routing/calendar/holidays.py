"""Holiday calendars: which dates are public holidays and which are working days.

Schedules such as "周一至周五（节假日除外）" or "PH off" depend on the official holiday
arrangement, which in mainland China also moves working days onto weekends (调休上班).
The arrangement is only known year by year. Outside the known years we must not guess
silently — a wrong guess routes a crisis call to a closed line — so the calendar logs one
clear warning per year, naming how to add the table, and falls back to plain weekends.

A year's table comes, by priority, from a YAML file in ``config/holidays/`` (the center's
own copy of the official notice) or from a package (`chinese_calendar`, `holidays`).
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from hotline.routing.calendar.sources import YearSource, china_source, china_years, country_source
from hotline.routing.calendar.tables import HolidayTable, HolidayTableError, load_table_dir

__all__ = ["HolidayCalendar", "HolidayTable", "HolidayTableError", "china_calendar",
           "country_calendar", "default_holidays_dir"]

log = logging.getLogger(__name__)

_REPO_ROOT = Path(__file__).resolve().parents[3]
_WEEKEND = frozenset({5, 6})


class HolidayCalendar:
    """Which dates are public holidays / working days for a line (default: mainland China).

    `source` supplies the table of a year (None when unknown); `tables` are YAML tables
    that replace the source for their year and pin the dates they list.
    """

    def __init__(self, name: str, source: YearSource, *, tables: Iterable[HolidayTable] = (),
                 weekend: Iterable[int] = _WEEKEND, known: str = "", hint: str = ""):
        self.name = name
        self.weekend = frozenset(weekend)
        self._source = source
        self._known = known      # e.g. "chinese_calendar knows 2004–2026", for the warning
        self._hint = hint        # how to add a missing year, for the warning
        self._tables = {t.year: t for t in tables}
        self._pinned = _pinned_dates(self._tables.values())
        self._years: dict[int, HolidayTable | None] = {}
        self._warned: set[int] = set()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<HolidayCalendar {self.name}>"

    @classmethod
    def from_dates(cls, name: str, holidays: Iterable[date], workdays: Iterable[date] = (),
                   years: Iterable[int] | None = None) -> "HolidayCalendar":
        """A fixed calendar (tests, reference checks); `years` defaults to the dates' years."""
        hol, work = set(holidays), set(workdays)
        known = set(years) if years is not None else {d.year for d in hol | work}
        tables = [HolidayTable(y, {d: "holiday" for d in hol if d.year == y},
                               frozenset(d for d in work if d.year == y), name) for y in known]
        return cls(name, lambda year: None, tables=tables)

    def is_public_holiday(self, d: date) -> bool:
        """法定节假日 only (including the bridging rest days of the official arrangement)."""
        return self._status(d)[0]

    def is_working_day(self, d: date) -> bool:
        """Mon–Fri that is not a public holiday, plus make-up working days (调休上班)."""
        return self._status(d)[1]

    def is_rest_day(self, d: date) -> bool:
        """Not a working day: weekends and public holidays; make-up days are excluded."""
        return not self._status(d)[1]

    def knows(self, d: date) -> bool:
        """False outside the package's years and the extra tables (the fallback applies)."""
        return d in self._pinned or self._year(d.year) is not None

    def holiday_name(self, d: date) -> str | None:
        """Name of the holiday on `d` (for prompts and dashboards), or None."""
        if d in self._pinned:
            return self._pinned[d][1]
        table = self._year(d.year)
        return table.holidays.get(d) if table else None

    def _status(self, d: date) -> tuple[bool, bool]:
        """(public holiday, working day) for `d`."""
        pinned = self._pinned.get(d)
        if pinned is not None:
            return pinned[0], not pinned[0]
        table = self._year(d.year)
        if table is None:
            self._warn_unknown(d.year)
            return False, d.weekday() not in self.weekend
        holiday = d in table.holidays
        return holiday, d in table.workdays or (not holiday and d.weekday() not in self.weekend)

    def _year(self, year: int) -> HolidayTable | None:
        if year not in self._years:
            table = self._tables.get(year) or self._source(year)
            with self._lock:
                self._years[year] = table
        return self._years[year]

    def _warn_unknown(self, year: int) -> None:
        with self._lock:
            if year in self._warned:
                return
            self._warned.add(year)
        log.warning(
            "节假日日历 %s 不知道 %d 年的放假安排，按周一至周五上班、周六周日休息处理 / holiday calendar %s "
            "has no table for %d (%s): treating Mon–Fri as working days and Sat–Sun as rest days, "
            "no public holidays. %s", self.name, year, self.name, year, self._known or "no table", self._hint)


def _pinned_dates(tables: Iterable[HolidayTable]) -> dict[date, tuple[bool, str | None]]:
    """Dates a YAML table lists, mapped to (is holiday, name); they win over any package."""
    pinned: dict[date, tuple[bool, str | None]] = {}
    for table in tables:
        pinned.update({d: (True, name) for d, name in table.holidays.items()})
        pinned.update({d: (False, None) for d in table.workdays})
    return pinned


def default_holidays_dir() -> Path | None:
    """$HOTLINE_HOLIDAYS_DIR, else <repo>/config/holidays when it exists."""
    env = os.environ.get("HOTLINE_HOLIDAYS_DIR")
    if env:
        return Path(env)
    folder = _REPO_ROOT / "config" / "holidays"
    return folder if folder.is_dir() else None


def china_calendar(extra_dir: str | Path | None = None) -> HolidayCalendar:
    """Mainland China: `chinese_calendar` plus ``cn-*.yaml`` tables (cached per dir)."""
    folder = Path(extra_dir) if extra_dir is not None else default_holidays_dir()
    return _china_calendar(str(folder.resolve()) if folder is not None else None)


@lru_cache(maxsize=16)
def _china_calendar(folder: str | None) -> HolidayCalendar:
    tables = load_table_dir(folder, "cn") if folder and Path(folder).is_dir() else []
    years = china_years()
    target = folder or str(_REPO_ROOT / "config" / "holidays")
    return HolidayCalendar(
        "cn", china_source, tables=tables,
        known=f"chinese_calendar knows {years.start}–{years.stop - 1}",
        hint=f"Add the official table (国务院办公厅放假安排) as {target}/cn-<year>.yaml — "
             "see config/holidays/README.md.")


def country_calendar(code: str, subdiv: str | None = None) -> HolidayCalendar:
    """Another country's calendar via the `holidays` package; 'CN' alone means china_calendar()."""
    if code.upper() == "CN" and subdiv is None:
        return china_calendar()
    return _country_calendar(code.upper(), subdiv)


@lru_cache(maxsize=64)
def _country_calendar(code: str, subdiv: str | None) -> HolidayCalendar:
    source, weekend, years = country_source(code, subdiv)
    name = code if subdiv is None else f"{code}-{subdiv}"
    return HolidayCalendar(name, source, weekend=weekend,
                           known=f"holidays package knows {years.start}–{years.stop - 1}",
                           hint="Upgrade the `holidays` package.")
