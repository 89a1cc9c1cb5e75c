"""A period as UTC instants, one window per time zone of the lines reported on.

Day boundaries are the line's own, so lines in different zones cannot share one
[start, end): each zone gets a window naming its lines. The zone shared by most
lines is the default window; it also takes calls whose line is unknown or absent
from the directory (`lines` None, `exclude` the lines of other zones).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Iterable, Mapping
from zoneinfo import ZoneInfo

from hotline.reports.periods import Period

DEFAULT_TZ = "Asia/Shanghai"


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@dataclass(frozen=True)
class Window:
    """Calls received in [start, end) (UTC) on the given lines, read in zone `tz`."""

    tz: str
    start: datetime
    end: datetime
    lines: tuple[str, ...] | None = None     # None: every line not in `exclude`
    exclude: tuple[str, ...] = ()

    @property
    def bucket_seconds(self) -> int:
        """Hour buckets when the zone's offset is whole hours in the window, else quarters."""
        probes = (self.start, self.end - timedelta(seconds=1), self.start + (self.end - self.start) / 2)
        whole = all(int(p.astimezone(zone(self.tz)).utcoffset().total_seconds()) % 3600 == 0 for p in probes)
        return 3600 if whole else 900

    def claims(self, line_id: str | None) -> bool:
        if self.lines is not None:
            return line_id in self.lines
        return line_id not in self.exclude


def bounds(period: Period, tz: str) -> tuple[datetime, datetime]:
    """UTC instants of the first local midnight and the midnight after the last date."""
    zi = zone(tz)
    start = datetime.combine(period.first, datetime.min.time(), zi)
    end = datetime.combine(period.last + timedelta(days=1), datetime.min.time(), zi)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def line_zones(directory) -> dict[str, str]:
    """line id → IANA zone, from a Directory (anything iterable of objects with id, timezone)."""
    return {line.id: getattr(line, "timezone", None) or DEFAULT_TZ for line in directory}


def default_zone(zones: Mapping[str, str]) -> str:
    counts = Counter(zones.values())
    return counts.most_common(1)[0][0] if counts else DEFAULT_TZ


def windows_for(period: Period, zones: Mapping[str, str], only: Iterable[str] | None = None) -> list[Window]:
    """The windows to query for `period`: every call (only=None), or just lines `only`."""
    default = default_zone(zones)
    if only is not None:
        groups: dict[str, list[str]] = {}
        for line_id in only:
            groups.setdefault(zones.get(line_id, default), []).append(line_id)
        return [Window(tz, *bounds(period, tz), lines=tuple(ids)) for tz, ids in sorted(groups.items())]
    others: dict[str, list[str]] = {}
    for line_id, tz in sorted(zones.items()):
        if tz != default:
            others.setdefault(tz, []).append(line_id)
    excluded = tuple(sorted(line for ids in others.values() for line in ids))
    windows = [Window(default, *bounds(period, default), lines=None, exclude=excluded)]
    windows += [Window(tz, *bounds(period, tz), lines=tuple(ids)) for tz, ids in sorted(others.items())]
    return windows
