"""Structured schedules (a mapping, usually from lines.yaml) compiled to a day plan.

For lines whose hours are maintained as data rather than copied from a notice::

    timezone: Asia/Shanghai
    weekly:
      - {days: [mon, tue, wed, thu, fri], windows: [["08:00", "18:00"]]}
      - {days: [sat, sun], windows: [["09:00", "17:00"]]}
    holidays: closed            # or as_usual (default) or a list of windows
    dates: {"2026-10-01": closed, "2026-12-31": [["09:00", "12:00"]]}

Every error names the key path (``weekly[1].windows[0]``) so a YAML typo is found fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from hotline.routing.schedule.errors import ScheduleError
from hotline.routing.schedule.model import CalendarLike, DaySel, Windows, normalize, parse_hhmm, window_from

__all__ = ["StructuredPlan", "parse_structured", "parse_windows", "parse_date_key"]

_WEEKDAYS = {name: i for i, names in enumerate((
    ("mon", "monday", "mo", "周一"), ("tue", "tuesday", "tu", "周二"), ("wed", "wednesday", "we", "周三"),
    ("thu", "thursday", "th", "周四"), ("fri", "friday", "fr", "周五"), ("sat", "saturday", "sa", "周六"),
    ("sun", "sunday", "su", "周日"))) for name in names}
_GROUPS = {"all": DaySel(frozenset(range(7))), "working_days": DaySel(working=True),
           "rest_days": DaySel(rest=True), "public_holidays": DaySel(public=True),
           "weekdays": DaySel(frozenset(range(5))), "weekends": DaySel(frozenset({5, 6}))}
_CLOSED = {"closed", "off", "休息", "关闭"}
_KEYS = {"timezone", "weekly", "holidays", "dates"}


@dataclass(frozen=True)
class StructuredPlan:
    """Weekly entries (union), a public-holiday rule, and per-date windows."""

    weekly: tuple[tuple[DaySel, Windows], ...]
    holidays: Windows | None = None          # None = as usual
    dates: Mapping[date, Windows] = field(default_factory=dict)

    @property
    def uses_calendar(self) -> bool:
        return self.holidays is not None or any(sel.uses_calendar for sel, _ in self.weekly)

    @property
    def date_specific(self) -> bool:
        return bool(self.dates)

    def windows(self, d: date, cal: CalendarLike) -> Windows:
        if d in self.dates:
            return self.dates[d]
        if self.holidays is not None and cal.is_public_holiday(d):
            return self.holidays
        return normalize(w for sel, ws in self.weekly if sel.matches(d, cal) for w in ws)


def parse_structured(spec: Mapping[str, Any], source: str) -> tuple[StructuredPlan, str | None]:
    """Compile the mapping; returns the plan and its `timezone` key (or None)."""
    unknown = set(spec) - _KEYS
    if unknown:
        raise _error(source, sorted(map(str, unknown))[0], f"未知的键 / unknown key (expected {sorted(_KEYS)})")
    weekly = spec.get("weekly", [])
    if not isinstance(weekly, list):
        raise _error(source, "weekly", "应为列表 / expected a list of {days, windows}")
    entries = tuple(_weekly_entry(entry, f"weekly[{i}]", source) for i, entry in enumerate(weekly))
    holidays = _holiday_rule(spec.get("holidays", "as_usual"), source)
    dates = _dates(spec.get("dates") or {}, source)
    tz = spec.get("timezone")
    if tz is not None and not isinstance(tz, str):
        raise _error(source, "timezone", f"应为 IANA 时区名 / expected an IANA zone name, got {tz!r}")
    return StructuredPlan(entries, holidays, dates), tz


def _weekly_entry(entry: Any, key: str, source: str) -> tuple[DaySel, Windows]:
    if not isinstance(entry, Mapping) or set(entry) != {"days", "windows"}:
        raise _error(source, key, f"应为 {{days, windows}} / expected a mapping with days and windows, got {entry!r}")
    return _days(entry["days"], f"{key}.days", source), parse_windows(entry["windows"], f"{key}.windows", source)


def _days(value: Any, key: str, source: str) -> DaySel:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise _error(source, key, f"应为日期列表 / expected a list like [mon, tue] or 'working_days', got {value!r}")
    sel = DaySel()
    for i, item in enumerate(value):
        name = str(item).strip().lower()
        if name in _GROUPS:
            sel = sel | _GROUPS[name]
        elif name in _WEEKDAYS:
            sel = sel | DaySel(frozenset({_WEEKDAYS[name]}))
        else:
            raise _error(source, f"{key}[{i}]", f"未知的日期 / unknown day {item!r} "
                         f"(mon…sun, all, working_days, rest_days, public_holidays)")
    return sel


def _holiday_rule(value: Any, source: str) -> Windows | None:
    if value == "as_usual" or value is None:
        return None
    if isinstance(value, str) and value.lower() in _CLOSED:
        return ()
    return parse_windows(value, "holidays", source)


def _dates(value: Any, source: str) -> dict[date, Windows]:
    if not isinstance(value, Mapping):
        raise _error(source, "dates", "应为映射 / expected a mapping of date -> closed | windows")
    result: dict[date, Windows] = {}
    for raw, windows in value.items():
        key = f"dates[{raw}]"
        day = parse_date_key(raw, key, source)
        result[day] = () if isinstance(windows, str) and windows.lower() in _CLOSED \
            else parse_windows(windows, key, source)
    return result


def parse_date_key(raw: Any, key: str, source: str) -> date:
    """A YAML date or an ISO string."""
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise _error(source, key, f"应为日期 YYYY-MM-DD / expected a date YYYY-MM-DD, got {raw!r}") from None


def parse_windows(value: Any, key: str, source: str) -> Windows:
    """[["08:00", "12:00"], ...]; an end not after the start runs past midnight."""
    if not isinstance(value, (list, tuple)):
        raise _error(source, key, f"应为时间段列表 / expected a list of [\"HH:MM\", \"HH:MM\"], got {value!r}")
    windows = []
    for i, pair in enumerate(value):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise _error(source, f"{key}[{i}]", f"应为 [\"HH:MM\", \"HH:MM\"] / expected a pair, got {pair!r}")
        start, end = parse_hhmm(pair[0], allow_24=False), parse_hhmm(pair[1])
        if start is None or end is None:
            hint = " — 请给时间加引号 / quote the times: YAML reads 18:00 as a number" \
                if any(isinstance(p, int) for p in pair) else ""
            raise _error(source, f"{key}[{i}]", f"应为 HH:MM / expected HH:MM (00:00–24:00), got {list(pair)!r}{hint}")
        windows.append(window_from(start, end))
    return normalize(windows)


def _error(source: str, key: str, problem: str) -> ScheduleError:
    return ScheduleError(source, None, f"{key}: {problem}")
