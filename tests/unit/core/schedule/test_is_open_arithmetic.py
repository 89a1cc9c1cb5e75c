"""is_open works out epoch seconds by arithmetic, with offsets remembered per local date (issue #18):
it must answer exactly as the interval list does, across DST changes (both folds), at a boundary's
very second, and for instants given in another zone than the schedule's."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from hotline.routing.schedule import compile_schedule

BERLIN = ZoneInfo("Europe/Berlin")


def _reference(schedule, at: datetime, spans) -> bool:
    """By instants (datetimes of one zone compare by wall clock, fold ignored: not good enough)."""
    return any(s.timestamp() <= at.timestamp() < e.timestamp() for s, e in spans)


@pytest.mark.parametrize("spec", ["Mo-Su 01:30-02:30,02:45-03:15", "Mo-Fr 17:00-09:00", "Mo-Su 00:00-24:00; Su off"])
def test_is_open_agrees_with_the_intervals_around_both_dst_changes(spec):
    schedule = compile_schedule(spec, fmt="osm", tz="Europe/Berlin")
    for day in (datetime(2026, 3, 29, tzinfo=BERLIN), datetime(2026, 10, 25, tzinfo=BERLIN)):
        start, end = day - timedelta(days=1), day + timedelta(days=2)
        spans = schedule.intervals(start, end)
        instant = start.astimezone(timezone.utc)
        while instant < end:
            for at in (instant.astimezone(BERLIN), instant, instant.astimezone(ZoneInfo("Asia/Shanghai"))):
                assert schedule.is_open(at) == _reference(schedule, at, spans), at
            instant += timedelta(minutes=5)


def test_the_ambiguous_hour_is_told_apart_by_its_fold():
    schedule = compile_schedule("Mo-Su 02:30-02:40", fmt="osm", tz="Europe/Berlin")
    first = datetime(2026, 10, 25, 2, 35, tzinfo=BERLIN)            # fold 0: the first 02:35 (CEST)
    second = first.replace(fold=1)                                   # an hour later (CET)
    spans = schedule.intervals(first - timedelta(hours=1), first + timedelta(hours=3))
    assert schedule.is_open(first) is True and schedule.is_open(first) == _reference(schedule, first, spans)
    assert schedule.is_open(second) == _reference(schedule, second, spans)


def test_a_boundary_second_and_the_microsecond_before_it():
    zone = ZoneInfo("Asia/Shanghai")
    schedule = compile_schedule("Mo-Su 09:00-21:00", fmt="osm", tz="Asia/Shanghai")
    opens = datetime(2026, 11, 23, 9, 0, tzinfo=zone)
    assert schedule.is_open(opens) and schedule.is_open(opens + timedelta(microseconds=1))
    assert not schedule.is_open(opens - timedelta(microseconds=1))
    closes = opens.replace(hour=21)
    assert not schedule.is_open(closes) and schedule.is_open(closes - timedelta(microseconds=1))


def test_a_naive_instant_is_refused_with_a_clear_message():
    schedule = compile_schedule("24/7", fmt="osm")
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule.is_open(datetime(2026, 11, 23, 9, 0))
