"""A weekly plan over dates of one UTC offset is tiled week by week, and is_open reads the local
day of the instant, in the instant's own zone, as boundaries after its midnight (issue #18). Both are checked against a
reference built the slow way — each date's windows turned into instants by datetime — and
against the epoch-second path, in zones with and without DST and over ranges that cut spans."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from hotline.routing.calendar.holidays import china_calendar
from hotline.routing.schedule import compile_schedule

SPECS = ["Mo-Fr 08:00-12:00,15:00-18:00", "Mo-Fr 17:00-09:00", "Mo-Su 06:00-24:00",
         "Sa 22:00-26:00; Tu 00:00-01:00", "Mo-Su 00:00-24:00; Su off"]
ZONES = ["Asia/Shanghai", "Europe/Berlin", "America/New_York"]
ODD_OFFSET = timezone(timedelta(hours=-3, minutes=-30))   # a fixed offset whose days cut the line's


def _reference(schedule, start: datetime, end: datetime) -> list[tuple[float, float]]:
    """Each date's windows as instants (wall clock, fold=0), merged, clipped to [start, end)."""
    zone = schedule.tz
    first, last = start.astimezone(zone).date() - timedelta(days=1), end.astimezone(zone).date()
    spans = []
    for n in range((last - first).days + 1):
        d = first + timedelta(days=n)
        midnight = datetime(d.year, d.month, d.day, tzinfo=zone)
        for a, b in schedule.windows(d):
            spans.append(((midnight + timedelta(minutes=a)).timestamp(), (midnight + timedelta(minutes=b)).timestamp()))
    merged: list[list[float]] = []
    for s, e in sorted(span for span in spans if span[1] > span[0]):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    lo, hi = start.timestamp(), end.timestamp()
    return [(max(s, lo), min(e, hi)) for s, e in merged if e > lo and s < hi]


def _as_instants(intervals) -> list[tuple[float, float]]:
    return [(s.timestamp(), e.timestamp()) for s, e in intervals]


RANGES = [(datetime(2026, 1, 1), datetime(2027, 1, 1)),                 # a year: DST zones are not tiled
          (datetime(2026, 6, 1, 10, 30), datetime(2026, 7, 9, 16, 45)),   # summer: tiled everywhere, cut spans
          (datetime(2026, 3, 27, 23, 0), datetime(2026, 4, 2, 8, 59)),    # over Berlin's and past New York's change
          (datetime(2026, 11, 6, 11, 0), datetime(2026, 11, 6, 11, 30))]  # inside one span


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("spec", SPECS)
def test_intervals_match_the_day_by_day_reference(spec, zone):
    schedule = compile_schedule(spec, fmt="osm", tz=zone, calendar=china_calendar())
    for wall_start, wall_end in RANGES:
        start, end = wall_start.replace(tzinfo=ZoneInfo(zone)), wall_end.replace(tzinfo=ZoneInfo(zone))
        got = schedule.intervals(start, end)
        assert _as_instants(got) == _reference(schedule, start, end), (spec, zone, wall_start)
        assert all(s.tzinfo is schedule.tz and e.tzinfo is schedule.tz for s, e in got)
        if got and got[0][0].timestamp() == start.timestamp():   # a clipped edge keeps the asked instant
            assert got[0][0] == start


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("spec", SPECS)
def test_is_open_in_any_zone_matches_the_reference(spec, zone):
    schedule = compile_schedule(spec, fmt="osm", tz=zone, calendar=china_calendar())
    tz = ZoneInfo(zone)
    for first in (date(2026, 3, 7), date(2026, 10, 24), date(2026, 11, 1)):   # weeks holding DST changes
        start = datetime(first.year, first.month, first.day, tzinfo=tz)
        end = start + timedelta(days=9)
        spans = _reference(schedule, start, end)
        instant = start.astimezone(timezone.utc)
        while instant < end:
            local = instant.astimezone(tz)          # in the line's zone, fold set where it matters
            expected = any(s <= instant.timestamp() < e for s, e in spans)
            assert schedule.is_open(local) is expected, local
            assert schedule.is_open(instant) is expected, instant          # the clock's UTC `now`
            assert schedule.is_open(instant.astimezone(ODD_OFFSET)) is expected, instant
            instant += timedelta(minutes=7)


def test_a_boundary_second_in_the_lines_zone():
    schedule = compile_schedule("Mo-Fr 08:00-12:00", fmt="osm", tz="Asia/Shanghai")
    opens = datetime(2026, 12, 1, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert schedule.is_open(opens) and schedule.is_open(opens + timedelta(microseconds=1))
    assert not schedule.is_open(opens - timedelta(microseconds=1))
    closes = opens.replace(hour=12)
    assert not schedule.is_open(closes) and schedule.is_open(closes - timedelta(seconds=1))
    assert not schedule.is_open(opens.replace(day=5))     # a Saturday
