"""Small time helpers shared by the shifts core.

Kept in one place so every module agrees on what "HH:MM", "a local day" and
"a 15-minute quarter" mean; all results are timezone-aware.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Shanghai"
QUARTER = timedelta(minutes=15)
_HHMM = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """Cache ZoneInfo lookups; generation builds tens of thousands of datetimes."""
    return ZoneInfo(name)


@lru_cache(maxsize=256)
def parse_hhmm(text: str) -> int:
    """Minutes after midnight for "HH:MM"; "24:00" is allowed as an end of day."""
    m = _HHMM.match(text)
    if not m or (m.group(1) == "24" and m.group(2) != "00"):
        raise ValueError(f"时间格式应为 HH:MM（00:00-24:00）：{text!r} / time must be HH:MM (00:00-24:00): {text!r}")
    return int(m.group(1)) * 60 + int(m.group(2))


def at_minutes(day: date, minutes: int, tz: str) -> datetime:
    """The aware local wall-clock time `minutes` after midnight of `day` (may be a later day)."""
    extra, minutes = divmod(minutes, 24 * 60)
    wall = datetime.combine(day + timedelta(days=extra), time(minutes // 60, minutes % 60))
    return wall.replace(tzinfo=zone(tz))


def local_midnight(day: date, tz: str) -> datetime:
    """Start of `day` in zone `tz`."""
    return at_minutes(day, 0, tz)


def line_zone(directory, line_id: str) -> ZoneInfo:
    """A line's zone from a line directory (a line not listed there, or no directory: the default).

    Shifts are read in their line's zone so that a shift's "roster date" (the local date it
    starts) is the one people rostered."""
    line = directory.get(line_id) if directory is not None else None
    return zone(getattr(line, "timezone", None) or DEFAULT_TZ)


def require_aware(value: datetime, what: str) -> None:
    """Reject naive datetimes early: every instant in Hotline carries a zone."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} 必须带时区：{value!r} / {what} must be timezone-aware: {value!r}")


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time from start to end.

    Python subtracts datetimes sharing a tzinfo as wall clocks, which is wrong
    across a DST change; going through UTC counts the night as it was worked.
    """
    return end.astimezone(timezone.utc) - start.astimezone(timezone.utc)


def hours(delta: timedelta) -> float:
    """A duration in hours."""
    return delta.total_seconds() / 3600


def hours_between(start: datetime, end: datetime) -> float:
    """Real elapsed hours from start to end."""
    return hours(elapsed(start, end))


def fmt_hours(value: float) -> str:
    """"8" for whole hours, "7.5" otherwise — as people write it in messages."""
    return f"{value:.0f}" if abs(value - round(value)) < 1e-9 else f"{value:.2f}".rstrip("0")


def dates(first: date, last: date):
    """Every date from `first` to `last`, both included."""
    for n in range((last - first).days + 1):
        yield first + timedelta(days=n)


EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)


def quarter_floor(at: datetime) -> int:
    """Index of the quarter containing `at`, counted in UTC from EPOCH.

    Real zone offsets are multiples of 15 minutes, so UTC quarters line up with
    local :00/:15/:30/:45 everywhere and lines in different zones share one grid.
    """
    return int((at - EPOCH).total_seconds() // 900)


def quarter_ceil(at: datetime) -> int:
    """Index of the first quarter starting at or after `at`."""
    seconds = (at - EPOCH).total_seconds()
    return int(-(-seconds // 900))


def quarter_start(index: int) -> datetime:
    """UTC start instant of quarter `index` (convert with astimezone for display)."""
    return EPOCH + index * QUARTER
