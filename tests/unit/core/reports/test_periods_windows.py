"""Periods (day, week, month ending a date) and their UTC windows per time zone."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

import pytest

from hotline.reports.periods import PeriodError, parse_end, parse_kind, period_ending
from hotline.reports.windows import bounds, windows_for


@pytest.mark.parametrize("kind,end,first", [
    ("day", date(2026, 10, 14), date(2026, 10, 14)),
    ("week", date(2026, 10, 31), date(2026, 10, 25)),
    ("month", date(2026, 10, 31), date(2026, 10, 1)),      # a month's last day: the calendar month
    ("month", date(2026, 10, 15), date(2026, 9, 16)),
    ("month", date(2026, 3, 30), date(2026, 2, 28)),       # 02-31 does not exist: clamped
    ("month", date(2026, 1, 31), date(2026, 1, 1)),
    ("month", date(2026, 2, 28), date(2026, 2, 1)),
])
def test_period_first_day(kind, end, first):
    period = period_ending(kind, end)
    assert (period.first, period.last) == (first, end)


def test_previous_periods_touch_without_overlap():
    month = period_ending("month", date(2026, 10, 31))
    assert (month.previous().first, month.previous().last) == (date(2026, 9, 1), date(2026, 9, 30))
    week = period_ending("week", date(2026, 10, 31))
    assert (week.previous().first, week.previous().last) == (date(2026, 10, 18), date(2026, 10, 24))
    assert period_ending("day", date(2026, 3, 1)).previous().first == date(2026, 2, 28)


def test_labels_and_parsing():
    assert period_ending("week", date(2026, 10, 31)).label == "周报 / week 2026-10-25 – 2026-10-31"
    assert period_ending("day", date(2026, 10, 31)).label == "日报 / day 2026-10-31"
    today = date(2026, 11, 3)
    assert parse_end(None, today) == date(2026, 11, 2)
    assert parse_end("today", today) == today and parse_end("2026-10-01", today) == date(2026, 10, 1)
    assert parse_kind(None) == "week"
    with pytest.raises(PeriodError, match="YYYY-MM-DD"):
        parse_end("31/10/2026", today)
    with pytest.raises(PeriodError, match="day, week or month"):
        parse_kind("year")
    with pytest.raises(PeriodError):
        period_ending("quarter", today)


def test_a_local_day_in_shanghai_starts_at_16_utc_the_day_before():
    start, end = bounds(period_ending("day", date(2026, 10, 14)), "Asia/Shanghai")
    assert start == datetime(2026, 10, 13, 16, tzinfo=timezone.utc)
    assert end == datetime(2026, 10, 14, 16, tzinfo=timezone.utc)


def test_a_dst_day_is_23_hours_long():
    start, end = bounds(period_ending("day", date(2026, 3, 8)), "America/New_York")
    assert (end - start).total_seconds() == 23 * 3600


@dataclass
class FakeLine:
    id: str
    timezone: str


def test_one_window_per_zone_the_default_takes_unknown_lines():
    zones = {"a": "Asia/Shanghai", "b": "Asia/Shanghai", "u": "Asia/Urumqi"}
    windows = windows_for(period_ending("day", date(2026, 10, 14)), zones)
    assert [(w.tz, w.lines, w.exclude) for w in windows] == [("Asia/Shanghai", None, ("u",)),
                                                              ("Asia/Urumqi", ("u",), ())]
    default = windows[0]
    assert default.claims("a") and default.claims(None) and default.claims("gone") and not default.claims("u")
    only = windows_for(period_ending("day", date(2026, 10, 14)), zones, only=["u"])
    assert [(w.tz, w.lines) for w in only] == [("Asia/Urumqi", ("u",))]


@pytest.mark.parametrize("tz,seconds", [("Asia/Shanghai", 3600), ("America/New_York", 3600), ("Asia/Kolkata", 900),
                                        ("Asia/Kathmandu", 900)])
def test_bucket_width_follows_the_zone_offset(tz, seconds):
    [window] = windows_for(period_ending("month", date(2026, 3, 31)), {"x": tz})
    assert window.bucket_seconds == seconds
