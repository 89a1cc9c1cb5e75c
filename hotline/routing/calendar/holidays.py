"""Holiday calendars: which dates are public holidays and which are working days.

Schedules such as "周一至周五（节假日除外）" or "PH off" depend on the official holiday
arrangement, which in mainland China also moves working days onto weekends (调休上班).
The arrangement is only known year by year. A wrong answer routes a crisis call to a
closed line, so every year is answered by the best thing we have, and says which it is:

1. an official table — a YAML file in the holidays directory (the center's own copy of
   the State Council notice) or a package (`chinese_calendar`, `holidays`);
2. for a later year of mainland China without one: the statutory days fixed by law
   (statutory.py), weekends rest, nothing else guessed. The answer is *provisional*:
   `is_provisional()` says so and one warning per year names the file to add;
3. otherwise (before the current law, beyond the lunar tables): plain weekends, with one
   warning per year that the year is unknown.

The holidays directory is passed in by the caller (hotline.settings resolves it); this
package reads no environment and knows no repository paths.
"""

from __future__ import annotations

import logging
import threading
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from hotline.routing.calendar.sources import YearSource, china_source, china_years, country_source
from hotline.routing.calendar.statutory import statutory_table
from hotline.routing.calendar.tables import HolidayTable, HolidayTableError, load_table_dir

__all__ = ["HolidayCalendar", "HolidayTable", "HolidayTableError", "build_china_calendar",
           "china_calendar", "country_calendar", "load_china_calendar"]

log = logging.getLogger(__name__)

_WEEKEND = frozenset({5, 6})
_NO_TABLE = (None, False)


class HolidayCalendar:
    """Which dates are public holidays / working days for a line (default: mainland China).

    `source` supplies the official table of a year (None when it has none); `tables` are
    YAML tables that replace the source for their year and pin the dates they list;
    `provisional` supplies a stand-in table for a year with no official one.
    """

    def __init__(self, name: str, source: YearSource, *, tables: Iterable[HolidayTable] = (),
                 provisional: YearSource | None = None, weekend: Iterable[int] = _WEEKEND,
                 known: str = "", hint: str = "", table_file: str | None = None):
        self.name = name
        self.weekend = frozenset(weekend)
        self._source = source
        self._provisional = provisional
        self._known = known            # e.g. "chinese_calendar knows 2004–2026", for the warnings
        self._hint = hint              # how to add a missing year, for the warnings
        self._table_file = table_file  # e.g. "/srv/holidays/cn-{year}.yaml"; None: takes no tables
        self._tables = {t.year: t for t in tables}
        self._pinned = _pinned_dates(self._tables.values())
        self._years: dict[int, tuple[HolidayTable | None, bool]] = {}
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
        """True when an official table answers for `d` (not the provisional or plain fallback)."""
        return d in self._pinned or self.has_official_table(d.year)

    def has_official_table(self, year: int) -> bool:
        """Whether `year` has an official table (a YAML file or the package)."""
        table, provisional = self._year(year)
        return table is not None and not provisional

    def is_provisional_year(self, year: int) -> bool:
        """No official table for `year`: it is answered by the statutory days only."""
        return self._year(year)[1]

    def is_provisional(self, d: date) -> bool:
        """Whether the answer for `d` is provisional (statutory days only, to be confirmed)."""
        return d not in self._pinned and self.is_provisional_year(d.year)

    def holiday_name(self, d: date) -> str | None:
        """Name of the holiday on `d` (for prompts and dashboards), or None."""
        if d in self._pinned:
            return self._pinned[d][1]
        table = self._year(d.year)[0]
        return table.holidays.get(d) if table else None

    def table_file(self, year: int) -> str | None:
        """Where the official table of `year` is dropped in; None if this calendar takes none."""
        return self._table_file.format(year=year) if self._table_file else None

    def _status(self, d: date) -> tuple[bool, bool]:
        """(public holiday, working day) for `d`."""
        pinned = self._pinned.get(d)
        if pinned is not None:
            return pinned[0], not pinned[0]
        table, provisional = self._year(d.year)
        if table is None or provisional:
            self._warn_once(d.year, provisional)
        if table is None:
            return False, d.weekday() not in self.weekend
        holiday = d in table.holidays
        return holiday, d in table.workdays or (not holiday and d.weekday() not in self.weekend)

    def _year(self, year: int) -> tuple[HolidayTable | None, bool]:
        """(table, provisional) of `year`, looked up once."""
        found = self._years.get(year)
        if found is None:
            table = self._tables.get(year) or self._source(year)
            found = (table, False) if table is not None else _NO_TABLE
            if table is None and self._provisional is not None:
                stand_in = self._provisional(year)
                found = (stand_in, True) if stand_in is not None else _NO_TABLE
            with self._lock:
                self._years[year] = found
        return found

    def _warn_once(self, year: int, provisional: bool) -> None:
        with self._lock:
            if year in self._warned:
                return
            self._warned.add(year)
        if provisional:
            log.warning(
                "节假日日历 %s：%d 年尚无官方放假安排，暂按法定节假日计算（仅元旦、春节、清明、劳动节、端午、中秋、"
                "国庆的法定日期；周末休息；不含调休和补班）/ holiday calendar %s: %d is PROVISIONAL — no official "
                "table (%s), so only the statutory days count as holidays, weekends rest, and no bridging days "
                "or make-up working days are assumed. %s", self.name, year, self.name, year,
                self._known or "no table", self._hint)
            return
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


def china_calendar(holidays_dir: str | Path | None = None) -> HolidayCalendar:
    """Mainland China: ``cn-*.yaml`` tables of `holidays_dir`, `chinese_calendar`, then the
    statutory days (cached per directory). Without a directory: the built-in calendar."""
    folder = str(Path(holidays_dir).resolve()) if holidays_dir is not None else None
    return _china_calendar(folder)


@lru_cache(maxsize=16)
def _china_calendar(folder: str | None) -> HolidayCalendar:
    return load_china_calendar(folder)


def load_china_calendar(holidays_dir: str | Path | None = None) -> HolidayCalendar:
    """Like china_calendar(), but reads the directory now (the doctor checks the disk)."""
    folder = str(Path(holidays_dir).resolve()) if holidays_dir is not None else None
    tables = load_table_dir(folder, "cn") if folder and Path(folder).is_dir() else []
    return build_china_calendar(tables, tables_dir=folder)


def build_china_calendar(tables: Iterable[HolidayTable] = (), *, official: YearSource = china_source,
                         official_years: range | None = None, tables_dir: str | None = None) -> HolidayCalendar:
    """An uncached mainland China calendar from given parts.

    `official` defaults to `chinese_calendar`; a test passes a shorter source to replay
    the package as released (e.g. 1.11, which stops at 2026) whatever version is installed.
    """
    years = official_years or china_years()
    folder = tables_dir or "config/holidays"
    return HolidayCalendar(
        "cn", official, tables=tables, provisional=statutory_table,
        known=f"chinese_calendar knows {years.start}–{years.stop - 1}",
        hint=f"Add the official table (国务院办公厅放假安排) as {folder}/cn-<year>.yaml — "
             "see config/holidays/README.md.",
        table_file=f"{folder}/cn-{{year}}.yaml")


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
