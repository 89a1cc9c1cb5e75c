"""Year tables of public holidays and make-up working days, and their YAML files.

The State Council publishes next year's holiday arrangement (放假安排) each autumn, usually
before the `chinese_calendar` package has a release that knows it. A center must be able
to add that table itself, without a code change: it drops ``config/holidays/cn-2027.yaml``
next to the code. This module reads and validates such files. Every error names the file,
the key path and the offending entry, because the person fixing it is an operator editing
YAML by hand, not a developer.

File format (see config/holidays/README.md)::

    year: 2027
    holidays:
      - {date: 2027-01-01, name: 元旦}
      - {from: 2027-02-06, to: 2027-02-13, name: 春节}
    workdays:            # make-up working days (调休上班), dates or {date, name}
      - 2027-02-14
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

__all__ = ["HolidayTable", "HolidayTableError", "load_table_file", "load_table_dir"]

_MAX_SPAN_DAYS = 31  # one holiday entry longer than a month is surely a typo


class HolidayTableError(ValueError):
    """A holiday table file is malformed; the message names file, key path and entry."""

    def __init__(self, path: str | Path, key: str, problem: str):
        self.path, self.key, self.problem = str(path), key, problem
        super().__init__(f"节假日表格式错误 / invalid holiday table {self.path}: {key}: {problem}")


@dataclass(frozen=True)
class HolidayTable:
    """The official arrangement for one year: which dates are off, which are make-up days.

    `holidays` maps each public-holiday date (including the bridging rest days of the
    arrangement) to its name; `workdays` are weekend dates that are working days.
    Dates may lie just outside `year` (e.g. 2022-12-31 in the 2023 notice).
    """

    year: int
    holidays: Mapping[date, str] = field(default_factory=dict)
    workdays: frozenset[date] = frozenset()
    source: str = ""


def load_table_dir(directory: str | Path, prefix: str) -> list[HolidayTable]:
    """Load every ``<prefix>-*.yaml`` / ``.yml`` file of `directory`, sorted by name.

    Two files for the same year are an error: which one wins would be an accident.
    """
    folder = Path(directory)
    paths = sorted([*folder.glob(f"{prefix}-*.yaml"), *folder.glob(f"{prefix}-*.yml")])
    tables: list[HolidayTable] = []
    seen: dict[int, str] = {}
    for path in paths:
        table = load_table_file(path)
        if table.year in seen:
            raise HolidayTableError(path, "year", f"{table.year} 年已在 {seen[table.year]} 中定义 / "
                                    f"year {table.year} is already defined in {seen[table.year]}")
        seen[table.year] = str(path)
        tables.append(table)
    return tables


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text, so a bad date is reported with its key path."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_table_file(path: str | Path) -> HolidayTable:
    """Parse and validate one table file."""
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (safe subclass)
    except yaml.YAMLError as exc:
        raise HolidayTableError(path, "(file)", f"YAML 语法错误 / YAML syntax error: {exc}") from exc
    except OSError as exc:
        raise HolidayTableError(path, "(file)", f"无法读取 / cannot read: {exc}") from exc
    return parse_table(data, path)


def parse_table(data: Any, path: str | Path = "<table>") -> HolidayTable:
    """Validate an already-loaded mapping (also used by tests and other loaders)."""
    if not isinstance(data, Mapping):
        raise HolidayTableError(path, "(top)", "应为映射 / expected a mapping with year, holidays, workdays")
    unknown = set(data) - {"year", "holidays", "workdays", "country", "source", "note"}
    if unknown:
        raise HolidayTableError(path, sorted(map(str, unknown))[0], "未知的键 / unknown key")
    year = _parse_year(data.get("year"), path)
    holidays = _parse_holidays(data.get("holidays") or [], year, path)
    workdays = _parse_workdays(data.get("workdays") or [], year, path)
    clash = sorted(set(holidays) & workdays)
    if clash:
        raise HolidayTableError(path, "workdays", f"{clash[0]} 同时是节假日和上班日 / "
                                f"{clash[0]} is listed both as a holiday and as a working day")
    return HolidayTable(year, holidays, frozenset(workdays), str(path))


def _parse_year(value: Any, path: str | Path) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2200:
        raise HolidayTableError(path, "year", f"应为四位年份 / expected a year like 2027, got {value!r}")
    return value


def _parse_holidays(entries: Any, year: int, path: str | Path) -> dict[date, str]:
    if not isinstance(entries, list):
        raise HolidayTableError(path, "holidays", "应为列表 / expected a list of {date|from/to, name}")
    result: dict[date, str] = {}
    for i, entry in enumerate(entries):
        key = f"holidays[{i}]"
        if not isinstance(entry, Mapping):
            raise HolidayTableError(path, key, f"应为映射 / expected {{date|from/to, name}}, got {entry!r}")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise HolidayTableError(path, f"{key}.name", f"缺少名称 / missing name in {dict(entry)!r}")
        for day in _entry_dates(entry, key, year, path):
            result[day] = name.strip()
    return result


def _entry_dates(entry: Mapping, key: str, year: int, path: str | Path) -> Iterable[date]:
    extra = set(entry) - {"date", "from", "to", "name"}
    if extra:
        raise HolidayTableError(path, f"{key}.{sorted(map(str, extra))[0]}", "未知的键 / unknown key")
    if "date" in entry:
        if "from" in entry or "to" in entry:
            raise HolidayTableError(path, key, "date 与 from/to 只能二选一 / use either date or from/to")
        return [_parse_date(entry["date"], f"{key}.date", year, path)]
    if "from" not in entry or "to" not in entry:
        raise HolidayTableError(path, key, f"需要 date 或 from 和 to / needs date, or from and to: {dict(entry)!r}")
    start = _parse_date(entry["from"], f"{key}.from", year, path)
    end = _parse_date(entry["to"], f"{key}.to", year, path)
    if end < start:
        raise HolidayTableError(path, f"{key}.to", f"结束日期早于开始日期 / 'to' {end} is before 'from' {start}")
    if (end - start).days >= _MAX_SPAN_DAYS:
        raise HolidayTableError(path, key, f"区间过长 / range {start}..{end} is longer than {_MAX_SPAN_DAYS} days")
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _parse_workdays(entries: Any, year: int, path: str | Path) -> set[date]:
    if not isinstance(entries, list):
        raise HolidayTableError(path, "workdays", "应为日期列表 / expected a list of dates")
    days: set[date] = set()
    for i, entry in enumerate(entries):
        key = f"workdays[{i}]"
        value = entry.get("date") if isinstance(entry, Mapping) else entry
        days.add(_parse_date(value, key, year, path))
    return days


def _parse_date(value: Any, key: str, year: int, path: str | Path) -> date:
    """Accept YAML dates and 'YYYY-MM-DD' strings within the year (± one month)."""
    raw = value
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if isinstance(value, datetime) or not isinstance(value, date):   # a time of day is a typo too
        raise HolidayTableError(path, key, f"应为日期 YYYY-MM-DD / expected a date YYYY-MM-DD, got {raw!r}")
    if not date(year - 1, 12, 1) <= value <= date(year + 1, 1, 31):
        raise HolidayTableError(path, key, f"{value} 不在 {year} 年内 / {value} is outside year {year}")
    return value
